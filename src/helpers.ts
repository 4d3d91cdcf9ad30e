// Test-suite helpers on a started server (index.ts `startServer()`): drive a payment as the shopper
// would (approve, reject, expire), read and await the webhook delivery log, and call the ePayment
// API with the default merchant's headers already set.
import type { PaymentState } from './domain/payment.ts';
import type { Platform } from './platform/app.ts';
import { letDeadlinePass } from './engine/test-clock.ts';
import { merchantCaller, type MerchantResponse } from './merchant-client.ts';
import { webhookStore } from './faces/webhooks/webhook-store.ts';
import type { WebhookRegistration } from './faces/webhooks/registration.ts';
import type { LoggedDelivery } from './store/store.ts';

export type { LoggedDelivery, DeliveryAttempt } from './store/store.ts';
export type { PaymentState } from './domain/payment.ts';

/** How many deliveries `deliveries()` and `waitForWebhook()` read at most. */
const LOG_LIMIT = 1000;
const POLL_MS = 25;

export interface ApproveOptions {
  /** Who approves; the payment's customer (or the default test user) when absent. */
  phoneNumber?: string;
  /** A test card id (src/domain/test-cards.ts, e.g. 'visa-1111' or the declining 'visa-0151'); the default card when absent. */
  card?: string;
}

export interface RejectOptions {
  /** Who rejects; when given, the payment must not be addressed to someone else. */
  phoneNumber?: string;
}

export interface WaitForWebhookOptions {
  /** The event name as it is delivered, e.g. 'epayments.payment.authorized.v1'. */
  name: string;
  reference: string;
  /** 5000 when absent. */
  timeoutMs?: number;
}

/** An ePayment API answer: the HTTP status and the parsed JSON body (undefined when there is none). */
export type EpaymentResponse<T = any> = MerchantResponse<T>;

/** A tiny authenticated ePayment client for the default merchant (or the `msn` given to startServer's helpers). */
export interface EpaymentClient {
  /** POST /epayment/v1/payments. `body` is sent as-is (give it a `reference`). */
  create(body: Record<string, unknown>): Promise<EpaymentResponse>;
  get(reference: string): Promise<EpaymentResponse>;
  /** `amount` in minor units; the currency is the payment's (read with get) or NOK. */
  capture(reference: string, amount: number, currency?: string): Promise<EpaymentResponse>;
  refund(reference: string, amount: number, currency?: string): Promise<EpaymentResponse>;
  cancel(reference: string): Promise<EpaymentResponse>;
  /** The access token the client sends (fetched once, again after a 401). */
  accessToken(): Promise<string>;
}

export interface PaymentHelpers {
  /** Approves the payment in the app simulator (engine command); resolves with its new state. */
  approve(reference: string, options?: ApproveOptions): Promise<PaymentState>;
  /** Rejects the payment in the app simulator (engine command): it becomes ABORTED. */
  reject(reference: string, options?: RejectOptions): Promise<PaymentState>;
  /**
   * Lets the payment's deadline pass. There is no way to expire one payment alone: this moves the
   * platform clock to just past the payment's `expiresAt` and settles every payment that is due, so
   * other payments whose deadline falls before it expire too (and the clock stays moved).
   * Does nothing to the clock when the payment is no longer waiting for approval.
   */
  expire(reference: string): Promise<PaymentState>;
  /** The webhook delivery log for that reference (this sales unit), newest first as the operator log lists it. */
  deliveries(filter: { reference: string }): Promise<LoggedDelivery[]>;
  /**
   * Polls the delivery log until a delivery of event `name` for `reference` was delivered with a 2xx
   * answer, and resolves with it; rejects after `timeoutMs` naming the deliveries that did arrive.
   */
  waitForWebhook(options: WaitForWebhookOptions): Promise<LoggedDelivery>;
  /** Polls the payment until its state is `state` (5000 ms by default); rejects naming the last state seen. */
  waitForState(reference: string, state: PaymentState, timeoutMs?: number): Promise<void>;
  epayment: EpaymentClient;
}

export interface ResetOptions {
  /** Re-creates the webhook registrations that existed before the reset (same ids, URLs, secrets and events). */
  keepWebhooks?: boolean;
}

