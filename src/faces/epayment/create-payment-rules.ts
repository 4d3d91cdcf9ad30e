// ePayment's rules for a create-payment request that a JSON schema cannot express, in the order the
// platform applies them. Returns what the engine creates (neutral terms) and what only ePayment keeps
// (its attachment), or throws an ApiError / DomainError / FieldValidationError naming what is wrong.
import {
  checkAmount,
  checkExpressAllowed,
  checkLongLivingAllowed,
  checkLongLivingExpiry,
  checkProfileScope,
  checkPushAllowed,
  hasExpressScope,
  EXPRESS_SCOPE,
} from '../../domain/new-payment-rules.ts';
import { CURRENCIES, type Currency } from '../../domain/money.ts';
import type { OrderLine, PaymentTerms, UserFlow } from '../../domain/payment.ts';
import type { ShippingGroup, ShippingTerms } from '../../domain/shipping.ts';
import { DomainError, FieldValidationError, type FieldProblem } from '../../domain/reasons.ts';
import type { SalesUnit } from '../../domain/sales-unit.ts';
import { isAcceptableMerchantUrl, isHttpUrl, isRemoteHttpUrl } from '../../domain/url-rules.ts';
import { isMsisdn } from '../../domain/phone-number.ts';
import { ApiError } from '../api-error.ts';
import { orderLineProblems } from '../receipt/receipt-rules.ts';
import { EPAYMENT_ERRORS } from './error-map.ts';
import type { CardPassthrough, EpaymentTerms, PaymentMethodType } from './terms.ts';

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
  shipping?: { dynamicOptions?: DynamicOptions | null; fixedOptions?: FixedShippingGroup[] | null };
  cardPassthrough?: CardPassthrough | null;
}

export interface DynamicOptions {
  callbackUrl: string;
  callbackAuthorizationToken?: string;
}

