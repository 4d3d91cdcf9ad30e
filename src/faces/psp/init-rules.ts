// The rules of `POST /v3/psppayments/init` (InitiatePaymentRequest, PSP API v3 1.0.21), checked by
// hand rather than by a JSON schema so that every refusal carries the message the PSP guide documents
// (`amount.less.than.one`, `transaction.currency.invalid`, "Invalid makePaymentUrl"; PLATFORM-NOTES-
// ADDENDUM §8). Every problem is reported at once, one ErrorDetails entry each (code 51). Fields the
// spec does not name are ignored, as the platform's Java service ignores them.
import { isAcceptableMerchantUrl, isHttpUrl } from '../../domain/url-rules.ts';
import type { PspErrorEntry } from './error-map.ts';
import { PSP_CODES, PspError } from './error-map.ts';

export interface InitiatePaymentRequest {
  pspTransactionId: string;
  merchantOrderId: string;
  customerMobileNumber?: string;
  amount: number;
  currency: 'NOK';
  pspRedirectUrl: string;
  makePaymentUrl: string;
  makePaymentToken?: string;
  paymentText?: string;
  isApp?: boolean;
  skipLandingPage?: boolean;
  merchantAgreementUrl?: string;
}

const INT32_MAX = 2_147_483_647;
const MERCHANT_ORDER_ID = /^[a-zA-Z0-9-]{1,50}$/;
// The spec's pattern is "[a-z0-9]" (unanchored: at least one lowercase letter or digit).
const PSP_TRANSACTION_ID = /[a-z0-9]/;
const MOBILE_NUMBER = /^\d{8}$/;


export class InvalidInitRequest extends PspError {
  constructor(entries: PspErrorEntry[]) {
    super(400, PSP_CODES.INVALID_REQUEST, entries[0]!.errorMessage);
    this.entries.splice(0, 1, ...entries);
  }
}

/** The request, checked; throws InvalidInitRequest with every problem found. */
export function checkInitRequest(body: unknown): InitiatePaymentRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidInitRequest([{ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage: 'Invalid request: the body must be an InitiatePaymentRequest JSON object.' }]);
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  const str = (name: string, required: boolean): string | undefined => {
    const v = b[name];
    if (v === undefined || v === null) {
      if (required) problems.push(`Invalid request: ${name} is required.`);
      return undefined;
    }
    if (typeof v !== 'string') {
      problems.push(`Invalid request: ${name} must be a string.`);
      return undefined;
    }
    return v;
  };
  const bool = (name: string): boolean | undefined => {
    const v = b[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') problems.push(`Invalid request: ${name} must be true or false.`);
    return v === true;
  };

  const pspTransactionId = str('pspTransactionId', true);
  if (pspTransactionId !== undefined && (pspTransactionId.length > 36 || !PSP_TRANSACTION_ID.test(pspTransactionId))) {
    problems.push('Invalid pspTransactionId: at most 36 characters, with at least one lowercase letter or digit.');
  }
  const merchantOrderId = str('merchantOrderId', true);
  if (merchantOrderId !== undefined && !MERCHANT_ORDER_ID.test(merchantOrderId)) problems.push('Invalid merchantOrderId: 1 to 50 characters a-z, A-Z, 0-9 and -.');
  const customerMobileNumber = str('customerMobileNumber', false);
  if (customerMobileNumber !== undefined && !MOBILE_NUMBER.test(customerMobileNumber)) problems.push('Invalid customerMobileNumber: eight digits, without the country code.');

  const amount = b.amount;
  if (amount === undefined || amount === null) problems.push('Invalid request: amount is required.');
  else if (typeof amount !== 'number' || !Number.isInteger(amount) || amount > INT32_MAX) problems.push('Invalid amount: an integer number of øre (int32).');
  else if (amount < 1) problems.push('amount.less.than.one');

  if (b.currency !== 'NOK') problems.push('transaction.currency.invalid');

  const isApp = bool('isApp');
  const skipLandingPage = bool('skipLandingPage');
  const pspRedirectUrl = str('pspRedirectUrl', true);
  // With isApp the redirect may be the PSP app's own scheme (the platform skips its URL validator then).
  if (pspRedirectUrl !== undefined && !(isApp ? isAcceptableMerchantUrl(pspRedirectUrl) : isHttpUrl(pspRedirectUrl))) problems.push('Invalid pspRedirectUrl');
  const makePaymentUrl = str('makePaymentUrl', true);
  if (makePaymentUrl !== undefined && !isHttpUrl(makePaymentUrl)) problems.push('Invalid makePaymentUrl');
  const makePaymentToken = str('makePaymentToken', false);
  if (makePaymentToken !== undefined && makePaymentToken.length > 255) problems.push('Invalid makePaymentToken: at most 255 characters.');
  const paymentText = str('paymentText', false);
  const merchantAgreementUrl = str('merchantAgreementUrl', false);
  if (merchantAgreementUrl !== undefined && !isHttpUrl(merchantAgreementUrl)) problems.push('Invalid merchantAgreementUrl');
  if (skipLandingPage && customerMobileNumber === undefined) problems.push('Invalid request: skipLandingPage requires a valid customerMobileNumber.');

  if (problems.length > 0) throw new InvalidInitRequest(problems.map((errorMessage) => ({ errorCode: PSP_CODES.INVALID_REQUEST, errorMessage })));
  return {
    pspTransactionId: pspTransactionId!,
    merchantOrderId: merchantOrderId!,
    amount: amount as number,
    currency: 'NOK',
    pspRedirectUrl: pspRedirectUrl!,
    makePaymentUrl: makePaymentUrl!,
    ...(customerMobileNumber !== undefined ? { customerMobileNumber } : {}),
    ...(makePaymentToken !== undefined ? { makePaymentToken } : {}),
    ...(paymentText !== undefined ? { paymentText } : {}),
    ...(isApp !== undefined ? { isApp } : {}),
    ...(skipLandingPage !== undefined ? { skipLandingPage } : {}),
    ...(merchantAgreementUrl !== undefined ? { merchantAgreementUrl } : {}),
  };
}
