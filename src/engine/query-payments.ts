import { dueAt, type Adjustment, type Payment, type PaymentEvent, type PaymentKey } from '../domain/payment.ts';
import { parsePaymentToken, sameToken } from '../domain/payment-token.ts';
import type { PaymentListFilter, PaymentPage } from '../store/store.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange, paymentNotFound } from './load-payment.ts';
import { runUnit } from './unit-of-work.ts';

/** The payment, with a deadline that has passed settled first (so results never depend on the sweeper's timing). */
export async function getPayment(deps: EngineDeps, key: PaymentKey): Promise<Payment> {
  const p = await deps.store.getPayment(key);
  if (!p) throw paymentNotFound(key);
  const due = dueAt(p);
  if (due !== null && due <= deps.clock.now()) return runUnit(deps, (uow) => loadForChange(deps, uow, { id: p.id }));
  return p;
}

/** The payment as stored, or null: for a face that only reads what the payment was created with. */
export function findPayment(deps: EngineDeps, key: PaymentKey): Promise<Payment | null> {
  return deps.store.getPayment(key);
}

export async function getPaymentEvents(deps: EngineDeps, key: PaymentKey): Promise<PaymentEvent[]> {
  const p = await getPayment(deps, key);
  return deps.store.listEvents(p.id);
}

export async function getPaymentAdjustments(deps: EngineDeps, key: PaymentKey): Promise<Adjustment[]> {
  const p = await getPayment(deps, key);
  return deps.store.listAdjustments(p.id);
}

/** The payment a landing-page or app token opens, or null. */
export async function getPaymentByToken(deps: EngineDeps, token: string): Promise<Payment | null> {
  const claimed = parsePaymentToken(token);
  if (!claimed) return null;
  const p = await deps.store.getPayment(claimed);
  if (!p || !sameToken(p.token, token)) return null;
  return getPayment(deps, { id: p.id });
}

/** Payments newest first, filtered and paged by a keyset cursor (the dashboard's list). States are as stored: a deadline that passed shows once the sweeper settled it. */
export function listPayments(deps: EngineDeps, filter: PaymentListFilter): Promise<PaymentPage> {
  return deps.store.listPayments(filter);
}