export interface FixedShippingGroup {
  isDefault?: boolean;
  priority?: number;
  type: string;
  brand: string;
  options: Array<{
    id: string;
    isDefault?: boolean;
    amount: { currency: Currency; value: number };
    name: string;
    priority?: number;
    meta?: string;
    estimatedDelivery?: string;
  }>;
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

/** Only the wallet currencies: SEK, USD and GBP are for CARD_PASSTHROUGH, a PSP preview. */
const WALLET_CURRENCIES: readonly Currency[] = ['NOK', 'DKK', 'EUR'];

export interface CreateRuleContext {
  now: number;
  salesUnit: SalesUnit;
  /** Whether a Vipps user with this phone number exists (test users from the config). */
  customerExists: (phoneNumber: string) => boolean;
  /** The PSP the request came from (ePayment with Psp-Id); CARD_PASSTHROUGH is for PSPs only. */
  psp?: { pspId: string; clientId: string };
}

export interface ValidatedCreate {
  terms: PaymentTerms;
  /** What only ePayment keeps of the request (payment.attachments.epayment). */
  epayment: EpaymentTerms;
  expiresAt: number | undefined;
}

export function validateCreatePayment(req: CreatePaymentRequest, ctx: CreateRuleContext): ValidatedCreate {
  const { salesUnit } = ctx;
  const method = req.paymentMethod.type;

  const passthrough = method === 'CARD_PASSTHROUGH' ? checkCardPassthrough(req, ctx) : undefined;
  if (!passthrough && req.cardPassthrough !== undefined && req.cardPassthrough !== null) {
    throw new ApiError(EPAYMENT_ERRORS.INVALID_PAYMENT_METHOD, 'cardPassthrough can only be sent with paymentMethod.type CARD_PASSTHROUGH.');
  }
  if (method === 'CARD' && req.userFlow !== 'WEB_REDIRECT') {
    throw new ApiError(EPAYMENT_ERRORS.INVALID_PAYMENT_METHOD, 'paymentMethod.type CARD requires userFlow WEB_REDIRECT.');
  }

  // Amount: whole minor units, the currency of the market, then the per-currency minimum.
  const { currency, value } = req.amount;
  // A PSP's card passthrough takes all six currencies, cross-border, whatever the sales unit's market.
  const unit = passthrough ? { ...salesUnit, currencies: [...CURRENCIES] } : { ...salesUnit, currencies: salesUnit.currencies.filter((c) => WALLET_CURRENCIES.includes(c)) };
  checkAmount(value, currency, unit, { value: 'amount.value', currency: 'amount.currency' });

  if (req.paymentMethod.blockedSources && req.paymentMethod.blockedSources.length > 0) {
    if (method !== 'WALLET' || currency === 'NOK') throw new ApiError(EPAYMENT_ERRORS.BLOCKED_SOURCES_NOT_APPLICABLE);
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
        throw new ApiError(EPAYMENT_ERRORS.INVALID_PHONE_NUMBER, 'customer.phoneNumber must be an MSISDN: country code and number, 9 to 15 digits, no + or spaces (e.g. 4712345678).');
      }
      customerPhone = req.customer.phoneNumber;
    } else if (req.customer.personalQr !== undefined) {
      customerPhone = phoneFromPersonalQr(req.customer.personalQr);
      if (!customerPhone) throw new ApiError(EPAYMENT_ERRORS.INVALID_PERSONAL_QR, 'customer.personalQr does not contain a personal QR code of a Vipps user.');
    } else {
      throw new ApiError(EPAYMENT_ERRORS.INVALID_CUSTOMER_TOKEN, 'customer.customerToken is not a token issued by this platform (QR check-in is not supported by vipps-local yet).');
    }
    if (!ctx.customerExists(customerPhone)) {
      throw new DomainError('USER_NOT_FOUND', 'No Vipps user with this phone number can pay this merchant.');
    }
  }

  // User flow requirements.
  if (req.userFlow === 'WEB_REDIRECT' && !req.returnUrl) {
    throw new ApiError(EPAYMENT_ERRORS.MISSING_REQUIRED_PARAMETER, 'returnUrl is required when userFlow is WEB_REDIRECT.');
  }
  if (req.userFlow === 'PUSH_MESSAGE') {
    if (!req.customer) throw new ApiError(EPAYMENT_ERRORS.MISSING_REQUIRED_PARAMETER, 'customer is required when userFlow is PUSH_MESSAGE.');
    checkPushAllowed(salesUnit);
  }
  if (req.returnUrl !== undefined && !isAcceptableMerchantUrl(req.returnUrl)) {
    throw new ApiError(EPAYMENT_ERRORS.INVALID_URL, 'returnUrl must use https://, a custom app scheme, or http:// to a loopback host, without user:password@; schemes that run code or other programs (javascript:, ms-msdt:, intent:, view-source:, jar:, …) are refused.');
  }
  if (req.receiptUrl != null && !isAcceptableMerchantUrl(req.receiptUrl)) {
    throw new ApiError(EPAYMENT_ERRORS.INVALID_URL, 'receiptUrl must use https://, a custom app scheme, or http:// to a loopback host, without user:password@; schemes that run code or other programs (javascript:, ms-msdt:, intent:, view-source:, jar:, …) are refused.');
  }

  const profileScope = req.profile?.scope !== undefined ? checkProfileScope(req.profile.scope, salesUnit) : undefined;

  // Metadata limits carry their own codes, so they are checked here rather than in the schema.
  if (req.metadata) {
    const entries = Object.entries(req.metadata);
    if (entries.length > 5) throw new ApiError(EPAYMENT_ERRORS.METADATA_CAPACITY, `metadata has ${entries.length} entries; at most 5 are allowed.`);
    const lowered = new Set(entries.map(([k]) => k.toLowerCase()));
    if (lowered.size !== entries.length) throw new ApiError(EPAYMENT_ERRORS.METADATA_DUPLICATE_KEYS, 'metadata keys must be unique (case-insensitively).');
    for (const [k, v] of entries) {
      if (k.length > 100) throw new ApiError(EPAYMENT_ERRORS.METADATA_KEY_LENGTH, `metadata key "${k.slice(0, 20)}…" is longer than 100 characters.`);
      if (v.length > 500) throw new ApiError(EPAYMENT_ERRORS.METADATA_VALUE_LENGTH, `metadata value of "${k}" is longer than 500 characters.`);
    }
  }

  if (req.receipt) validateReceipt(req.receipt, currency);

  // Express shipping.
  let shipping: ShippingTerms | undefined;
  if (req.shipping) {
    if (req.shipping.dynamicOptions != null && req.shipping.fixedOptions != null) {
      throw new FieldValidationError([{ name: 'shipping', reason: 'Only one of shipping.dynamicOptions and shipping.fixedOptions can be set.' }]);
    }
    checkExpressAllowed(salesUnit);
    if (!hasExpressScope(profileScope)) {
      throw new ApiError(EPAYMENT_ERRORS.MISSING_REQUIRED_PARAMETER, `Express (shipping) requires profile.scope "${EXPRESS_SCOPE}".`);
    }
    if (method !== 'WALLET') throw new ApiError(EPAYMENT_ERRORS.INVALID_PAYMENT_METHOD, 'Express (shipping) is only available for paymentMethod.type WALLET.');
    shipping = shippingTermsOf(req.shipping, currency);
  }

  // Expiry: the default window, or a long-living expiresAt.
  let expiresAt: number | undefined;
  if (req.expiresAt != null) {
    const at = Date.parse(req.expiresAt);
    if (Number.isNaN(at)) throw new FieldValidationError([{ name: 'expiresAt', reason: 'The field expiresAt must be an RFC 3339 date-time.' }]);
    checkLongLivingAllowed(salesUnit);
    if (method !== 'WALLET') throw new DomainError('LONG_LIVING_NOT_ALLOWED', 'Long-living payments (expiresAt) are only available for WALLET.');
    if (!req.receipt) throw new ApiError(EPAYMENT_ERRORS.LONG_LIVING_REQUIRES_RECEIPT);
    checkLongLivingExpiry(at, ctx.now);
    expiresAt = at;
  }

  const terms: PaymentTerms = { userFlow: req.userFlow, longLiving: expiresAt !== undefined };
  if (passthrough) terms.anyCurrency = true;
  if (customerPhone) terms.customerPhone = customerPhone;
  if (req.returnUrl !== undefined) terms.returnUrl = req.returnUrl;
  if (req.paymentDescription !== undefined) terms.paymentDescription = req.paymentDescription;
  if (profileScope) terms.profileScope = profileScope;
  if (req.minimumUserAge != null) terms.minimumUserAge = req.minimumUserAge;
  if (req.receipt) terms.orderLines = orderLinesOf(req.receipt);
  if (shipping) terms.shipping = shipping;
  if (req.userFlow === 'QR') {
    const format = req.qrFormat?.format ?? 'IMAGE/SVG+XML';
    terms.qrFormat = format === 'IMAGE/PNG' ? { format, size: req.qrFormat?.size ?? 1024 } : { format };
  }

  const epayment: EpaymentTerms = {
    paymentMethod: { type: method, ...(req.paymentMethod.blockedSources ? { blockedSources: req.paymentMethod.blockedSources } : {}) },
    customerInteraction: req.customerInteraction ?? 'CUSTOMER_NOT_PRESENT',
  };
  if (req.customer) epayment.customer = req.customer;
  if (req.metadata) epayment.metadata = req.metadata;
  if (req.receipt) epayment.receipt = req.receipt;
  if (req.receiptUrl != null) epayment.receiptUrl = req.receiptUrl;
  if (req.industryData != null) epayment.industryData = req.industryData;
  if (req.shipping != null) epayment.shipping = req.shipping;
  if (passthrough) {
    epayment.cardPassthrough = passthrough;
    epayment.psp = ctx.psp!;
  }
  return { terms, epayment, expiresAt };
}

