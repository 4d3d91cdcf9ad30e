import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { parsePaymentToken, sameToken } from '../domain/payment-token.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange, referenceNotFound } from './load-payment.ts';
import { runUnitOfWork } from './unit-of-work.ts';

export async function getPayment(deps: EngineDeps, msn: string, reference: string): Promise<Payment> {
  const p = await deps.store.getPayment(msn, reference);
  if (!p) throw referenceNotFound(msn, reference);
  if (p.state === 'CREATED' && p.expiresAt <= deps.clock.now()) return settleNow(deps, msn, reference);
  return p;
}

export async function getPaymentEvents(deps: EngineDeps, msn: string, reference: string): Promise<PaymentEvent[]> {
  await getPayment(deps, msn, reference);
  return deps.store.listEvents(msn, reference);
}

/** The payment a landing-page or app token opens, or null. */
export async function getPaymentByToken(deps: EngineDeps, token: string): Promise<Payment | null> {
  const claimed = parsePaymentToken(token);
  if (!claimed) return null;
  const p = await deps.store.getPayment(claimed.msn, claimed.reference);
  if (!p || !sameToken(p.token, token)) return null;
  return getPayment(deps, p.msn, p.reference);
}

function settleNow(deps: EngineDeps, msn: string, reference: string): Promise<Payment> {
  return runUnitOfWork(deps, async (uow) => ({ ok: true, value: await loadForChange(deps, uow, msn, reference), replayed: false }));
}
