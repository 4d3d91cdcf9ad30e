// Express: the shopper picks a delivery address in the app, and the platform offers the shipping
// options for it: the merchant's fixed list, or what the merchant's server answers for that address
// (asked outside any transaction, through the face that knows the callback's format). The offer is
// recorded on the payment; the approval then takes one of its options (approve-payment.ts).
import type { Payment, PaymentKey } from '../domain/payment.ts';
import { DomainError } from '../domain/reasons.ts';
import type { ShippingAddress, ShippingGroup, ShippingOffer } from '../domain/shipping.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange } from './load-payment.ts';
import { getPayment } from './query-payments.ts';
import { runUnit } from './unit-of-work.ts';

/** Asks the merchant's server for the shipping options of an address (a face's adapter of its callback). */
export type ShippingSource = (payment: Payment, address: ShippingAddress) => Promise<{ groups: ShippingGroup[] } | { unavailable: string }>;

function assertOffering(p: Payment): void {
  if (!p.terms.shipping) throw new DomainError('NOT_SUPPORTED', 'This payment has no shipping to choose: it is not an Express payment.');
  if (p.state !== 'CREATED' || p.pendingApproval) throw new DomainError('APPROVAL_NOT_ALLOWED', `The payment is ${p.state} and can no longer be changed.`);
}

/** Offers the shipping options for `address` and records them on the payment. */
export async function offerShipping(deps: EngineDeps, key: PaymentKey, address: ShippingAddress): Promise<Payment> {
  const p = await getPayment(deps, key);
  assertOffering(p);
  const shipping = p.terms.shipping!;
  let offer: Omit<ShippingOffer, 'at'>;
  if (shipping.fixedGroups) {
    offer = { address, groups: shipping.fixedGroups };
  } else if (deps.shippingSource) {
    const answer = await deps.shippingSource(p, address);
    offer = 'groups' in answer ? { address, groups: answer.groups } : { address, groups: [], unavailable: answer.unavailable };
  } else {
    offer = { address, groups: [], unavailable: 'No way to ask the shop for shipping options is configured.' };
  }
  return runUnit(deps, async (uow) => {
    const current = await loadForChange(deps, uow, { id: p.id });
    assertOffering(current);
    const next = { ...current, shippingOffer: { ...offer, at: uow.now }, version: current.version + 1 };
    await uow.tx.updatePayment(next);
    return next;
  });
}
