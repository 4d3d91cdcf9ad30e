// The outbox worker: claims due deliveries, signs and sends them as their format says, records every
// attempt and reschedules failures on the format's retry schedule. Claims carry a lease, so several
// instances on one database never send the same delivery at the same time.
import { performance } from 'node:perf_hooks';
import type { Clock } from '../platform/clock.ts';
import type { AttemptResult, Store, WebhookDelivery, WebhookFaults } from '../store/store.ts';
import { DELIVERY_FORMATS, type DeliveryFormat } from './formats.ts';
import { describeFailure } from './outbound-call.ts';
import { retryDelayMs } from './retry-schedule.ts';

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
  /** Reports what failed in the worker itself (the store, not a receiver). */
  onError?: (err: unknown, what: string) => void;
  /** The formats rows may have; DELIVERY_FORMATS when absent. */
  formats?: Readonly<Record<string, DeliveryFormat>>;
}

export interface DeliveryWorker {
  /** Looks for due deliveries now (called after a commit that wrote outbox rows). */
  wake(): void;
  /** Resolves when no claim round is running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 32;
/** At most this many (registration, payment) groups are being sent at once. */
const MAX_IN_FLIGHT = 256;
const EXCERPT = 500;

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, clock } = options;
  const formats = options.formats ?? DELIVERY_FORMATS;
  const leaseMs = options.timeoutMs + 5_000;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  // Fix (webhook tests): a claim round used to await every send it started, so one receiver that
  // hangs until the timeout (10 s) held back the deliveries of every other registration and payment
  // for that long. Sends now run on their own; a finished send wakes the worker for what it unblocked
  // (the next event of its payment). Order per (registration, payment) still comes from the claim:
  // only the oldest pending delivery of a group is claimable, and not while it is leased.
  const inFlight = new Set<Promise<void>>();
  // Leases are measured on the platform clock, so advancing the test clock past a lease lets a
  // delivery that is still being sent be claimed again; this instance must not send it twice. A
  // claim that shows more attempts than this instance started from is a new one, though: the send
  // recorded its attempt (and the retry fell due) before its own bookkeeping below had run. Skipping
  // that claim left the delivery leased, and unsent, for the whole lease (a flake under load).
  const underWay = new Map<number, number>(); // delivery id → its attempts when this instance claimed it

  async function round(): Promise<void> {
    do {
      again = false;
      const room = Math.min(BATCH, MAX_IN_FLIGHT - inFlight.size);
      if (room <= 0) return; // a finishing send wakes the worker again
      const faults = options.serverFaults();
      const claimed = await store.claimDueDeliveries(clock.now(), room, options.instanceId, leaseMs, faults.outOfOrder);
      if (claimed.length === room) again = true;
      const fresh = claimed.filter((d) => {
        const started = underWay.get(d.id);
        return started === undefined || d.attempts > started;
      });
      for (const d of fresh) underWay.set(d.id, d.attempts);
      for (const group of groups(fresh)) {
        const sending: Promise<void> = sendInOrder(group)
          .catch((err: unknown) => {
            // The store failed (closed, busy): the lease runs out and the delivery is claimed again.
            if (!stopped) options.onError?.(err, `recording an attempt of delivery ${group[0]!.id}`);
          })
          .finally(() => {
            for (const d of group) if (underWay.get(d.id) === d.attempts) underWay.delete(d.id);
            inFlight.delete(sending);
            tick();
          });
        inFlight.add(sending);
      }
    } while (again && !stopped);
  }

  /** Deliveries of one target and subject go one after another (newest first when out of order). */
  async function sendInOrder(group: WebhookDelivery[]): Promise<void> {
    for (const d of group) await deliver(d);
  }

  async function deliver(d: WebhookDelivery): Promise<void> {
    const result = await attempt(d, d.attempts + 1, null);
    // A fault-injected duplicate is sent before the delivery is recorded as delivered: recording it
    // makes the subject's next event claimable, which could then overtake the duplicate.
    const duplicate =
      result.status === 'delivered' && (d.faults.duplicate || options.serverFaults().duplicate)
        ? await attempt(d, d.attempts + 1, 'duplicate sent on purpose (fault injection)')
        : null;
    await store.completeAttempt(result);
    options.onAttempt?.(d, result);
    if (duplicate) {
      await store.completeAttempt({ ...duplicate, status: 'delivered', countsAsAttempt: false });
      options.onAttempt?.(d, duplicate);
    }
  }

  async function attempt(d: WebhookDelivery, attemptNo: number, note: string | null): Promise<AttemptResult> {
    const at = clock.now();
    const started = performance.now();
    const format = formats[d.format];
    let statusCode: number | null = null;
    let error: string | null = null;
    let excerpt: string | null = null;
    try {
      if (!format) throw new Error(`no sender for outbox format "${d.format}"`);
      // Signature dates are transport timestamps that receivers compare with their own clock: wall time.
      const signed = format.sign(d, new Date());
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': format.userAgent, ...signed },
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
    const gaveUp = !ok && (!format || clock.now() - d.createdAt >= format.giveUpAfterMs);
    return {
      attempt: { deliveryId: d.id, attempt: attemptNo, at, statusCode, error, latencyMs, responseExcerpt: excerpt, note },
      status: ok ? 'delivered' : gaveUp ? 'failed' : 'pending',
      nextAttemptAt: ok || gaveUp ? d.nextAttemptAt : clock.now() + retryDelayMs(failedAttempts, options.retryDelaysMs, format!.retryDelayMs),
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
      .catch((err: unknown) => {
        // A failed claim (database busy, closed) is retried on the next tick.
        if (!stopped) options.onError?.(err, 'claiming due deliveries');
      })
      .finally(() => {
        running = null;
        // Fix (webhook bench): a wake-up that came after the round's last look at `again` but
        // before this point was lost, and the event waited for the next poll (200 ms).
        if (again) tick();
      });
  };

  const timer = setInterval(tick, options.pollIntervalMs);
  timer.unref();

  /** Waits until no claim round runs and no send is under way. */
  const settle = async () => {
    while (running || inFlight.size > 0) {
      if (running) await running;
      await Promise.all(inFlight);
    }
  };

  return {
    wake: tick,
    idle: settle,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await settle();
    },
  };
}

function groups(deliveries: WebhookDelivery[]): WebhookDelivery[][] {
  const byKey = new Map<string, WebhookDelivery[]>();
  for (const d of deliveries) {
    const key = `${d.targetId}\u0000${d.subject}`;
    const list = byKey.get(key);
    if (list) list.push(d);
    else byKey.set(key, [d]);
  }
  return [...byKey.values()].map((list) => (list.length > 1 ? list.sort((a, b) => b.id - a.id) : list));
}
