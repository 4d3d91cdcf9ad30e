// Engine events of a Stripe attempt become Stripe's objects and Events, in the transaction that
// records them (STRIPE-NOTES §2.3, §2.6): an authorization makes a Charge (captured at once under
// automatic capture), a capture completes it, a failed or expired attempt detaches the payment method,
// a release cancels the PaymentIntent, a refund makes a Refund.
import type { Projector } from '../../engine/deps.ts';
import type { Payment, PaymentEvent } from '../../domain/payment.ts';
import type { StoreTx } from '../../store/store.ts';
import { AUTOMATIC, emitEvent, previousAttributes } from './events.ts';
import { changeContextOf, stripeAttachmentOf, type ChangeContext, type Decline, type StoredIntent } from './intent-model.ts';
import { newId, unixSeconds, type ChargeObject, type PaymentMethodObject, type PaymentIntentObject, type RefundObject } from './objects.ts';
import { newCharge, paymentMethodDetailsOf } from './charges.ts';
import type { StripeRepository, StripeStore } from './stripe-store.ts';
import { completeCheckoutSession } from './checkout-sessions.ts';

/** How an attempt that ended without authorization is reported in `last_payment_error`. */
const ATTEMPT_FAILED: Record<'ABORTED' | 'EXPIRED', Decline> = {
  ABORTED: { code: 'payment_intent_authentication_failure', message: 'The customer did not approve the payment in Vipps. Provide a new payment method to attempt to fulfill this PaymentIntent again.' },
  EXPIRED: { code: 'payment_intent_payment_attempt_expired', message: 'The payment was not authorized in Vipps within 5 minutes. Provide a new payment method to attempt to fulfill this PaymentIntent again.' },
};

export function stripeProjector(stripe: StripeStore): Projector {
  return async (tx, event, payment) => {
    const attachment = stripeAttachmentOf(payment);
    if (!attachment) return 0;
    const repo = stripe.in(tx.sql);
    const intent = await repo.get<PaymentIntentObject, StoredIntent['internal']>(attachment.paymentIntent);
    // An attempt the PaymentIntent has moved on from changes nothing of it.
    if (!intent || intent.internal.attempt !== payment.id) return 0;
    const context = changeContextOf(tx) ?? { request: AUTOMATIC };
    return new Projection(tx, repo, intent as StoredIntent, payment, event, context).run();
  };
}

class Projection {
  private written = 0;
  private readonly now: number;
  constructor(
    private readonly tx: StoreTx,
    private readonly repo: StripeRepository,
    private readonly intent: StoredIntent,
    private readonly payment: Payment,
    private readonly event: PaymentEvent,
    private readonly context: ChangeContext,
  ) {
    this.now = event.timestamp;
  }

  async run(): Promise<number> {
    switch (this.event.name) {
      case 'AUTHORIZED':
        await this.authorized();
        break;
      case 'CAPTURED':
        await this.captured();
        break;
      case 'ABORTED':
      case 'EXPIRED':
        await this.failed(this.context.decline ?? ATTEMPT_FAILED[this.event.name]);
        break;
      case 'TERMINATED':
        await this.canceled(null);
        break;
      case 'CANCELLED':
        await this.canceled(this.context.cancellationReason ? 'charge.refunded' : 'charge.expired');
        break;
      case 'REFUNDED':
        await this.refunded();
        break;
      default:
        break;
    }
    return this.written;
  }

  private async emit(type: string, object: { id: string }, previous?: Record<string, unknown>): Promise<void> {
    this.written += await emitEvent(this.tx, this.repo, { account: this.intent.account, msn: this.intent.internal.msn, type, object, previous, request: this.context.request, now: this.now });
  }

  private async saveIntent(next: PaymentIntentObject, internal = this.intent.internal): Promise<Record<string, unknown>> {
    await this.repo.update(this.intent.id, next, internal);
    const previous = previousAttributes(this.intent.data, next);
    (this.intent as { data: PaymentIntentObject }).data = next;
    return previous;
  }

  private async charge(): Promise<{ id: string; data: ChargeObject } | null> {
    const id = this.intent.data.latest_charge;
    if (!id) return null;
    const c = await this.repo.get<ChargeObject>(id);
    return c ? { id, data: c.data } : null;
  }

