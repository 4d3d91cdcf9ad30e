// The shopper's side of a payment: the landing page's phone number step and what the phone-app
// simulator lists. Pure rules; the engine (engine/shopper.ts) applies them.
import { DomainError } from './reasons.ts';
import type { Payment } from './payment.ts';

/** The landing page (and a deep link) must be used within 5 minutes (knowledge-base/timeouts). */
export const OPEN_WINDOW_MS = 5 * 60 * 1000;

/**
 * Until when the landing page accepts a phone number. The platform gives 5 minutes to open a
 * request and 5 more to approve it; a long-living payment keeps its landing page until it expires.
 */
export function openDeadline(p: Payment): number {
  return p.terms.longLiving ? p.expiresAt : Math.min(p.createdAt + OPEN_WINDOW_MS, p.expiresAt);
}

/** Whether the landing page's time to enter a phone number has run out (the payment may still be CREATED). */
export function landingTimedOut(p: Payment, now: number): boolean {
  return p.state === 'CREATED' && p.sentToPhoneAt === undefined && now >= openDeadline(p);
}

/**
 * The shopper entered `phone` on the landing page and pressed Next: the request is sent to that
 * phone's app. Returns the payment unchanged when it was already sent there.
 */
export function sendToPhone(p: Payment, phone: string, now: number): Payment {
  if (p.terms.userFlow !== 'WEB_REDIRECT') {
    throw new DomainError('NOT_SUPPORTED', `Only WEB_REDIRECT payments have a landing page; this one is ${p.terms.userFlow}.`);
  }
  if (p.state !== 'CREATED') throw new DomainError('APPROVAL_NOT_ALLOWED', `The payment is ${p.state} and can no longer be sent to a phone.`);
  if (p.pendingApproval) throw new DomainError('APPROVAL_NOT_ALLOWED', 'The payment was already approved; its result is pending.');
  if (now >= openDeadline(p)) {
    throw new DomainError('APPROVAL_NOT_ALLOWED', 'The 5 minutes to confirm the phone number on the landing page have run out.');
  }
  if (p.sentToPhoneAt !== undefined && p.customerPhone === phone) return p;
  return { ...p, customerPhone: phone, sentToPhoneAt: now, version: p.version + 1 };
}

/** A request waiting for this user's decision in the app: pushed to the phone, or sent from the landing page. */
export function isIncomingFor(p: Payment, phone: string): boolean {
  return (
    p.state === 'CREATED' &&
    !p.pendingApproval &&
    p.customerPhone === phone &&
    (p.terms.userFlow === 'PUSH_MESSAGE' || p.sentToPhoneAt !== undefined)
  );
}

export interface Inbox {
  /** Requests to approve or reject now, oldest first. */
  incoming: Payment[];
  /** Everything else of this user, newest first. Requests that never reached the app are left out. */
  history: Payment[];
}

/** Splits a user's payments (newest first) into the simulator's incoming requests and history. */
export function inboxOf(payments: Payment[], phone: string): Inbox {
  const mine = payments.filter((p) => p.customerPhone === phone);
  const incoming = mine.filter((p) => isIncomingFor(p, phone)).reverse();
  const history = mine.filter((p) => !isIncomingFor(p, phone) && (p.state !== 'CREATED' || p.pendingApproval !== undefined));
  return { incoming, history };
}
