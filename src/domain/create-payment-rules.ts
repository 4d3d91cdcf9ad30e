// The rules for a create-payment request that a JSON schema cannot express. Returns the normalised
// terms the engine stores, or throws a DomainError / FieldValidationError naming what is wrong.
import { DomainError, ERRORS, FieldValidationError, type FieldProblem } from './error-catalogue.ts';
import { MAXIMUM_AMOUNT, MINIMUM_AMOUNT, WALLET_CURRENCIES, type Currency } from './money.ts';
import { DEFAULT_EXPIRY_MS, DAY_MS, type PaymentTerms, type UserFlow, type PaymentMethodType } from './payment.ts';
import type { SalesUnit } from './sales-unit.ts';
import { isAcceptableMerchantUrl } from './url-rules.ts';

/** The create-payment request as the ePayment spec defines it (CreatePaymentRequest). */
export interface CreatePaymentRequest {
  amount: { currency: Currency; value: number };
  paymentMethod: { type: PaymentMethodType; blockedSources?: string[] };
  reference: string;
  userFlow: UserFlow;
  customer?: { phoneNumber?: string; personalQr?: string; customerToken?: string };
  customerInteraction?: 'CUSTOMER_PRESENT' | 'CUSTOMER_NOT_PRESENT';
  returnUrl?: string;
  paymentDescription?: string;
  expiresAt?: string | null;
  qrFormat?: { format: 'TEXT/TARGETURL' | 'IMAGE/SVG+XML' | 'IMAGE/PNG'; size?: number | null } | null;
  profile?: { scope?: string };
  receipt?: Receipt;
  metadata?: Record<string, string> | null;
  receiptUrl?: string | null;
  minimumUserAge?: number | null;
  industryData?: unknown;
  shipping?: { dynamicOptions?: unknown; fixedOptions?: unknown };
  cardPassthrough?: unknown;
}

export interface Receipt {
  orderLines: Array<{
    name: string;
    id: string;
    totalAmount: number;
    totalAmountExcludingTax: number;
    totalTaxAmount: number;
    taxRate?: number | null;
    taxPercentage?: number | null;
    [key: string]: unknown;
  }>;
  bottomLine: { currency: Currency; [key: string]: unknown };
}

export const PROFILE_SCOPES = ['name', 'address', 'email', 'phoneNumber', 'birthDate', 'nin', 'accountNumbers'] as const;
const EXPRESS_SCOPE = 'name address email phoneNumber';

export interface CreateRuleContext {
  now: number;
  salesUnit: SalesUnit;
  /** Whether a Vipps user with this phone number exists (test users from the config). */
  customerExists: (phoneNumber: string) => boolean;
}

export interface ValidatedCreate {
  terms: PaymentTerms;
  expiresAt: number;
}