  private async authorized(): Promise<void> {
    const pi = this.intent.data;
    const automatic = this.payment.terms.captureOnApproval === true;
    const pm = pi.payment_method ? await this.repo.get<PaymentMethodObject>(pi.payment_method) : null;
    const charge = newCharge({
      pi,
      amount: this.payment.authorized,
      captured: automatic,
      now: this.now,
      paymentMethod: pm?.data ?? null,
      details: paymentMethodDetailsOf(pm?.data ?? null, this.payment),
    });
    await this.repo.insert({ id: charge.id, account: this.intent.account, kind: 'charge', parent: pi.id, tag: null, data: charge, internal: { paymentId: this.payment.id } });
    await this.emit('charge.succeeded', charge);
    const next: PaymentIntentObject = {
      ...pi,
      latest_charge: charge.id,
      next_action: null,
      last_payment_error: null,
      status: automatic ? 'succeeded' : 'requires_capture',
      amount_capturable: automatic ? 0 : this.payment.authorized,
      amount_received: automatic ? this.payment.authorized : 0,
    };
    const previous = await this.saveIntent(next);
    await this.emit(automatic ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', next, previous);
    // A Checkout Session's PaymentIntent authorized: the session completes in this transaction.
    this.written += await completeCheckoutSession(this.tx, this.repo, this.intent, this.now, this.context.request);
  }

  private async captured(): Promise<void> {
    const found = await this.charge();
    // Under automatic capture the authorization already reported the capture.
    if (!found || found.data.captured) return;
    const charge: ChargeObject = { ...found.data, captured: true, amount_captured: this.event.amount, balance_transaction: newId('txn') };
    await this.repo.update(found.id, charge, { paymentId: this.payment.id });
    await this.emit('charge.captured', charge, previousAttributes(found.data, charge));
    const next: PaymentIntentObject = { ...this.intent.data, status: 'succeeded', amount_capturable: 0, amount_received: this.event.amount };
    await this.emit('payment_intent.succeeded', next, await this.saveIntent(next));
  }

  private async failed(decline: Decline): Promise<void> {
    const pi = this.intent.data;
    const pm = pi.payment_method ? await this.repo.get<PaymentMethodObject>(pi.payment_method) : null;
    const error = {
      type: 'card_error' as const,
      code: decline.code,
      ...(decline.decline_code ? { decline_code: decline.decline_code } : {}),
      message: decline.message,
      doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
      ...(pm ? { payment_method: pm.data, payment_method_type: pm.data.type } : {}),
    };
    if (this.context.decline) {
      // A declined card is a failed Charge, as on Stripe.
      const charge: ChargeObject = {
        ...newCharge({ pi, amount: pi.amount, captured: false, now: this.now, paymentMethod: pm?.data ?? null, details: paymentMethodDetailsOf(pm?.data ?? null, this.payment) }),
        status: 'failed',
        paid: false,
        balance_transaction: null,
        failure_code: decline.code,
        failure_message: decline.message,
      };
      charge.outcome = { ...charge.outcome, network_status: 'declined_by_network', reason: decline.decline_code ?? 'generic_decline', risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' };
      await this.repo.insert({ id: charge.id, account: this.intent.account, kind: 'charge', parent: pi.id, tag: null, data: charge, internal: { paymentId: this.payment.id } });
      await this.emit('charge.failed', charge);
      pi.latest_charge = charge.id;
    }
    // The payment method detaches, and the PaymentIntent waits for a new one (the seed, "Failed payments").
    const next: PaymentIntentObject = { ...pi, status: 'requires_payment_method', payment_method: null, next_action: null, last_payment_error: error };
    const previous = await this.saveIntent(next, { ...this.intent.internal, attempt: null, attemptId: null });
    await this.emit('payment_intent.payment_failed', next, previous);
  }

  private async canceled(chargeEvent: 'charge.refunded' | 'charge.expired' | null): Promise<void> {
    const found = chargeEvent ? await this.charge() : null;
    if (found && chargeEvent) {
      // An uncaptured authorization released: its whole amount is returned (refunded) or has expired.
      const charge: ChargeObject = { ...found.data, amount_refunded: found.data.amount, refunded: true };
      await this.repo.update(found.id, charge, { paymentId: this.payment.id });
      await this.emit(chargeEvent, charge, previousAttributes(found.data, charge));
    }
    const next: PaymentIntentObject = {
      ...this.intent.data,
      status: 'canceled',
      canceled_at: unixSeconds(this.now),
      cancellation_reason: this.context.cancellationReason ?? 'automatic',
      amount_capturable: 0,
      next_action: null,
    };
    await this.emit('payment_intent.canceled', next, await this.saveIntent(next));
  }

  private async refunded(): Promise<void> {
    const found = await this.charge();
    if (!found) return;
    const given = this.context.refund;
    const refund: RefundObject = {
      id: given?.id ?? newId('re'),
      object: 'refund',
      amount: this.event.amount,
      balance_transaction: newId('txn'),
      charge: found.id,
      created: unixSeconds(this.now),
      currency: found.data.currency,
      customer: null,
      customer_account: null,
      // Vipps through Stripe is a card transaction (the seed): its refund goes back over the card rails.
      destination_details: { type: 'card', card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
      metadata: given?.metadata ?? {},
      payment_intent: this.intent.id,
      payment_method: found.data.payment_method,
      reason: given?.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    await this.repo.insert({ id: refund.id, account: this.intent.account, kind: 'refund', parent: this.intent.id, tag: found.id, data: refund, internal: { paymentId: this.payment.id } });
    await this.emit('refund.created', refund);
    const amountRefunded = found.data.amount_refunded + this.event.amount;
    const charge: ChargeObject = { ...found.data, amount_refunded: amountRefunded, refunded: amountRefunded >= found.data.amount_captured };
    await this.repo.update(found.id, charge, { paymentId: this.payment.id });
    await this.emit('charge.refunded', charge, previousAttributes(found.data, charge));
  }
}