/** CARD_PASSTHROUGH: only a PSP (Psp-Id) may ask for it, and only with usable cardPassthrough details. */
function checkCardPassthrough(req: CreatePaymentRequest, ctx: CreateRuleContext): CardPassthrough {
  if (!ctx.psp) {
    throw new ApiError(EPAYMENT_ERRORS.INVALID_PAYMENT_METHOD, 'CARD_PASSTHROUGH is for PSPs only: send the PSP\'s subscription key and access token with its Psp-Id header, and the merchant\'s Merchant-Serial-Number.');
  }
  const details = req.cardPassthrough;
  if (!details) throw new ApiError(EPAYMENT_ERRORS.INVALID_PAYMENT_METHOD, 'paymentMethod.type CARD_PASSTHROUGH requires cardPassthrough (pspReference, cardCallbackUrl, allowedCardTypes).');
  if (!isCallbackUrl(details.cardCallbackUrl)) {
    throw new ApiError(EPAYMENT_ERRORS.INVALID_URL, 'cardPassthrough.cardCallbackUrl must be an https:// URL (http:// is accepted to a loopback host).');
  }
  if (details.allowedCardTypes.length === 0) {
    throw new FieldValidationError([{ name: 'cardPassthrough.allowedCardTypes', reason: 'At least one card type is required: VISA_DEBIT, VISA_CREDIT, MC_CREDIT, MC_DEBIT, DANKORT.' }]);
  }
  return details;
}

