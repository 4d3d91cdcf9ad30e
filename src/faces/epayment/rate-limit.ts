// Opt-in emulation of the ePayment rate limits (config `rateLimits: "test-environment"`), so that
// back-off code can be tested. The limits are the documented ones (PLATFORM-NOTES "Rate limits",
// addendum §6), one counter per operation:
//   create, capture, cancel, refund   5 a minute per reference + MSN (create: the body's `reference`)
//   get payment, get event log      120 a minute per reference + subscription key
// Exceeding one answers what Azure API Management answers: 429 `{ statusCode, message }` with
// Retry-After. Windows are fixed, start at a key's first call, last a minute of the platform clock
// (so advancing the test clock renews them), and are kept per instance, in memory.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { header } from '../merchant-auth.ts';

export type RateLimitMode = 'off' | 'test-environment';

const WINDOW_MS = 60_000;
/** Past this many live counters, expired ones are swept at once (and, if none are, the oldest go). */
const MAX_BUCKETS = 100_000;

interface Bucket {
  start: number;
  count: number;
}

/**
 * Fixed-window counters keyed by string. A window starts at a key's first call and renews
 * `windowMs` later, like APIM's rate-limit-by-key. Refused calls are not counted (with a fixed
 * window that changes nothing: the window still renews at the same moment).
 */
export class WindowCounters {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number = WINDOW_MS,
    private readonly maxBuckets: number = MAX_BUCKETS,
  ) {
    this.lastSweep = clock.now();
  }

  /** Counts a call under `key`: 0 when it is allowed, otherwise the seconds until its window renews. */
  hit(key: string, limit: number): number {
    const now = this.clock.now();
    if (now - this.lastSweep >= this.windowMs || this.buckets.size >= this.maxBuckets) this.sweep(now);
    let bucket = this.buckets.get(key);
    if (bucket === undefined || this.expired(bucket, now)) {
      // Delete first, so that the map stays in order of window start (the sweep relies on nothing
      // more than that being roughly true).
      this.buckets.delete(key);
      bucket = { start: now, count: 0 };
      this.buckets.set(key, bucket);
    }
    if (bucket.count >= limit) return Math.max(1, Math.ceil((bucket.start + this.windowMs - now) / 1000));
    bucket.count++;
    return 0;
  }

  /** Live counters (for tests: memory stays bounded). */
  get size(): number {
    return this.buckets.size;
  }

  private expired(bucket: Bucket, now: number): boolean {
    // A clock that ran backwards (a wall-clock step) also starts a new window.
    return now - bucket.start >= this.windowMs || now < bucket.start;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (this.expired(bucket, now)) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxBuckets) break;
      this.buckets.delete(key);
    }
    this.lastSweep = now;
  }
}

interface Rule {
  calls: number;
  /** What the counter is keyed on, besides the operation. */
  key: (req: FastifyRequest) => string;
}

const pathReference = (req: FastifyRequest) => String((req.params as { reference?: unknown }).reference ?? '');
/** The body's literal `reference` property; without one every such create shares one counter, as on the platform (addendum §6). */
function bodyReference(req: FastifyRequest): string {
  const value = (req.body as { reference?: unknown } | null | undefined)?.reference;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}
const perMsn = (reference: (req: FastifyRequest) => string) => (req: FastifyRequest) => `${req.msn}\n${reference(req)}`;
const perSubscriptionKey = (req: FastifyRequest) => `${header(req, 'ocp-apim-subscription-key') ?? ''}\n${pathReference(req)}`;

/** The documented limits, by method and route path below the face's prefix. */
const TEST_ENVIRONMENT: Record<string, Rule> = {
  'POST /v1/payments': { calls: 5, key: perMsn(bodyReference) },
  'POST /v1/payments/:reference/capture': { calls: 5, key: perMsn(pathReference) },
  'POST /v1/payments/:reference/cancel': { calls: 5, key: perMsn(pathReference) },
  'POST /v1/payments/:reference/refund': { calls: 5, key: perMsn(pathReference) },
  'GET /v1/payments/:reference': { calls: 120, key: perSubscriptionKey },
  'GET /v1/payments/:reference/events': { calls: 120, key: perSubscriptionKey },
};

/**
 * A preValidation hook (after authentication and body parsing, before schema validation: the
 * gateway counts a call whatever the API then answers) that applies the test environment's limits.
 */
export function testEnvironmentRateLimits(clock: Clock, prefix: string) {
  const counters = new WindowCounters(clock);
  return async function rateLimit(req: FastifyRequest, reply: FastifyReply) {
    const operation = `${req.method} ${req.routeOptions.url?.slice(prefix.length)}`;
    const rule = TEST_ENVIRONMENT[operation];
    if (!rule) return;
    const retryAfter = counters.hit(`${operation}\n${rule.key(req)}`, rule.calls);
    if (retryAfter === 0) return;
    return reply
      .code(429)
      .header('Retry-After', String(retryAfter))
      .type('application/json')
      .send({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` });
  };
}
