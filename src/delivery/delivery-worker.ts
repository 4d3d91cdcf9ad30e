// The outbox worker: claims due deliveries, signs and sends them, records every attempt and
// reschedules failures on the platform's retry schedule. Claims carry a lease, so several
// instances on one database never send the same delivery at the same time.
import { performance } from 'node:perf_hooks';
import { GIVE_UP_AFTER_MS, retryDelayMs } from '../domain/retry-schedule.ts';
import type { Clock } from '../platform/clock.ts';
import type { AttemptResult, Store, WebhookDelivery, WebhookFaults } from '../store/store.ts';
import { signWebhook } from './webhook-signature.ts';

export interface DeliveryWorkerOptions {
  store: Store;
  clock: Clock;
  /** Names this instance in claims. */
  instanceId: string;
  /** Delays between attempts for tests; the platform's schedule when absent. */
  retryDelaysMs?: readonly number[];
  /** A receiver must answer 2xx within this time (platform: 10 s). */
  timeoutMs: number;
  pollIntervalMs: number;
  serverFaults: () => WebhookFaults;
  /** Called after every attempt (metrics, tests). */
  onAttempt?: (delivery: WebhookDelivery, result: AttemptResult) => void;
}

export interface DeliveryWorker {
  /** Looks for due deliveries now (called after a commit that wrote outbox rows). */
  wake(): void;
  /** Resolves when no claim round is running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 32;
const EXCERPT = 500;

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, clock } = options;
  const leaseMs = options.timeoutMs + 5_000;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function round(): Promise<void> {
    do {
      again = false;
      const faults = options.serverFaults();
      const claimed = await store.claimDueDeliveries(clock.now(), BATCH, options.instanceId, leaseMs, faults.outOfOrder);
      if (claimed.length === BATCH) again = true;
      await Promise.all(groups(claimed).map((group) => sendInOrder(group)));
    } while (again && !stopped);
  }

  /** Deliveries of one registration and payment go one after another (newest first when out of order). */
  async function sendInOrder(group: WebhookDelivery[]): Promise<void> {
    for (const d of group) await deliver(d);
  }

  async function deliver(d: WebhookDelivery): Promise<void> {
    const result = await attempt(d, d.attempts + 1, null);
    await store.completeAttempt(result);
    options.onAttempt?.(d, result);
    if (result.status === 'delivered' && (d.faults.duplicate || options.serverFaults().duplicate)) {
      const duplicate = await attempt(d, d.attempts + 1, 'duplicate sent on purpose (fault injection)');
      await store.completeAttempt({ ...duplicate, status: 'delivered', countsAsAttempt: false });
      options.onAttempt?.(d, duplicate);
    }
  }

  async function attempt(d: WebhookDelivery, attemptNo: number, note: string | null): Promise<AttemptResult> {
    const at = clock.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let excerpt: string | null = null;
    try {
      // x-ms-date is a transport timestamp that receivers compare with their own clock: wall time.
      const signed = signWebhook(d.url, d.payload, new Date(), d.secret);
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'vipps-local-webhooks', ...signed },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      statusCode = res.status;
      excerpt = (await res.text()).slice(0, EXCERPT);
    } catch (err) {
      error = describeFailure(err, options.timeoutMs);
    }
    const latencyMs = Math.round(performance.now() - started);
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const failedAttempts = attemptNo;
    const gaveUp = !ok && clock.now() - d.createdAt >= GIVE_UP_AFTER_MS;
    return {
      attempt: { deliveryId: d.id, attempt: attemptNo, at, statusCode, error, latencyMs, responseExcerpt: excerpt, note },
      status: ok ? 'delivered' : gaveUp ? 'failed' : 'pending',
      nextAttemptAt: ok || gaveUp ? d.nextAttemptAt : clock.now() + retryDelayMs(failedAttempts, options.retryDelaysMs),
      countsAsAttempt: true,
    };
  }

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch(() => {
        // A failed claim (database busy, closed) is retried on the next tick.
      })
      .finally(() => {
        running = null;
      });
  };

  const timer = setInterval(tick, options.pollIntervalMs);
  timer.unref();

  return {
    wake: tick,
    idle: async () => {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}

function groups(deliveries: WebhookDelivery[]): WebhookDelivery[][] {
  const byKey = new Map<string, WebhookDelivery[]>();
  for (const d of deliveries) {
    const key = `${d.webhookId}\u0000${d.msn}\u0000${d.reference}`;
    const list = byKey.get(key);
    if (list) list.push(d);
    else byKey.set(key, [d]);
  }
  return [...byKey.values()].map((list) => (list.length > 1 ? list.sort((a, b) => b.id - a.id) : list));
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e.cause?.code) return `${e.cause.code}: ${e.cause.message ?? e.message ?? ''}`.trim();
  return e.message ?? String(err);
}