interface Target {
  url: string;
  msn: string;
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function paymentHelpers(platform: Platform, target: Target): PaymentHelpers {
  const { msn } = target;
  const key = (reference: string) => ({ msn, reference });
  const stateOf = async (reference: string) => (await platform.engine.getPayment(key(reference))).state;
  const deliveries = async ({ reference }: { reference: string }) => platform.store.listDeliveries({ msn, reference, limit: LOG_LIMIT });
  const describe = (d: LoggedDelivery) => {
    const last = d.attemptLog[d.attemptLog.length - 1];
    return `${d.eventType} (${d.status}${last ? `, last answer ${last.statusCode ?? last.error ?? 'none'}` : ', not attempted'})`;
  };
  return {
    async approve(reference, options = {}) {
      await platform.engine.approve(key(reference), { ...(options.phoneNumber ? { phoneNumber: options.phoneNumber } : {}), ...(options.card ? { card: options.card } : {}) });
      return stateOf(reference);
    },
    async reject(reference, options = {}) {
      await platform.engine.reject(key(reference), options.phoneNumber ? { phoneNumber: options.phoneNumber } : {});
      return stateOf(reference);
    },
    async expire(reference) {
      await letDeadlinePass(platform.engine, platform.clock, key(reference));
      return stateOf(reference);
    },
    deliveries,
    async waitForWebhook({ name, reference, timeoutMs = 5_000 }) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const log = await deliveries({ reference });
        const hit = log.find((d) => d.eventType === name && d.status === 'delivered' && d.attemptLog.some((a) => a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300));
        if (hit) return hit;
        if (Date.now() >= until) {
          const seen = log.length ? log.map(describe).join('; ') : 'no deliveries at all';
          throw new Error(`waitForWebhook: no '${name}' for reference '${reference}' (msn ${msn}) was delivered with a 2xx within ${timeoutMs} ms; the log has: ${seen}`);
        }
        await sleep(POLL_MS);
      }
    },
    async waitForState(reference, state, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = await platform.engine.findPayment(key(reference));
        if (found?.state === state) return;
        if (Date.now() >= until) throw new Error(`waitForState: payment '${reference}' (msn ${msn}) is ${found ? found.state : 'not found'}, not ${state}, after ${timeoutMs} ms`);
        await sleep(POLL_MS);
      }
    },
    epayment: epaymentClient(target),
  };
}

function epaymentClient(t: Target): EpaymentClient {
  const merchant = merchantCaller(t);
  const call = (method: string, path: string, body?: unknown) => merchant.call(method, `/epayment/v1/payments${path}`, body).catch((err: Error) => {
    throw new Error(`epayment: ${err.message}`);
  });
  const accessToken = merchant.accessToken;
  const ref = (reference: string) => `/${encodeURIComponent(reference)}`;
  const currencyOf = async (reference: string, given?: string) => given ?? ((await call('GET', ref(reference))).body?.amount?.currency as string | undefined) ?? 'NOK';
  return {
    create: (body) => call('POST', '', body),
    get: (reference) => call('GET', ref(reference)),
    capture: async (reference, amount, currency) => call('POST', `${ref(reference)}/capture`, { modificationAmount: { value: amount, currency: await currencyOf(reference, currency) } }),
    refund: async (reference, amount, currency) => call('POST', `${ref(reference)}/refund`, { modificationAmount: { value: amount, currency: await currencyOf(reference, currency) } }),
    cancel: (reference) => call('POST', `${ref(reference)}/cancel`, {}),
    accessToken,
  };
}

/**
 * Resets the platform (Platform.reset: the request log, then store.reset). With `keepWebhooks`, the
 * registrations are read before and re-inserted after, in one unit of work: the store's reset has
 * no way to leave the `webhooks` table alone.
 */
export async function resetPlatform(platform: Platform, options: ResetOptions = {}): Promise<void> {
  const webhooks = webhookStore(platform.store);
  let kept: WebhookRegistration[] = [];
  if (options.keepWebhooks) kept = await webhooks.all();
  await platform.reset();
  if (kept.length) await platform.store.transaction(async (tx) => {
    const repo = webhooks.in(tx.sql);
    for (const w of kept) await repo.insert(w);
  });
}
