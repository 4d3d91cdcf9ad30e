// Test-environment amounts that make the platform fail in a documented way (PLATFORM-NOTES.md §3.8),
// and the capture and refund amounts vipps-local adds so that a merchant can reach the documented
// capture and refund failures its code must handle (README "Test amounts").
import { DomainError, type Reason } from './reasons.ts';

/** Payment amounts (minor units) whose approval fails. */
export const FAILING_PAYMENT_AMOUNTS: Record<number, { reason: string; refusal: Reason }> = {
  151: { reason: 'insufficient funds', refusal: 'APPROVAL_DECLINED' },
  182: { reason: 'refused by issuer', refusal: 'APPROVAL_DECLINED' },
  183: { reason: 'suspected fraud', refusal: 'APPROVAL_DECLINED' },
  184: { reason: 'withdrawal limit exceeded', refusal: 'APPROVAL_DECLINED' },
  186: { reason: 'expired card', refusal: 'APPROVAL_DECLINED' },
  187: { reason: 'invalid card', refusal: 'APPROVAL_DECLINED' },
  197: { reason: '3-D Secure denied', refusal: 'APPROVAL_DECLINED' },
  202: { reason: 'strong customer authentication (SCA) required', refusal: 'IDENTIFICATION_REQUIRED' },
};

/** The approval of this amount is accepted, but its outcome is unknown for one hour. */
export const RESULT_UNKNOWN_AMOUNT = 201;
export const RESULT_UNKNOWN_DELAY_MS = 60 * 60 * 1000;

/** Capture amounts that fail: 126 always (funds released by the issuer), 128 on the first attempt only. */
export const CAPTURE_FUNDS_UNAVAILABLE_AMOUNT = 126;
export const CAPTURE_FAILS_ONCE_AMOUNT = 128;
/** Refund amounts that fail: 123 cannot refund, 124 period expired, 125 refunds not possible for the sales unit. */
export const REFUND_FAILING_AMOUNTS: Record<number, { refusal: Reason; reason: string }> = {
  123: { refusal: 'CANNOT_REFUND', reason: 'cannot refund' },
  124: { refusal: 'REFUND_PERIOD_EXPIRED', reason: 'refund period expired' },
  125: { refusal: 'REFUND_NOT_POSSIBLE', reason: 'refunds are not possible for this sales unit' },
};

export function magicApprovalFailure(amount: number): DomainError | null {
  const magic = FAILING_PAYMENT_AMOUNTS[amount];
  if (!magic) return null;
  return new DomainError(magic.refusal, `The card was declined: ${magic.reason} (test amount ${amount}).`);
}

/** The failure a capture of this amount meets, and whether it fails only once (a retry succeeds). */
export function magicCaptureFailure(amount: number, failedBefore: boolean): { error: DomainError; failsOnce: boolean } | null {
  if (amount === CAPTURE_FUNDS_UNAVAILABLE_AMOUNT) {
    return { error: new DomainError('FUNDS_UNAVAILABLE', `The reserved funds are no longer available (test amount ${amount}).`), failsOnce: false };
  }
  if (amount === CAPTURE_FAILS_ONCE_AMOUNT && !failedBefore) {
    return { error: new DomainError('CAPTURE_FAILED', `The capture failed; retry it with the same idempotency key (test amount ${amount}).`), failsOnce: true };
  }
  return null;
}

export function magicRefundFailure(amount: number): DomainError | null {
  const magic = REFUND_FAILING_AMOUNTS[amount];
  return magic ? new DomainError(magic.refusal, `The refund was refused: ${magic.reason} (test amount ${amount}).`) : null;
}
