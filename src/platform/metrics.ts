// GET /metrics: Prometheus text through prom-client (docs/decisions.md, "Metrics (issue 18)").
// One registry per platform, never prom-client's global one: tests start many servers in one process.
// The hot path is one counter inc and one histogram observe per request; payments by state and the
// outbox depth are counted by the store when scraped (Store.counts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PAYMENT_STATES } from '../domain/payment.ts';
import type { AttemptResult, Store, WebhookDelivery } from '../store/store.ts';

export interface Metrics {
  readonly registry: Registry;
  /** Counts and times every answered request (an onResponse hook on the root app). */
  install(app: FastifyInstance): void;
  /** A delivery attempt has completed at `now` (the platform clock, as the delivery's createdAt). */
  deliveryAttempt(delivery: WebhookDelivery, result: AttemptResult, now: number): void;
  /** A store transaction (a unit of work) took `ms`, committed or not. */
  transaction(ms: number, ok: boolean): void;
}

/** Requests that matched no route are labelled with this instead of their URL (bounded cardinality). */
export const UNMATCHED_ROUTE = '(unmatched)';

const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DELIVERY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 24 * 3600];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics(store: Store): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'vipps_local_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'vipps_local_http_request_duration_seconds',
    help: 'Time from receiving a request to its answer, by route pattern, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'vipps_local_payments',
    help: 'Payments in the store by state (counted when scraped).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const { paymentsByState } = await store.counts();
      this.reset();
      for (const state of PAYMENT_STATES) this.set({ state }, paymentsByState[state] ?? 0);
    },
  });
  new Gauge({
    name: 'vipps_local_outbox_pending_deliveries',
    help: 'Webhook and callback deliveries still pending in the outbox (counted when scraped).',
    registers: [registry],
    async collect() {
      this.set((await store.counts()).pendingDeliveries);
    },
  });
  const deliveryLatency = new Histogram({
    name: 'vipps_local_delivery_latency_seconds',
    help: "Time from a delivery's creation (its event) to the end of an attempt to send it, by the delivery's status after the attempt.",
    labelNames: ['status'] as const,
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  const transactions = new Histogram({
    name: 'vipps_local_store_transaction_duration_seconds',
    help: 'Time of a store transaction (one unit of work), by outcome (commit: the unit committed, error: it rolled back).',
    labelNames: ['outcome'] as const,
    buckets: STORE_BUCKETS,
    registers: [registry],
  });

  function onResponse(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const labels = { route: req.routeOptions.url ?? UNMATCHED_ROUTE, method: req.method, status: String(reply.statusCode) };
    requests.inc(labels);
    requestDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  }

  return {
    registry,
    install(app) {
      app.addHook('onResponse', onResponse);
    },
    deliveryAttempt(delivery, result, now) {
      deliveryLatency.observe({ status: result.status }, Math.max(0, now - delivery.createdAt) / 1000);
    },
    transaction(ms, ok) {
      transactions.observe({ outcome: ok ? 'commit' : 'error' }, ms / 1000);
    },
  };
}

/** GET /metrics on `app`, guarded by `guard` (the operator access hook). */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
  app.get('/metrics', { onRequest: guard }, async (_req, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}
