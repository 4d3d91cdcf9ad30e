// The engine: every face and page acts on payments through it; none of them touches the store's
// payment tables directly. A face runs a unit of work (`run`, or `guarded` for an idempotent
// request) and calls the commands inside it, together with its own repositories' writes on the same
// transaction (`uow.tx`). Pages use the one-command shortcuts.
import type { Payment, PaymentEvent, PaymentKey } from '../domain/payment.ts';
import { cancelPayment, capturePayment, recordExternalAdjustment, refundPayment } from './adjust-payment.ts';
import { approvePayment, rejectPayment, type ApproveInput, type RejectInput } from './approve-payment.ts';
import { createPayment } from './create-payment.ts';
import type { EngineDeps } from './deps.ts';
import { settleDuePayments } from './expire-payments.ts';
import type { Guard, Guarded } from './idempotency.ts';
import { loadForChange } from './load-payment.ts';
import { findPayment, getPayment, getPaymentAdjustments, getPaymentByToken, getPaymentEvents, listPayments } from './query-payments.ts';
import type { PaymentListFilter } from '../store/store.ts';
import { appUser, pagesSecret, paymentsOfPhone, sendPaymentToPhone } from './shopper.ts';
import { offerShipping } from './shipping.ts';
import type { ShippingAddress } from '../domain/shipping.ts';
import { challengeReturned, whenAnswered } from './approval-gate.ts';
import { runGuarded, runUnit, type UnitOfWork } from './unit-of-work.ts';
import type { ShopperStepKind } from './shopper-steps.ts';

type Tail<F> = F extends (deps: EngineDeps, uow: UnitOfWork, ...rest: infer R) => infer T ? (uow: UnitOfWork, ...rest: R) => T : never;

export function createEngine(deps: EngineDeps) {
  /** The commands, to call inside a unit of work. */
  const commands = {
    create: ((uow, input) => createPayment(deps, uow, input)) as Tail<typeof createPayment>,
    approve: ((uow, key, input) => approvePayment(deps, uow, key, input)) as Tail<typeof approvePayment>,
    reject: ((uow, key, input) => rejectPayment(deps, uow, key, input)) as Tail<typeof rejectPayment>,
    capture: ((uow, key, input) => capturePayment(deps, uow, key, input)) as Tail<typeof capturePayment>,
    refund: ((uow, key, input) => refundPayment(deps, uow, key, input)) as Tail<typeof refundPayment>,
    cancel: ((uow, key, input) => cancelPayment(deps, uow, key, input)) as Tail<typeof cancelPayment>,
    recordExternal: ((uow, key, input) => recordExternalAdjustment(deps, uow, key, input)) as Tail<typeof recordExternalAdjustment>,
    /** The payment, locked for the rest of the unit, with a passed deadline settled. */
    load: ((uow, key) => loadForChange(deps, uow, key)) as Tail<typeof loadForChange>,
  };

  return {
    commands,
    /** Runs one unit of work; a refusal commits what was decided on the way, then is thrown. */
    run: <T>(work: (uow: UnitOfWork) => Promise<T>) => runUnit(deps, work),
    /** Runs one unit of work at most once per idempotency key (engine/idempotency.ts). */
    guarded: <T, R>(guard: Guard<T, R>, work: (uow: UnitOfWork) => Promise<T>): Promise<Guarded<R>> => runGuarded(deps, guard, work),

    getPayment: (key: PaymentKey) => getPayment(deps, key),
    findPayment: (key: PaymentKey) => findPayment(deps, key),
    getPaymentEvents: (key: PaymentKey) => getPaymentEvents(deps, key),
    getPaymentAdjustments: (key: PaymentKey) => getPaymentAdjustments(deps, key),
    getPaymentByToken: (token: string) => getPaymentByToken(deps, token),
    /** The dashboard's list: newest first, filtered, paged by a keyset cursor. */
    listPayments: (filter: PaymentListFilter) => listPayments(deps, filter),
    approve: (key: PaymentKey, input: ApproveInput) => runUnit(deps, (uow) => approvePayment(deps, uow, key, input)),
    reject: (key: PaymentKey, input?: RejectInput) => runUnit(deps, (uow) => rejectPayment(deps, uow, key, input)),

    // Shopper pages (landing page, phone-app simulator).
    sendPaymentToPhone: (token: string, phoneNumber: string) => sendPaymentToPhone(deps, token, phoneNumber),
    paymentsOfPhone: (phoneNumber: string) => paymentsOfPhone(deps, phoneNumber),
    appUser: (phoneNumber: string) => appUser(deps, phoneNumber),
    /** PSP payments: resolves when the PSP's answer about this payment's held approval is recorded (force approve waits for it). */
    whenAnswered: (id: string) => whenAnswered(deps, id),
    /** PSP payments: the shopper came back from the PSP's 3-D Secure page, with success or not. */
    challengeReturned: (p: Payment, succeeded: boolean, detail: string) => challengeReturned(deps, p, succeeded, detail),
    /** Express: the shipping options for the address the shopper chose, recorded on the payment. */
    offerShipping: (key: PaymentKey, address: ShippingAddress) => offerShipping(deps, key, address),
    pagesSecret: () => pagesSecret(deps),
    /** A shopper's step that leaves no event (landing page opened, card declined, …), for the dashboard. Never throws: a step that cannot be kept is reported and the page goes on. */
    recordShopperStep: async (p: Pick<Payment, 'id'>, step: ShopperStepKind, detail: string | null = null): Promise<void> => {
      try {
        await deps.shopperSteps?.record({ paymentId: p.id, at: deps.clock.now(), step, detail });
      } catch (err) {
        deps.reportError?.(err, `recording the shopper step ${step}`);
      }
    },
    /** The payment's shopper steps, oldest first. */
    shopperSteps: (id: string) => deps.shopperSteps?.list(id) ?? Promise.resolve([]),

    /** Calls `listener` after every commit with the events it recorded; returns the unsubscribe function. */
    onCommitted: (listener: (events: PaymentEvent[]) => void) => {
      deps.onCommitted.push(listener);
      return () => {
        const i = deps.onCommitted.indexOf(listener);
        if (i >= 0) deps.onCommitted.splice(i, 1);
      };
    },
    /** Calls `listener` after a commit that changed a payment without an event; returns the unsubscribe function. */
    onQuietChange: (listener: (payment: Payment) => void) => {
      const list = (deps.onQuietChange ??= []);
      list.push(listener);
      return () => {
        const i = list.indexOf(listener);
        if (i >= 0) list.splice(i, 1);
      };
    },
    settleDuePayments: () => settleDuePayments(deps),
    /** The platform's time (the test clock included). */
    now: () => deps.clock.now(),
    directory: deps.directory,
    ids: deps.ids,
  };
}

export type Engine = ReturnType<typeof createEngine>;
