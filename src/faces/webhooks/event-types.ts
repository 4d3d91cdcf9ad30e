// Webhook event names (Webhooks API events.md) and which of them vipps-local emits.
import type { PaymentEventName } from '../../domain/payment.ts';

export const EPAYMENT_EVENT_TYPES = [
  'epayments.payment.created.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.cancelled.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.refunded.v1',
  'epayments.payment.authorized.v1',
  'epayments.payment.terminated.v1',
] as const;

/** Names the platform knows but vipps-local never emits: registering for them is allowed. */
export const OTHER_KNOWN_EVENT_TYPES = [
  'recurring.agreement-activated.v1',
  'recurring.agreement-rejected.v1',
  'recurring.agreement-stopped.v1',
  'recurring.agreement-expired.v1',
  'recurring.charge-reserved.v1',
  'recurring.charge-captured.v1',
  'recurring.charge-canceled.v1',
  'recurring.charge-failed.v1',
  'recurring.charge-refunded.v1',
  'recurring.charge-creation-failed.v1',
  'user.checked-in.v1',
  'login.merchant-initiated.ping.v1',
] as const;

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([...EPAYMENT_EVENT_TYPES, ...OTHER_KNOWN_EVENT_TYPES]);

export function eventTypeOf(name: PaymentEventName): string {
  return `epayments.payment.${name.toLowerCase()}.v1`;
}

/** "At most 25 webhooks can currently be registered per event"; QR check-in allows one. */
export function registrationLimit(eventType: string): number {
  return eventType === 'user.checked-in.v1' ? 1 : 25;
}
