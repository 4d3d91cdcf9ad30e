// The engine: every face and page calls these use-cases; none of them touches the store directly.
import type { CreatePaymentRequest } from '../domain/create-payment-rules.ts';
import type { Money } from '../domain/money.ts';
import { cancelPayment, capturePayment, refundPayment } from './adjust-payment.ts';
import { approvePayment, rejectPayment, type ApproveInput, type RejectInput } from './approve-payment.ts';
import { createPayment } from './create-payment.ts';
import type { EngineDeps } from './deps.ts';
import { settleDuePayments } from './expire-payments.ts';
import { getPayment, getPaymentByToken, getPaymentEvents } from './query-payments.ts';
import { appUser, pagesSecret, paymentsOfPhone, sendPaymentToPhone } from './shopper.ts';
import type { PaymentEvent } from '../domain/payment.ts';

export function createEngine(deps: EngineDeps) {
  return {
    deps,
    createPayment: (msn: string, request: CreatePaymentRequest, idempotencyKey: string) => createPayment(deps, msn, request, idempotencyKey),
    getPayment: (msn: string, reference: string) => getPayment(deps, msn, reference),
    getPaymentEvents: (msn: string, reference: string) => getPaymentEvents(deps, msn, reference),
    getPaymentByToken: (token: string) => getPaymentByToken(deps, token),
    capture: (msn: string, reference: string, amount: Money, key: string) => capturePayment(deps, msn, reference, amount, key),
    refund: (msn: string, reference: string, amount: Money, key: string) => refundPayment(deps, msn, reference, amount, key),
    cancel: (msn: string, reference: string, options: { cancelTransactionOnly: boolean }, key: string | null) =>
      cancelPayment(deps, msn, reference, options, key),
    approve: (msn: string, reference: string, input: ApproveInput) => approvePayment(deps, msn, reference, input),
    reject: (msn: string, reference: string, input?: RejectInput) => rejectPayment(deps, msn, reference, input),
    // Shopper pages (landing page, phone-app simulator).
    sendPaymentToPhone: (token: string, phoneNumber: string) => sendPaymentToPhone(deps, token, phoneNumber),
    paymentsOfPhone: (phoneNumber: string) => paymentsOfPhone(deps, phoneNumber),
    appUser: (phoneNumber: string) => appUser(deps, phoneNumber),
    pagesSecret: () => pagesSecret(deps),
    /** Calls `listener` after every commit with the events it recorded; returns the unsubscribe function. */
    onCommitted: (listener: (events: PaymentEvent[]) => void) => {
      deps.onCommitted.push(listener);
      return () => {
        const i = deps.onCommitted.indexOf(listener);
        if (i >= 0) deps.onCommitted.splice(i, 1);
      };
    },
    settleDuePayments: () => settleDuePayments(deps),
  };
}

export type Engine = ReturnType<typeof createEngine>;
