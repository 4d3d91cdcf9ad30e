// The ePayment API's errors: every domain reason mapped to its code, status and title (PLATFORM-NOTES.md
// §3.4 and the official errors reference), and the errors of ePayment's own rules.
import { entry, type ErrorMap } from '../api-error.ts';

/** Errors only the ePayment face raises (its request format, its idempotency answers). */
export const EPAYMENT_ERRORS = {
  INTERNAL: entry('3010', 500, 'Internal error', 'An unexpected error occurred.'),
  CAPTURE_IDEMPOTENCY_CONFLICT: entry('4010', 409, 'Capture idempotency conflict', 'The Idempotency-Key was already used for a capture with a different request body.'),
  IDEMPOTENCY_CONFLICT: entry('4020', 409, 'Idempotency error', 'The Idempotency-Key was already used with a different request body.'),
  INVALID_AMOUNT: entry('4040', 400, 'Invalid amount', 'The amount is not valid.'),
  INVALID_CUSTOMER_TOKEN: entry('4050', 400, 'Invalid CustomerToken', 'The customerToken is not valid.'),
  INVALID_PERSONAL_QR: entry('4060', 400, 'Invalid PersonalQr', 'The personalQr is not a valid personal QR code.'),
  INVALID_PHONE_NUMBER: entry('4070', 400, 'Invalid phone number', 'The phone number is not a valid MSISDN.'),
  INVALID_URL: entry('4090', 400, 'Invalid URL', 'The URL is not valid.'),
  METADATA_CAPACITY: entry('4100', 400, 'Metadata capacity exceeded', 'Metadata can hold at most 5 key-value pairs.'),
  METADATA_DUPLICATE_KEYS: entry('4110', 400, 'Metadata duplicate keys not allowed', 'Metadata keys must be unique.'),
  METADATA_KEY_LENGTH: entry('4120', 400, 'Metadata key length exceeded', 'Metadata keys can be at most 100 characters.'),
  METADATA_VALUE_LENGTH: entry('4130', 400, 'Metadata value length exceeded', 'Metadata values can be at most 500 characters.'),
  MISSING_REQUIRED_PARAMETER: entry('4140', 400, 'Missing required parameter', 'A parameter required for this payment is missing.'),
  REFUND_IDEMPOTENCY_CONFLICT: entry('4150', 409, 'Refund idempotency conflict', 'The Idempotency-Key was already used for a refund with a different request body.'),
  INVALID_PAYMENT_METHOD: entry('4160', 400, 'Invalid payment method type', 'The payment method type is not valid for this payment.'),
  BLOCKED_SOURCES_NOT_APPLICABLE: entry('5010', 400, 'Blocking sources not applicable', 'blockedSources is only available for Danish and Finnish sales units.'),
  LONG_LIVING_REQUIRES_RECEIPT: entry('6130', 400, 'Long living payments require a receipt', 'When expiresAt is set, receipt must be set too.'),
  OPERATION_NOT_SUPPORTED: entry('10060', 400, 'Operation not supported', 'This operation is not supported.'),
} as const;

