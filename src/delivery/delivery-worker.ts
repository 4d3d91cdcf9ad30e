// The outbox worker: claims due deliveries, signs and sends them as their format says, records every
// attempt and reschedules failures on the format's retry schedule. Claims carry a lease, so several
// instances on one database never send the same delivery at the same time.
//
// Fairness (issue 16): one tenant's dead receiver must not hold back everyone else's webhooks. A
// send occupies a slot of its target (registration or Stripe endpoint), of its host (host and
// port of the URL) and of its sales unit, each with a cap; a claim leaves out the targets and sales
// units that are full (and the known targets of full hosts), and ranks due rows per target so that
// every target's oldest comes first. A claimed row with no room after all (a target not seen before
// at a full host) is released at once, unsent. Sends go through delivery/outbound-http.ts: the
// outbound-target policy, no redirects, the timeout for the whole exchange, at most 64 KiB read.
import { performance } from 'node:perf_hooks';
import type { Clock } from '../platform/clock.ts';
import type { AttemptResult, ClaimFairness, Store, WebhookDelivery, WebhookFaults } from '../store/store.ts';
import { DELIVERY_FORMATS, type DeliveryFormat } from './formats.ts';
import { createOutboundPost, describeOutboundFailure, type OutboundPost } from './outbound-http.ts';
import { createOutboundPolicy } from './outbound-targets.ts';
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
  /** How a delivery is sent (the platform's outbound policy); any target except none when absent. */
  post?: OutboundPost;
  /** Deliveries in flight at once per target (registration, endpoint); 8 when absent. */
  maxInFlightPerTarget?: number;
  /** Deliveries in flight at once per host and port; 16 when absent. */
  maxInFlightPerHost?: number;
  /** Deliveries in flight at once per sales unit (a tenant); 64 when absent. */
  maxInFlightPerSalesUnit?: number;
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
/** The delivery log keeps this many characters of an answer. */
const EXCERPT = 500;
/** At most this much of an answer is read; beyond it the connection is closed (the status counts). */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** The host and port a delivery goes to: deliveries to one receiver share its slots. */
export function hostKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return '(invalid)';
  }
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, clock } = options;
  const formats = options.formats ?? DELIVERY_FORMATS;
  const leaseMs = options.timeoutMs + 5_000;
  const post = options.post ?? createOutboundPost(createOutboundPolicy({ targets: 'any', self: () => ({ host: '', port: -1 }) }));
  const maxPerTarget = options.maxInFlightPerTarget ?? 8;
  const maxPerHost = options.maxInFlightPerHost ?? 16;
  const maxPerMsn = options.maxInFlightPerSalesUnit ?? 64;
  // Groups in flight per target, host and sales unit; the host each target was last seen at.
  const byTarget = new Map<string, number>();
  const byHost = new Map<string, number>();
  const byMsn = new Map<string, number>();
  const hostOfTarget = new Map<string, string>();
  const count = (map: Map<string, number>, key: string, delta: number) => {
    const n = (map.get(key) ?? 0) + delta;
    if (n > 0) map.set(key, n);
    else map.delete(key);
  };
  /** What the next claim leaves out: full targets, known targets of full hosts, full sales units. */
  function fairness(): ClaimFairness {
    const targets = new Set<string>();
    for (const [t, n] of byTarget) if (n >= maxPerTarget) targets.add(t);
    const fullHosts = new Set<string>();
    for (const [h, n] of byHost) if (n >= maxPerHost) fullHosts.add(h);
    if (fullHosts.size > 0) for (const [t, h] of hostOfTarget) if (fullHosts.has(h)) targets.add(t);
    const msns: string[] = [];
    for (const [m, n] of byMsn) if (n >= maxPerMsn) msns.push(m);
    return { excludeTargets: [...targets], excludeMsns: msns, perTarget: maxPerTarget };
  }
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
      const claimed = await store.claimDueDeliveries(clock.now(), room, options.instanceId, leaseMs, faults.outOfOrder, fairness());
      const fresh = claimed.filter((d) => {
        const started = underWay.get(d.id);
        return started === undefined || d.attempts > started;
      });
      const release: number[] = [];
      let started = 0;
      for (const group of groups(fresh)) {
        const head = group[0]!;
        const host = hostKey(head.url);
        hostOfTarget.set(head.targetId, host);
        if ((byTarget.get(head.targetId) ?? 0) >= maxPerTarget || (byHost.get(host) ?? 0) >= maxPerHost || (byMsn.get(head.msn) ?? 0) >= maxPerMsn) {
          for (const d of group) release.push(d.id);
          continue;
        }
        started++;
        count(byTarget, head.targetId, 1);
        count(byHost, host, 1);
        count(byMsn, head.msn, 1);
        for (const d of group) underWay.set(d.id, d.attempts);
        const sending: Promise<void> = sendInOrder(group)
          .catch((err: unknown) => {
            // The store failed (closed, busy): the lease runs out and the delivery is claimed again.
            if (!stopped) options.onError?.(err, `recording an attempt of delivery ${head.id}`);
          })
          .finally(() => {
            for (const d of group) if (underWay.get(d.id) === d.attempts) underWay.delete(d.id);
            count(byTarget, head.targetId, -1);
            count(byHost, host, -1);
            count(byMsn, head.msn, -1);
            inFlight.delete(sending);
            tick();
          });
        inFlight.add(sending);
      }
      // No room for these after all: give them back now rather than hold them past their lease.
      if (release.length > 0) await store.releaseClaims(release, options.instanceId);
      // A full claim may have left more behind; rows given back are left out of the next claim (their
      // target or host is full), so this ends.
      if (claimed.length === room && (started > 0 || release.length < claimed.length)) again = true;
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
      // Redirects are not followed (a 3xx is a failed attempt), as before.
      const res = await post({
        url: d.url,
        headers: { 'content-type': 'application/json', 'user-agent': format.userAgent, ...signed },
        body: d.payload,
        timeoutMs: options.timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
        overflow: 'truncate',
      });
      statusCode = res.status;
      excerpt = res.body.toString('utf8').slice(0, EXCERPT);
      if (res.truncated) note = [note, `answer longer than ${MAX_ANSWER_BYTES} bytes: the rest was not read`].filter(Boolean).join('; ');
    } catch (err) {
      error = describeOutboundFailure(err, options.timeoutMs);
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