/** The card callback is a server-to-server call: https, or http to this machine (tests, a local PSP). */
function isCallbackUrl(raw: string): boolean {
  if (!isHttpUrl(raw)) return false;
  return /^https:/i.test(raw) || !isRemoteHttpUrl(raw);
}

/** Personal QR codes carry the user's MSISDN as the last path segment (`https://qr.vipps.no/p/4712345678`). */
export function phoneFromPersonalQr(qr: string): string | undefined {
  const match = /(\d{9,15})(?:\?.*)?$/.exec(qr.trim());
  return match?.[1];
}

/** Express: the neutral shipping terms of the request's `shipping`. */
function shippingTermsOf(shipping: NonNullable<CreatePaymentRequest['shipping']>, currency: Currency): ShippingTerms {
  if (shipping.dynamicOptions != null) {
    const { callbackUrl, callbackAuthorizationToken } = shipping.dynamicOptions;
    if (!isHttpUrl(callbackUrl)) throw new ApiError(EPAYMENT_ERRORS.INVALID_URL, 'shipping.dynamicOptions.callbackUrl must be an https:// URL without user:password@ (http:// is accepted for local servers).');
    return { callback: { url: callbackUrl, ...(callbackAuthorizationToken !== undefined ? { authorizationToken: callbackAuthorizationToken } : {}) } };
  }
  const groups = shipping.fixedOptions ?? [];
  if (groups.every((g) => g.options.length === 0)) {
    throw new FieldValidationError([{ name: 'shipping.fixedOptions', reason: 'Express needs at least one shipping option (or shipping.dynamicOptions).' }]);
  }
  return {
    fixedGroups: groups.map((g, gi): ShippingGroup => ({
      type: g.type,
      brand: g.brand,
      ...(g.isDefault !== undefined ? { isDefault: g.isDefault } : {}),
      ...(g.priority !== undefined ? { priority: g.priority } : {}),
      options: g.options.map((o, oi) => {
        const at = `shipping.fixedOptions[${gi}].options[${oi}].amount`;
        if (o.amount.currency !== currency) throw new ApiError(EPAYMENT_ERRORS.INVALID_AMOUNT, `${at}.currency ${o.amount.currency} must be the payment's currency, ${currency}.`);
        if (!Number.isSafeInteger(o.amount.value)) throw new ApiError(EPAYMENT_ERRORS.INVALID_AMOUNT, `${at}.value must be an integer number of minor units, got ${o.amount.value}.`);
        const { amount, ...rest } = o;
        return { ...rest, amount: amount.value };
      }),
    })),
  };
}


/** The lines the shopper is shown. */
export function orderLinesOf(receipt: Receipt): OrderLine[] {
  return receipt.orderLines.map((line) => {
    const quantity = (line.unitInfo as { quantity?: string } | undefined)?.quantity;
    return quantity !== undefined && quantity !== '1' ? { name: line.name, quantity, amount: line.totalAmount } : { name: line.name, amount: line.totalAmount };
  });
}

function validateReceipt(receipt: Receipt, currency: Currency): void {
  const problems: FieldProblem[] = [];
  if (receipt.bottomLine.currency !== currency) {
    problems.push({ name: 'receipt.bottomLine.currency', reason: `The receipt currency ${receipt.bottomLine.currency} must match amount.currency ${currency}.` });
  }
  problems.push(...orderLineProblems(receipt.orderLines, 'receipt.orderLines'));
  if (problems.length > 0) throw new FieldValidationError(problems);
}
