// Express checkout: the merchant offers shipping (options it lists up front, or options its server
// gives for the shopper's address), the shopper picks an address and an option in the app, and the
// chosen option's cost is added to what is reserved. Pure rules; the engine does the calls and the
// writes (engine/shipping.ts).
import { DomainError } from './reasons.ts';

export interface ShippingAddress {
  addressLine1: string;
  addressLine2?: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  postCode: string;
}

export interface ShippingOption {
  id: string;
  name: string;
  /** Minor units, in the payment's currency. */
  amount: number;
  isDefault?: boolean;
  priority?: number;
  meta?: string;
  estimatedDelivery?: string;
}

export interface ShippingGroup {
  /** HOME_DELIVERY, PICKUP_POINT, … */
  type: string;
  /** POSTEN, BRING, … */
  brand: string;
  isDefault?: boolean;
  priority?: number;
  options: ShippingOption[];
}

/** How a payment offers shipping: fixed groups, or a merchant server that answers per address. */
export interface ShippingTerms {
  fixedGroups?: ShippingGroup[];
  callback?: { url: string; authorizationToken?: string };
}

/** What was offered for the address the shopper chose (the app shows these). */
export interface ShippingOffer {
  address: ShippingAddress;
  groups: ShippingGroup[];
  /** Why nothing can be offered (the merchant's server refused the address, failed or timed out). */
  unavailable?: string;
  at: number;
}

/** What the shopper chose: returned as GetPayment's and the webhook's shippingDetails. */
export interface ShippingDetails {
  address: ShippingAddress;
  shippingCost: number;
  shippingOptionId: string;
  shippingOptionName: string;
}

const byPreference = <T extends { isDefault?: boolean; priority?: number }>(a: T, b: T) =>
  Number(b.isDefault === true) - Number(a.isDefault === true) || (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER);

/** Groups and their options in the order the app shows them: the default first, then by priority (lower first). */
export function inDisplayOrder(groups: ShippingGroup[]): ShippingGroup[] {
  return [...groups].sort(byPreference).map((g) => ({ ...g, options: [...g.options].sort(byPreference) }));
}

/** The option the app selects before the shopper chooses: the default one, else the first shown. */
export function preselectedOption(groups: ShippingGroup[]): ShippingOption | undefined {
  const ordered = inDisplayOrder(groups);
  return ordered.flatMap((g) => g.options).find((o) => o.isDefault) ?? ordered[0]?.options[0];
}

/** The shopper's choice of `optionId` (or the preselected option) from what was offered. */
export function chooseShipping(offer: ShippingOffer | undefined, optionId: string | undefined): ShippingDetails {
  if (!offer) throw new DomainError('SHIPPING_REQUIRED', 'Choose a delivery address first: the shop offers its shipping options for it.');
  if (offer.unavailable !== undefined) throw new DomainError('SHIPPING_UNAVAILABLE', offer.unavailable);
  const option = optionId === undefined ? preselectedOption(offer.groups) : offer.groups.flatMap((g) => g.options).find((o) => o.id === optionId);
  if (!option) {
    throw new DomainError(
      optionId === undefined ? 'SHIPPING_UNAVAILABLE' : 'SHIPPING_OPTION_UNKNOWN',
      optionId === undefined ? 'The shop offers no shipping option for this address.' : `"${optionId}" is not one of the shipping options offered for this address.`,
    );
  }
  return { address: offer.address, shippingCost: option.amount, shippingOptionId: option.id, shippingOptionName: option.name };
}
