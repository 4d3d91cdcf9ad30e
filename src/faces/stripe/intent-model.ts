// What the face keeps beside a PaymentIntent, how one attempt (an engine payment) belongs to it, and
// the per-transaction context a handler leaves for the projector (the request, a refund's reason).
import type { Payment } from '../../domain/payment.ts';
import type { StoreTx } from '../../store/store.ts';
import type { EventRequest } from './events.ts';
import type { Metadata, PaymentIntentObject } from './objects.ts';
import type { StoredObject } from './stripe-store.ts';

/** Stripe's 5 minutes to authorize a redirect (the seed, "Failed payments"). */
export const REQUIRES_ACTION_WINDOW_MS = 5 * 60_000;
/** Stripe's 7-day hold on a Vipps authorization (the seed, "Authorize a payment and then capture later"). */
export const AUTHORIZATION_HOLD_MS = 7 * 24 * 3600_000;

export interface IntentInternal {
  msn: string;
  /** The engine payment of the attempt under way or authorized; null before a confirm and after a failed attempt. */
  attempt: string | null;
  /** `pa_…`: the current attempt's public id (the test payment page's address). */
  attemptId: string | null;
  /** Where the shopper returns after the redirect (the confirm's return_url). */
  returnUrl: string | null;
  /** Payment method types whose payment_method_options ask for manual capture (the intent's capture_method aside). */
  manualCaptureTypes?: string[];
  /** The Checkout Session that made this PaymentIntent, when one did. */
  checkoutSession?: string;
}

export type StoredIntent = StoredObject<PaymentIntentObject, IntentInternal>;

/** `payment.attachments.stripe`: which PaymentIntent and attempt an engine payment is. */
export interface StripeAttachment {
  account: string;
  paymentIntent: string;
  attemptId: string;
  /** The payment method type of the attempt: vipps or card. */
  type: string;
}

export const stripeAttachmentOf = (p: Payment): StripeAttachment | undefined => p.attachments?.stripe as StripeAttachment | undefined;

export interface Decline {
  code: string;
  decline_code?: string;
  message: string;
}

/** What a handler tells the projector about the change it is making, for the transaction it runs in. */
export interface ChangeContext {
  request: EventRequest;
  cancellationReason?: string;
  refund?: { id: string; reason: string | null; metadata: Metadata };
  /** A card declined at confirm: the attempt fails with this error. */
  decline?: Decline;
}

const contexts = new WeakMap<StoreTx, ChangeContext>();

export function setChangeContext(tx: StoreTx, c: ChangeContext): void {
  contexts.set(tx, c);
}

export function changeContextOf(tx: StoreTx): ChangeContext | undefined {
  return contexts.get(tx);
}

/** `pi_…_secret_…`: what Stripe.js is given; the id is the part before `_secret_`. */
export function intentIdOfSecret(secret: string): string | undefined {
  const at = secret.indexOf('_secret_');
  return at > 0 ? secret.slice(0, at) : undefined;
}