/** Every domain reason in ePayment's words. */
export const EPAYMENT_ERROR_MAP: ErrorMap = {
  PAYMENT_NOT_FOUND: entry('5090', 404, 'Reference not found', 'No payment with this reference exists for this merchant.'),
  REFERENCE_EXISTS: entry('4150', 409, 'Reference exists', 'A payment with this reference already exists for this merchant.'),
  UNKNOWN_SALES_UNIT: entry('5070', 400, 'Payment cannot be created', 'The payment cannot be created.'),
  PAYMENT_BUSY: entry('6160', 423, 'Order processing', 'Another operation is in progress on this payment. Retry shortly with the same Idempotency-Key.'),

  INVALID_AMOUNT: EPAYMENT_ERRORS.INVALID_AMOUNT,
  AMOUNT_TOO_SMALL: entry('6010', 400, 'Amount too small', 'The amount is below the minimum for the currency.'),
  CURRENCY_NOT_ACCEPTED: entry('5040', 400, 'Invalid currency for merchant', 'The currency does not match the market of the sales unit.'),

  PUSH_NOT_ALLOWED: entry('5080', 400, 'PUSH_MESSAGE not allowed', 'The sales unit is not allowed to use the PUSH_MESSAGE user flow.'),
  LONG_LIVING_NOT_ALLOWED: entry('5050', 400, 'Long-living payment not allowed', 'The sales unit is not approved for long-living payments (expiresAt).'),
  EXPRESS_NOT_ALLOWED: entry('5020', 400, 'Express payment not allowed', 'The sales unit is not enabled for Express.'),
  SCOPE_NOT_ALLOWED: entry('5030', 400, 'Illegal scope', 'The sales unit is not allowed to ask for this scope.'),
  UNKNOWN_SCOPE: entry('4080', 400, 'Invalid scope', 'The profile scope contains an unknown value.'),
  EXPIRY_TOO_SOON: entry('6120', 400, 'Expiration date is too soon', 'expiresAt must be more than 10 minutes in the future.'),
  EXPIRY_TOO_LATE: entry('6110', 400, 'Expiration date is too late', 'expiresAt must be less than 60 days in the future.'),

  INVALID_PHONE_NUMBER: EPAYMENT_ERRORS.INVALID_PHONE_NUMBER,
  USER_NOT_FOUND: entry('7010', 400, 'Customer not found', 'The customer was not found, or cannot pay this merchant.'),
  APPROVAL_DECLINED: entry('10010', 400, 'Approve failed', 'The payment could not be approved.'),
  APPROVAL_NOT_ALLOWED: entry('10020', 400, 'Approve not allowed', 'The payment cannot be approved in its current state.'),
  IDENTIFICATION_REQUIRED: entry('10030', 400, 'Identification required', 'The payment requires strong customer authentication in the app.'),
  INVALID_PAYMENT_SOURCE: entry('10040', 400, 'Invalid payment source', 'The chosen card or account cannot be used for this payment.'),
  NOT_SUPPORTED: EPAYMENT_ERRORS.OPERATION_NOT_SUPPORTED,
  ALREADY_AUTHORIZED: entry('6230', 400, 'Payment is already reserved', 'The payment has already been authorized.'),
  // The shopper's shipping choice is made in the app; an approval without it cannot happen there.
  SHIPPING_REQUIRED: EPAYMENT_ERRORS.OPERATION_NOT_SUPPORTED,
  SHIPPING_OPTION_UNKNOWN: entry('10020', 400, 'Approve not allowed', 'The chosen shipping option was not offered.'),
  SHIPPING_UNAVAILABLE: entry('10020', 400, 'Approve not allowed', 'The shop offers no shipping to this address.'),

  CAPTURE_BEFORE_AUTHORIZATION: entry('6080', 400, 'Cannot capture before reservation', 'The amount you tried to capture is not reserved. The user must accept the payment before capture can be done.'),
  CAPTURE_AFTER_CANCEL: entry('6070', 400, 'Cannot capture a cancelled payment', 'The payment, or its remaining amount, was cancelled.'),
  CANNOT_CAPTURE: entry('6200', 400, 'Payment cannot be captured', 'The payment is in a state that cannot be captured.'),
  CAPTURE_TOO_HIGH: entry('6090', 400, 'Capture amount too high', 'The capture amount is higher than the remaining authorized amount.'),
  CAPTURE_PERIOD_EXPIRED: entry('6100', 400, 'Capture period expired', 'The reservation has expired and can no longer be captured.'),
  ALREADY_CAPTURED: entry('6170', 400, 'Payment already captured', 'The full authorized amount is already captured.'),
  FUNDS_UNAVAILABLE: entry('6260', 400, 'Funds unavailable', 'The reservation was released early and the funds are no longer available. They may become available later; contact the customer.'),
  CAPTURE_FAILED: entry('6280', 400, 'Capture failed, please try again later', 'The capture failed. Retry it after a short wait with the same Idempotency-Key.'),

  CANCEL_AFTER_AUTHORIZATION: entry('6060', 400, 'Cannot cancel authorized payment', 'cancelTransactionOnly was set, but the payment is already authorized.'),
  CANCEL_AFTER_CAPTURE: entry('6040', 400, 'Cannot cancel a captured payment', 'The payment is fully captured. Refund it instead.'),
  CANCEL_PERIOD_EXPIRED: entry('6030', 400, 'Cancel period expired', 'The payment can no longer be cancelled.'),
  CANCEL_WHILE_PROCESSING: entry('6250', 400, 'Cannot cancel processing payment', 'The user is authorizing this payment; it can be cancelled once the result is known.'),
  CANNOT_CANCEL: entry('6190', 400, 'Payment cannot be cancelled', 'The payment is in a state that cannot be cancelled.'),

  REFUND_BEFORE_AUTHORIZATION: entry('6020', 400, 'Attempted refund before reservation', 'The payment must be authorized and captured before it can be refunded.'),
  CANNOT_REFUND: entry('6210', 400, 'Payment cannot be refunded', 'The payment is in a state that cannot be refunded.'),
  REFUND_TOO_HIGH: entry('6150', 400, 'Not enough refundable', 'The refund amount is higher than the captured amount that is not already refunded.'),
  ALREADY_REFUNDED: entry('6180', 400, 'Payment already refunded', 'The full captured amount is already refunded.'),
  REFUND_PERIOD_EXPIRED: entry('6220', 400, 'Refund period expired', 'The refund period for this payment has expired.'),
  REFUND_NOT_POSSIBLE: entry('5100', 400, 'Refund not possible', 'Refunds are not possible for this sales unit (its configuration).'),
};
