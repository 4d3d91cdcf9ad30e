// Why a rule of the platform refused an operation, in no API's words. The domain and the engine
// raise a reason (a key and a plain-language detail); every face maps every reason to its own wire
// error in one file (faces/epayment/error-map.ts, …), typed Record<Reason, …> so that the compiler
// finds a reason a face forgot.

/** Every reason, with the detail used when the raiser gives none. */
export const REASONS = {
  // Finding the payment
  PAYMENT_NOT_FOUND: 'No such payment exists for this sales unit.',
  REFERENCE_EXISTS: 'A payment with this reference already exists for this sales unit.',
  UNKNOWN_SALES_UNIT: 'The sales unit does not exist.',
  /** Another operation holds the payment; retrying shortly succeeds. */
  PAYMENT_BUSY: 'Another operation is in progress on this payment. Retry shortly.',

  // Amount and currency of a new payment or an adjustment
  INVALID_AMOUNT: 'The amount is not valid.',
  AMOUNT_TOO_SMALL: 'The amount is below the minimum for the currency.',
  CURRENCY_NOT_ACCEPTED: 'The sales unit does not accept this currency.',

  // What the sales unit may do
  PUSH_NOT_ALLOWED: 'The sales unit may not send payment requests to a phone directly.',
  LONG_LIVING_NOT_ALLOWED: 'The sales unit is not approved for long-living payments.',
  EXPRESS_NOT_ALLOWED: 'The sales unit is not enabled for Express.',
  SCOPE_NOT_ALLOWED: 'The sales unit is not allowed to ask for this profile scope.',
  UNKNOWN_SCOPE: 'The profile scope contains an unknown value.',
  EXPIRY_TOO_SOON: 'A long-living payment must expire more than 10 minutes from now.',
  EXPIRY_TOO_LATE: 'A long-living payment must expire less than 60 days from now.',

  // The shopper's side: who approves, with what
  INVALID_PHONE_NUMBER: 'The phone number is not a valid MSISDN.',
  USER_NOT_FOUND: 'The user was not found, or cannot pay this merchant.',
  APPROVAL_DECLINED: 'The payment could not be approved.',
  APPROVAL_NOT_ALLOWED: 'The payment cannot be approved in its current state.',
  IDENTIFICATION_REQUIRED: 'The payment requires strong customer authentication in the app.',
  INVALID_PAYMENT_SOURCE: 'The chosen card or account cannot be used for this payment.',
  NOT_SUPPORTED: 'This operation is not supported.',
  ALREADY_AUTHORIZED: 'The payment has already been authorized.',

  // Express: the shopper's shipping choice
  SHIPPING_REQUIRED: 'The payment needs a shipping address and option, chosen by the shopper in the app.',
  SHIPPING_OPTION_UNKNOWN: 'The shipping option is not one of those offered.',
  SHIPPING_UNAVAILABLE: 'The shop offers no shipping to this address.',

  // Capture
  CAPTURE_BEFORE_AUTHORIZATION: 'The payment must be authorized before it can be captured.',
  CAPTURE_AFTER_CANCEL: 'The payment, or its remaining amount, was cancelled.',
  CANNOT_CAPTURE: 'The payment is in a state that cannot be captured.',
  CAPTURE_TOO_HIGH: 'The capture amount is higher than the remaining authorized amount.',
  CAPTURE_PERIOD_EXPIRED: 'The authorization has expired and can no longer be captured.',
  ALREADY_CAPTURED: 'The full authorized amount is already captured.',
  FUNDS_UNAVAILABLE: 'The reserved funds were released by the issuer and are no longer available.',
  /** A transient failure: the same request, retried, succeeds. */
  CAPTURE_FAILED: 'The capture failed. Retry it later with the same idempotency key.',

  // Cancel
  CANCEL_AFTER_AUTHORIZATION: 'Only an unauthorized payment could be cancelled, and this one is authorized.',
  CANCEL_AFTER_CAPTURE: 'The payment is fully captured. Refund it instead.',
  CANCEL_PERIOD_EXPIRED: 'The payment can no longer be cancelled.',
  CANCEL_WHILE_PROCESSING: 'The user is authorizing this payment; it can be cancelled once the result is known.',
  CANNOT_CANCEL: 'The payment is in a state that cannot be cancelled.',

  // Refund
  REFUND_BEFORE_AUTHORIZATION: 'The payment must be authorized and captured before it can be refunded.',
  CANNOT_REFUND: 'The payment is in a state that cannot be refunded.',
  REFUND_TOO_HIGH: 'The refund amount is higher than the captured amount that is not already refunded.',
  ALREADY_REFUNDED: 'The full captured amount is already refunded.',
  REFUND_PERIOD_EXPIRED: 'The refund period for this payment has expired.',
  REFUND_NOT_POSSIBLE: 'Refunds are not possible for this sales unit.',
} as const;

export type Reason = keyof typeof REASONS;

/** Reasons that say nothing final about a request: retrying the same request may succeed. */
export const TRANSIENT_REASONS: ReadonlySet<Reason> = new Set<Reason>(['PAYMENT_BUSY', 'CAPTURE_FAILED']);

/**
 * An operation was refused by a rule: the outcome a unit of work commits and reports (what it
 * decided on the way stays). Any other error rolls the unit back. A face's own rules refuse with
 * their own subclass (faces/api-error.ts).
 */
export class Refusal extends Error {}

/** A rule of the platform refused an operation. */
export class DomainError extends Refusal {
  readonly reason: Reason;
  readonly detail: string;
  constructor(reason: Reason, detail?: string) {
    super(`${reason}: ${detail ?? REASONS[reason]}`);
    this.name = 'DomainError';
    this.reason = reason;
    this.detail = detail ?? REASONS[reason];
  }
}

export interface FieldProblem {
  /** The field, as the client wrote it: `amount.value`, `receipt.orderLines[0].taxRate`, `Idempotency-Key`. */
  name: string;
  reason: string;
}

/** Malformed input found by a rule the JSON schema cannot express. Answers 400 with one entry per field. */
export class FieldValidationError extends Error {
  readonly fields: FieldProblem[];
  constructor(fields: FieldProblem[]) {
    super(fields.map((f) => `${f.name}: ${f.reason}`).join('; '));
    this.name = 'FieldValidationError';
    this.fields = fields;
  }
}
