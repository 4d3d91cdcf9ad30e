// One catalogue of every coded error the engine can raise. Codes, titles and statuses follow the
// ePayment error list (PLATFORM-NOTES.md §3.4 and the official errors reference). Faces translate a
// DomainError into their own wire format; nothing else invents error texts.

export interface ErrorEntry {
  /** The platform's numeric error code, sent as extraDetails[{ name: "ErrorCode", reason }]; null for an API without codes (Webhooks). */
  code: string | null;
  status: number;
  title: string;
  detail: string;
}

function entry(code: string | null, status: number, title: string, detail: string): ErrorEntry {
  return { code, status, title, detail };
}

export const ERRORS = {
  INTERNAL: entry('3010', 500, 'Internal error', 'An unexpected error occurred.'),
  CAPTURE_IDEMPOTENCY_CONFLICT: entry('4010', 409, 'Capture idempotency conflict', 'The Idempotency-Key was already used for a capture with a different request body.'),
  IDEMPOTENCY_CONFLICT: entry('4020', 409, 'Idempotency error', 'The Idempotency-Key was already used with a different request body.'),
  INVALID_AMOUNT: entry('4040', 400, 'Invalid amount', 'The amount is not valid.'),
  INVALID_CUSTOMER_TOKEN: entry('4050', 400, 'Invalid CustomerToken', 'The customerToken is not valid.'),
  INVALID_PERSONAL_QR: entry('4060', 400, 'Invalid PersonalQr', 'The personalQr is not a valid personal QR code.'),
  INVALID_PHONE_NUMBER: entry('4070', 400, 'Invalid phone number', 'The phone number is not a valid MSISDN.'),
  INVALID_SCOPE: entry('4080', 400, 'Invalid scope', 'The profile scope contains an unknown value.'),
  INVALID_URL: entry('4090', 400, 'Invalid URL', 'The URL is not valid.'),
  METADATA_CAPACITY: entry('4100', 400, 'Metadata capacity exceeded', 'Metadata can hold at most 5 key-value pairs.'),
  METADATA_DUPLICATE_KEYS: entry('4110', 400, 'Metadata duplicate keys not allowed', 'Metadata keys must be unique.'),
  METADATA_KEY_LENGTH: entry('4120', 400, 'Metadata key length exceeded', 'Metadata keys can be at most 100 characters.'),
  METADATA_VALUE_LENGTH: entry('4130', 400, 'Metadata value length exceeded', 'Metadata values can be at most 500 characters.'),
  MISSING_REQUIRED_PARAMETER: entry('4140', 400, 'Missing required parameter', 'A parameter required for this payment is missing.'),
  REFERENCE_EXISTS: entry('4150', 409, 'Reference exists', 'A payment with this reference already exists for this merchant.'),
  REFUND_IDEMPOTENCY_CONFLICT: entry('4150', 409, 'Refund idempotency conflict', 'The Idempotency-Key was already used for a refund with a different request body.'),
  INVALID_PAYMENT_METHOD: entry('4160', 400, 'Invalid payment method type', 'The payment method type is not valid for this payment.'),
  BLOCKED_SOURCES_NOT_APPLICABLE: entry('5010', 400, 'Blocking sources not applicable', 'blockedSources is only available for Danish and Finnish sales units.'),
  EXPRESS_NOT_ALLOWED: entry('5020', 400, 'Express payment not allowed', 'The sales unit is not enabled for Express.'),
  ILLEGAL_SCOPE: entry('5030', 400, 'Illegal scope', 'The sales unit is not allowed to ask for this scope.'),
  INVALID_CURRENCY: entry('5040', 400, 'Invalid currency for merchant', 'The currency does not match the market of the sales unit.'),
  LONG_LIVING_NOT_ALLOWED: entry('5050', 400, 'Long-living payment not allowed', 'The sales unit is not approved for long-living payments (expiresAt).'),
  PAYMENT_CANNOT_BE_CREATED: entry('5070', 400, 'Payment cannot be created', 'The payment cannot be created.'),
  PUSH_MESSAGE_NOT_ALLOWED: entry('5080', 400, 'PUSH_MESSAGE not allowed', 'The sales unit is not allowed to use the PUSH_MESSAGE user flow.'),
  REFERENCE_NOT_FOUND: entry('5090', 404, 'Reference not found', 'No payment with this reference exists for this merchant.'),
  // The Webhooks API has no error codes: its problems carry no ErrorCode (5090 would say "Reference not found").
  WEBHOOK_NOT_FOUND: entry(null, 404, 'Not Found', 'No webhook with this id is registered for this merchant.'),
  AMOUNT_TOO_SMALL: entry('6010', 400, 'Amount too small', 'The amount is below the minimum for the currency.'),
  REFUND_BEFORE_RESERVATION: entry('6020', 400, 'Attempted refund before reservation', 'The payment must be authorized and captured before it can be refunded.'),
  CANCEL_PERIOD_EXPIRED: entry('6030', 400, 'Cancel period expired', 'The payment can no longer be cancelled.'),
  CANCEL_CAPTURED: entry('6040', 400, 'Cannot cancel a captured payment', 'The payment is fully captured. Refund it instead.'),
  CANCEL_NOT_RESERVED: entry('6050', 400, 'Cannot cancel a non-reserved payment', 'The payment is not reserved.'),
  CANCEL_AUTHORIZED: entry('6060', 400, 'Cannot cancel authorized payment', 'cancelTransactionOnly was set, but the payment is already authorized.'),
  CAPTURE_CANCELLED: entry('6070', 400, 'Cannot capture a cancelled payment', 'The payment, or its remaining amount, was cancelled.'),
  CAPTURE_BEFORE_RESERVATION: entry('6080', 400, 'Cannot capture before reservation', 'The amount you tried to capture is not reserved. The user must accept the payment before capture can be done.'),
  CAPTURE_TOO_HIGH: entry('6090', 400, 'Capture amount too high', 'The capture amount is higher than the remaining authorized amount.'),
  CAPTURE_PERIOD_EXPIRED: entry('6100', 400, 'Capture period expired', 'The reservation has expired and can no longer be captured.'),
  EXPIRES_AT_TOO_LATE: entry('6110', 400, 'Expiration date is too late', 'expiresAt must be less than 60 days in the future.'),
  EXPIRES_AT_TOO_SOON: entry('6120', 400, 'Expiration date is too soon', 'expiresAt must be more than 10 minutes in the future.'),
  LONG_LIVING_REQUIRES_RECEIPT: entry('6130', 400, 'Long living payments require a receipt', 'When expiresAt is set, receipt must be set too.'),
  NOT_ENOUGH_REFUNDABLE: entry('6150', 400, 'Not enough refundable', 'The refund amount is higher than the captured amount that is not already refunded.'),
  ORDER_PROCESSING: entry('6160', 423, 'Order processing', 'Another operation is in progress on this payment. Retry shortly with the same Idempotency-Key.'),
  ALREADY_CAPTURED: entry('6170', 400, 'Payment already captured', 'The full authorized amount is already captured.'),
  ALREADY_REFUNDED: entry('6180', 400, 'Payment already refunded', 'The full captured amount is already refunded.'),
  CANNOT_CANCEL: entry('6190', 400, 'Payment cannot be cancelled', 'The payment is in a state that cannot be cancelled.'),
  CANCEL_PROCESSING: entry('6250', 400, 'Cannot cancel processing payment', 'The user is authorizing this payment; it can be cancelled once the result is known.'),
  CANNOT_CAPTURE: entry('6200', 400, 'Payment cannot be captured', 'The payment is in a state that cannot be captured.'),
  CANNOT_REFUND: entry('6210', 400, 'Payment cannot be refunded', 'The payment is in a state that cannot be refunded.'),
  REFUND_PERIOD_EXPIRED: entry('6220', 400, 'Refund period expired', 'The refund period for this payment has expired.'),
  ALREADY_RESERVED: entry('6230', 400, 'Payment is already reserved', 'The payment has already been authorized.'),
  CUSTOMER_NOT_FOUND: entry('7010', 400, 'Customer not found', 'The customer was not found, or cannot pay this merchant.'),
  APPROVE_FAILED: entry('10010', 400, 'Approve failed', 'The payment could not be approved.'),
  APPROVE_NOT_ALLOWED: entry('10020', 400, 'Approve not allowed', 'The payment cannot be approved in its current state.'),
  IDENTIFICATION_REQUIRED: entry('10030', 400, 'Identification required', 'The payment requires strong customer authentication in the app.'),
  INVALID_PAYMENT_SOURCE: entry('10040', 400, 'Invalid payment source', 'The chosen card or account cannot be used for this payment.'),
  OPERATION_NOT_SUPPORTED: entry('10060', 400, 'Operation not supported', 'This operation is not supported.'),
} as const satisfies Record<string, ErrorEntry>;

export type ErrorKey = keyof typeof ERRORS;

/** A rule of the platform was broken. Carries a catalogue entry and, optionally, a more specific detail. */
export class DomainError extends Error {
  readonly entry: ErrorEntry;
  readonly detail: string;
  constructor(entry: ErrorEntry, detail?: string) {
    super(`${entry.code ?? entry.status} ${entry.title}: ${detail ?? entry.detail}`);
    this.name = 'DomainError';
    this.entry = entry;
    this.detail = detail ?? entry.detail;
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

/** The plain data form of an error, as stored with an idempotency record and replayed later. */
export interface StoredError {
  code: string | null;
  status: number;
  title: string;
  detail: string;
}

export function toStoredError(error: DomainError): StoredError {
  return { code: error.entry.code, status: error.entry.status, title: error.entry.title, detail: error.detail };
}

export function fromStoredError(stored: StoredError): DomainError {
  return new DomainError({ code: stored.code, status: stored.status, title: stored.title, detail: stored.detail }, stored.detail);
}