export function validateCreatePayment(req: CreatePaymentRequest, ctx: CreateRuleContext): ValidatedCreate {
  const { salesUnit } = ctx;
  const method = req.paymentMethod.type;

  if (method === 'CARD_PASSTHROUGH') {
    throw new DomainError(ERRORS.INVALID_PAYMENT_METHOD, 'CARD_PASSTHROUGH (PSP preview) is not supported by vipps-local yet. Use WALLET.');
  }
  if (req.cardPassthrough !== undefined && req.cardPassthrough !== null) {
    throw new DomainError(ERRORS.INVALID_PAYMENT_METHOD, 'cardPassthrough can only be sent with paymentMethod.type CARD_PASSTHROUGH.');
  }
  if (method === 'CARD' && req.userFlow !== 'WEB_REDIRECT') {
    throw new DomainError(ERRORS.INVALID_PAYMENT_METHOD, 'paymentMethod.type CARD requires userFlow WEB_REDIRECT.');
  }

  // Amount: whole minor units, the currency of the market, then the per-currency minimum.
  const { currency, value } = req.amount;
  if (!Number.isSafeInteger(value)) {
    throw new DomainError(ERRORS.INVALID_AMOUNT, `amount.value must be an integer number of minor units (øre, cents), got ${value}.`);
  }
  if (!WALLET_CURRENCIES.includes(currency) || !salesUnit.currencies.includes(currency)) {
    throw new DomainError(ERRORS.INVALID_CURRENCY, `amount.currency ${currency} is not accepted by sales unit ${salesUnit.msn} (accepted: ${salesUnit.currencies.filter((c) => WALLET_CURRENCIES.includes(c)).join(', ')}).`);
  }
  if (value > MAXIMUM_AMOUNT) {
    throw new DomainError(ERRORS.INVALID_AMOUNT, `amount.value ${value} is above the maximum of ${MAXIMUM_AMOUNT} minor units.`);
  }
  if (value < MINIMUM_AMOUNT[currency]) {
    throw new DomainError(ERRORS.AMOUNT_TOO_SMALL, `amount.value ${value} is below the minimum of ${MINIMUM_AMOUNT[currency]} for ${currency}.`);
  }

  if (req.paymentMethod.blockedSources && req.paymentMethod.blockedSources.length > 0) {
    if (method !== 'WALLET' || currency === 'NOK') throw new DomainError(ERRORS.BLOCKED_SOURCES_NOT_APPLICABLE);
  }

  // Customer: exactly one identifier.
  let customerPhone: string | undefined;
  if (req.customer) {
    const given = (['phoneNumber', 'personalQr', 'customerToken'] as const).filter((k) => req.customer?.[k] !== undefined);
    if (given.length !== 1) {
      throw new FieldValidationError([{ name: 'customer', reason: 'Exactly one of customer.phoneNumber, customer.personalQr and customer.customerToken must be set.' }]);
    }
    if (req.customer.phoneNumber !== undefined) {
      if (!isMsisdn(req.customer.phoneNumber)) {
        throw new DomainError(ERRORS.INVALID_PHONE_NUMBER, 'customer.phoneNumber must be an MSISDN: country code and number, 9 to 15 digits, no + or spaces (e.g. 4712345678).');
      }
      customerPhone = req.customer.phoneNumber;
    } else if (req.customer.personalQr !== undefined) {
      customerPhone = phoneFromPersonalQr(req.customer.personalQr);
      if (!customerPhone) throw new DomainError(ERRORS.INVALID_PERSONAL_QR, 'customer.personalQr does not contain a personal QR code of a Vipps user.');
    } else {
      throw new DomainError(ERRORS.INVALID_CUSTOMER_TOKEN, 'customer.customerToken is not a token issued by this platform (QR check-in is not supported by vipps-local yet).');
    }
    if (!ctx.customerExists(customerPhone)) {
      throw new DomainError(ERRORS.CUSTOMER_NOT_FOUND, 'No Vipps user with this phone number can pay this merchant.');
    }
  }

  // User flow requirements.
  if (req.userFlow === 'WEB_REDIRECT' && !req.returnUrl) {
    throw new DomainError(ERRORS.MISSING_REQUIRED_PARAMETER, 'returnUrl is required when userFlow is WEB_REDIRECT.');
  }
  if (req.userFlow === 'PUSH_MESSAGE') {
    if (!req.customer) throw new DomainError(ERRORS.MISSING_REQUIRED_PARAMETER, 'customer is required when userFlow is PUSH_MESSAGE.');
    if (!salesUnit.allowPushMessage) throw new DomainError(ERRORS.PUSH_MESSAGE_NOT_ALLOWED);
  }
  if (req.returnUrl !== undefined && !isAcceptableMerchantUrl(req.returnUrl)) {
    throw new DomainError(ERRORS.INVALID_URL, 'returnUrl must use https://, a custom app scheme, or http:// to a loopback host.');
  }
  if (req.receiptUrl != null && !isAcceptableMerchantUrl(req.receiptUrl)) {
    throw new DomainError(ERRORS.INVALID_URL, 'receiptUrl must use https://, a custom app scheme, or http:// to a loopback host.');
  }

  // Profile scopes.
  let profileScope: string | undefined;
  if (req.profile?.scope !== undefined) {
    const scopes = req.profile.scope.split(' ').filter((s) => s.length > 0);
    const unknown = scopes.filter((s) => !(PROFILE_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) throw new DomainError(ERRORS.INVALID_SCOPE, `profile.scope contains unknown value(s): ${unknown.join(', ')}. Allowed: ${PROFILE_SCOPES.join(', ')}.`);
    if ((scopes.includes('nin') || scopes.includes('accountNumbers')) && !salesUnit.allowNin) {
      throw new DomainError(ERRORS.ILLEGAL_SCOPE, 'The sales unit is not allowed to ask for nin or accountNumbers.');
    }
    profileScope = scopes.join(' ') || undefined;
  }

  // Metadata limits carry their own codes, so they are checked here rather than in the schema.
  if (req.metadata) {
    const entries = Object.entries(req.metadata);
    if (entries.length > 5) throw new DomainError(ERRORS.METADATA_CAPACITY, `metadata has ${entries.length} entries; at most 5 are allowed.`);
    const lowered = new Set(entries.map(([k]) => k.toLowerCase()));
    if (lowered.size !== entries.length) throw new DomainError(ERRORS.METADATA_DUPLICATE_KEYS, 'metadata keys must be unique (case-insensitively).');
    for (const [k, v] of entries) {
      if (k.length > 100) throw new DomainError(ERRORS.METADATA_KEY_LENGTH, `metadata key "${k.slice(0, 20)}…" is longer than 100 characters.`);
      if (v.length > 500) throw new DomainError(ERRORS.METADATA_VALUE_LENGTH, `metadata value of "${k}" is longer than 500 characters.`);
    }
  }

  if (req.receipt) validateReceipt(req.receipt, currency);

  // Express shipping.
  if (req.shipping) {
    if (req.shipping.dynamicOptions != null && req.shipping.fixedOptions != null) {
      throw new FieldValidationError([{ name: 'shipping', reason: 'Only one of shipping.dynamicOptions and shipping.fixedOptions can be set.' }]);
    }
    if (!salesUnit.allowExpress) throw new DomainError(ERRORS.EXPRESS_NOT_ALLOWED);
    if (profileScope === undefined || !EXPRESS_SCOPE.split(' ').every((s) => profileScope!.split(' ').includes(s))) {
      throw new DomainError(ERRORS.MISSING_REQUIRED_PARAMETER, `Express (shipping) requires profile.scope "${EXPRESS_SCOPE}".`);
    }
  }

  // Expiry: the default window, or a long-living expiresAt.
  let expiresAt = ctx.now + DEFAULT_EXPIRY_MS;
  let longLiving = false;
  if (req.expiresAt != null) {
    const at = Date.parse(req.expiresAt);
    if (Number.isNaN(at)) throw new FieldValidationError([{ name: 'expiresAt', reason: 'The field expiresAt must be an RFC 3339 date-time.' }]);
    if (!salesUnit.allowLongLiving) throw new DomainError(ERRORS.LONG_LIVING_NOT_ALLOWED);
    if (method !== 'WALLET') throw new DomainError(ERRORS.LONG_LIVING_NOT_ALLOWED, 'Long-living payments (expiresAt) are only available for WALLET.');
    if (!req.receipt) throw new DomainError(ERRORS.LONG_LIVING_REQUIRES_RECEIPT);
    if (at <= ctx.now + DEFAULT_EXPIRY_MS) throw new DomainError(ERRORS.EXPIRES_AT_TOO_SOON);
    if (at >= ctx.now + 60 * DAY_MS) throw new DomainError(ERRORS.EXPIRES_AT_TOO_LATE);
    expiresAt = at;
    longLiving = true;
  }

  const terms: PaymentTerms = {
    userFlow: req.userFlow,
    paymentMethod: { type: method, ...(req.paymentMethod.blockedSources ? { blockedSources: req.paymentMethod.blockedSources } : {}) },
    customerInteraction: req.customerInteraction ?? 'CUSTOMER_NOT_PRESENT',
    longLiving,
  };
  if (req.customer) terms.customer = req.customer;
  if (customerPhone) terms.customerPhone = customerPhone;
  if (req.returnUrl !== undefined) terms.returnUrl = req.returnUrl;
  if (req.paymentDescription !== undefined) terms.paymentDescription = req.paymentDescription;
  if (profileScope) terms.profileScope = profileScope;
  if (req.metadata) terms.metadata = req.metadata;
  if (req.receipt) terms.receipt = req.receipt;
  if (req.receiptUrl != null) terms.receiptUrl = req.receiptUrl;
  if (req.minimumUserAge != null) terms.minimumUserAge = req.minimumUserAge;
  if (req.industryData != null) terms.industryData = req.industryData;
  if (req.shipping != null) terms.shipping = req.shipping;
  if (req.userFlow === 'QR') {
    const format = req.qrFormat?.format ?? 'IMAGE/SVG+XML';
    terms.qrFormat = format === 'IMAGE/PNG' ? { format, size: req.qrFormat?.size ?? 1024 } : { format };
  }
  return { terms, expiresAt };
}

export function isMsisdn(value: string): boolean {
  return /^\d{9,15}$/.test(value);
}

/** Personal QR codes carry the user's MSISDN as the last path segment (`https://qr.vipps.no/p/4712345678`). */
export function phoneFromPersonalQr(qr: string): string | undefined {
  const match = /(\d{9,15})(?:\?.*)?$/.exec(qr.trim());
  return match?.[1];
}

function validateReceipt(receipt: Receipt, currency: Currency): void {
  const problems: FieldProblem[] = [];
  if (receipt.bottomLine.currency !== currency) {
    problems.push({ name: 'receipt.bottomLine.currency', reason: `The receipt currency ${receipt.bottomLine.currency} must match amount.currency ${currency}.` });
  }
  receipt.orderLines.forEach((line, i) => {
    const at = `receipt.orderLines[${i}]`;
    if (line.taxRate == null && line.taxPercentage == null) {
      problems.push({ name: `${at}.taxRate`, reason: 'Either taxRate or taxPercentage must be set.' });
    }
    if (line.totalAmountExcludingTax + line.totalTaxAmount !== line.totalAmount) {
      problems.push({ name: `${at}.totalAmount`, reason: `totalAmount (${line.totalAmount}) must equal totalAmountExcludingTax (${line.totalAmountExcludingTax}) + totalTaxAmount (${line.totalTaxAmount}).` });
    }
  });
  if (problems.length > 0) throw new FieldValidationError(problems);
}
