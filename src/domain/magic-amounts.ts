// Test-environment amounts that make the platform fail in a documented way (PLATFORM-NOTES.md §3.8).
import { DomainError, ERRORS, type ErrorEntry } from './error-catalogue.ts';

export interface MagicAmount {
  amount: number;
  meaning: string;
}

/** Payment amounts (minor units) whose approval fails. */
export const FAILING_PAYMENT_AMOUNTS: Record<number, { reason: string; entry: ErrorEntry }> = {
  151: { reason: 'insufficient funds', entry: ERRORS.APPROVE_FAILED },
  182: { reason: 'refused by issuer', entry: ERRORS.APPROVE_FAILED },
  183: { reason: 'suspected fraud', entry: ERRORS.APPROVE_FAILED },
  184: { reason: 'withdrawal limit exceeded', entry: ERRORS.APPROVE_FAILED },
  186: { reason: 'expired card', entry: ERRORS.APPROVE_FAILED },
  187: { reason: 'invalid card', entry: ERRORS.APPROVE_FAILED },
  197: { reason: '3-D Secure denied', entry: ERRORS.APPROVE_FAILED },
  202: { reason: 'strong customer authentication (SCA) required', entry: ERRORS.IDENTIFICATION_REQUIRED },
};

/** The approval of this amount is accepted, but its outcome is unknown for one hour. */
export const RESULT_UNKNOWN_AMOUNT = 201;
export const RESULT_UNKNOWN_DELAY_MS = 60 * 60 * 1000;

export function magicApprovalFailure(amount: number): DomainError | null {
  const magic = FAILING_PAYMENT_AMOUNTS[amount];
  if (!magic) return null;
  return new DomainError(magic.entry, `The card was declined: ${magic.reason} (test amount ${amount}).`);
}

export function magicRefundFailure(amount: number): DomainError | null {
  if (amount === 123) return new DomainError(ERRORS.CANNOT_REFUND, 'The refund was refused: cannot refund (test amount 123).');
  if (amount === 124) return new DomainError(ERRORS.REFUND_PERIOD_EXPIRED, 'The refund was refused: refund period expired (test amount 124).');
  return null;
}
