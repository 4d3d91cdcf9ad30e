// Express's dynamic shipping callback (ePayment spec: "Merchant dynamic shipping callback"): the
// platform POSTs the shopper's address to the merchant's `callbackUrl`, with
// `Authorization: <callbackAuthorizationToken>` as given (no "Bearer" added), and shows the shipping
// groups the merchant answers. The ePayment face's adapter of the engine's ShippingSource.
//
// The body's casing: the spec writes PascalCase (AddressLine1, City, …), while both official plugins
// (WooCommerce, Magento) read camelCase keys, case-sensitively (PLATFORM-NOTES-ADDENDUM §2). camelCase
// by default; `expressCallbackCase: "PascalCase"` sends the spec's spelling.
import type { Payment } from '../../domain/payment.ts';
import type { ShippingAddress, ShippingGroup, ShippingOption } from '../../domain/shipping.ts';
import type { OutboundCaller } from '../../delivery/outbound-call.ts';
import type { ShippingSource } from '../../engine/shipping.ts';

export type CallbackCase = 'camelCase' | 'PascalCase';

/** eCom's shipping callback had 10 s; nothing else is documented for ePayment (addendum §2). */
export const SHIPPING_CALLBACK_TIMEOUT_MS = 10_000;

export function callbackBody(reference: string, address: ShippingAddress, casing: CallbackCase): Record<string, string> {
  const fields: Array<[string, string | undefined]> = [
    ['addressLine1', address.addressLine1],
    ['addressLine2', address.addressLine2],
    ['city', address.city],
    ['postCode', address.postCode],
    ['country', address.country],
  ];
  const body: Record<string, string> = { reference };
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    body[casing === 'PascalCase' ? name[0]!.toUpperCase() + name.slice(1) : name] = value;
  }
  return body;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The groups of the merchant's answer, in the payment's currency, or why they cannot be shown. */
export function parseShippingGroups(text: string, currency: string): { groups: ShippingGroup[] } | { unavailable: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { unavailable: 'The shop answered with something that is not JSON.' };
  }
  if (!isObject(json) || !Array.isArray(json.groups)) return { unavailable: 'The shop answered without a "groups" list.' };
  const groups: ShippingGroup[] = [];
  for (const [gi, g] of json.groups.entries()) {
    if (!isObject(g) || typeof g.type !== 'string' || typeof g.brand !== 'string' || !Array.isArray(g.options)) {
      return { unavailable: `groups[${gi}] needs type, brand and options.` };
    }
    const options: ShippingOption[] = [];
    for (const [oi, o] of g.options.entries()) {
      const at = `groups[${gi}].options[${oi}]`;
      if (!isObject(o) || typeof o.id !== 'string' || typeof o.name !== 'string' || !isObject(o.amount)) return { unavailable: `${at} needs id, name and amount.` };
      const value = o.amount.value;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return { unavailable: `${at}.amount.value must be a whole number of minor units.` };
      if (o.amount.currency !== currency) return { unavailable: `${at}.amount.currency must be the payment's currency, ${currency}.` };
      const option: ShippingOption = { id: o.id, name: o.name, amount: value };
      if (typeof o.isDefault === 'boolean') option.isDefault = o.isDefault;
      if (typeof o.priority === 'number') option.priority = o.priority;
      const meta = optionalString(o.meta);
      if (meta !== undefined) option.meta = meta;
      const estimated = optionalString(o.estimatedDelivery);
      if (estimated !== undefined) option.estimatedDelivery = estimated;
      options.push(option);
    }
    const group: ShippingGroup = { type: g.type, brand: g.brand, options };
    if (typeof g.isDefault === 'boolean') group.isDefault = g.isDefault;
    if (typeof g.priority === 'number') group.priority = g.priority;
    groups.push(group);
  }
  if (groups.every((g) => g.options.length === 0)) return { unavailable: 'The shop offers no shipping option for this address.' };
  return { groups };
}

export function expressShippingSource(call: OutboundCaller, casing: CallbackCase, timeoutMs = SHIPPING_CALLBACK_TIMEOUT_MS): ShippingSource {
  return async (payment: Payment, address: ShippingAddress) => {
    const callback = payment.terms.shipping?.callback;
    if (!callback) return { unavailable: 'The payment has no shipping callback.' };
    const result = await call({
      purpose: 'express shipping callback',
      url: callback.url,
      headers: callback.authorizationToken !== undefined ? { authorization: callback.authorizationToken } : {},
      body: JSON.stringify(callbackBody(payment.reference, address, casing)),
      timeoutMs,
      subject: { msn: payment.msn, reference: payment.reference },
    });
    if (result.status === null) return { unavailable: `The shop's shipping service did not answer: ${result.error}.` };
    // 400 is the documented "we cannot ship to that address".
    if (result.status === 400) return { unavailable: 'The shop cannot deliver to this address.' };
    if (result.status !== 200) return { unavailable: `The shop's shipping service answered ${result.status}.` };
    return parseShippingGroups(result.body, payment.currency);
  };
}
