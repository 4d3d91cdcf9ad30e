// Use-cases behind the shopper pages: the landing page's "send to my phone", the simulator's list
// of a user's payments, who may sign in to the simulator, and the pages' signing secret.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/reasons.ts';
import type { Payment } from '../domain/payment.ts';
import { parsePaymentToken, sameToken } from '../domain/payment-token.ts';
import { inboxOf, sendToPhone, type Inbox } from '../domain/shopper-journey.ts';
import type { TestUser } from '../domain/test-user.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange } from './load-payment.ts';
import { getPayment } from './query-payments.ts';
import { runUnit } from './unit-of-work.ts';

/** How many of a user's payments the simulator lists. */
export const INBOX_LIMIT = 50;

function tokenNotFound(): DomainError {
  return new DomainError('PAYMENT_NOT_FOUND', 'No payment has this token.');
}

/** The app user with this number, or 7010 when no such user can pay (acceptAnyUser: false). */
export function appUser(deps: EngineDeps, phone: string): TestUser {
  const user = deps.directory.user(phone);
  if (!user) throw new DomainError('USER_NOT_FOUND', `No Vipps user with phone number ${phone} exists.`);
  return user;
}

/** The landing page's Next: the payment request goes to the app of `phone`. */
export async function sendPaymentToPhone(deps: EngineDeps, token: string, phone: string): Promise<Payment> {
  const claimed = parsePaymentToken(token);
  if (!claimed) throw tokenNotFound();
  appUser(deps, phone);
  return runUnit(deps, async (uow) => {
    const p = await loadForChange(deps, uow, claimed).catch((err: unknown) => {
      throw err instanceof DomainError && err.reason === 'PAYMENT_NOT_FOUND' ? tokenNotFound() : err;
    });
    if (!sameToken(p.token, token)) throw tokenNotFound();
    const next = sendToPhone(p, phone, uow.now);
    // No event exists for this step: the payment changes, its event log does not.
    if (next !== p) await uow.tx.updatePayment(next);
    return next;
  });
}

/** The simulator's incoming requests and history for one user. Deadlines that have passed are settled first. */
export async function paymentsOfPhone(deps: EngineDeps, phone: string): Promise<Inbox> {
  const listed = await deps.store.listPaymentsByCustomerPhone(phone, INBOX_LIMIT);
  const now = deps.clock.now();
  const settled = await Promise.all(listed.map((p) => (p.state === 'CREATED' && p.expiresAt <= now ? getPayment(deps, { id: p.id }) : p)));
  return inboxOf(settled, phone);
}

/** The secret that signs the pages' cookies and CSRF tokens; made once and kept with the data. */
export function pagesSecret(deps: EngineDeps): Promise<string> {
  return deps.store.initSetting('pages_secret', randomBytes(32).toString('base64url'));
}
