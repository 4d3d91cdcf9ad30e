// GET /metrics on a real server: Prometheus text, requests by route pattern and status, payments by
// state, the outbox depth, delivery latency and store timings; under the operator access rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../../test-support/server.ts';
import { WebhookReceiver } from '../../test-support/webhook-receiver.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition: every line is # HELP, # TYPE or a sample; returns the samples. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string>; helps: Set<string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line);
    if (m) {
      helps.add(m[1]!);
      continue;
    }
    m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (m) {
      types.set(m[1]!, m[2]!);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    assert.ok(!Number.isNaN(value) || m[3] === 'NaN', `not a number: ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { samples, types, helps };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('GET /metrics', () => {
  // Every delivery fails (500) and is retried only after a minute: all of them stay pending.
  const t = useServer({ webhookRetryDelaysMs: [60_000] });
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
    receiver.answer = () => 500;
  });
  after(async () => {
    await receiver?.close();
  });

  it('exports requests by route and status, payments by state, the outbox depth, delivery latency and store timings', async () => {
    await t.api.registeredWebhook(receiver.url('/hook'), ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1']);
    await t.api.created();
    const captured = await t.api.authorized();
    const capture = await t.api.capture(captured, 1000);
    assert.equal(capture.status, 200, capture.text);
    // The first attempt of each payment's first delivery has ended (it failed).
    await receiver.waitFor(() => receiver.arrivals.length >= 2, 'two failed attempts');

    let parsed!: ReturnType<typeof parsePrometheus>;
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${t.server.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      parsed = parsePrometheus(await res.text());
      // The attempt is observed once the worker has recorded it, just after the receiver answered.
      if ((value(parsed.samples, 'vipps_local_delivery_latency_seconds_count', { status: 'pending' }) ?? 0) >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const { samples, types, helps } = parsed;

    for (const [name, type] of [
      ['vipps_local_http_requests_total', 'counter'],
      ['vipps_local_http_request_duration_seconds', 'histogram'],
      ['vipps_local_payments', 'gauge'],
      ['vipps_local_outbox_pending_deliveries', 'gauge'],
      ['vipps_local_delivery_latency_seconds', 'histogram'],
      ['vipps_local_store_transaction_duration_seconds', 'histogram'],
    ] as const) {
      assert.equal(types.get(name), type, name);
      assert.ok(helps.has(name), `# HELP ${name}`);
    }

    // Requests by route pattern (never the raw URL), method and status.
    assert.equal(value(samples, 'vipps_local_http_requests_total', { route: '/epayment/v1/payments', method: 'POST', status: '201' }), 2);
    assert.equal(value(samples, 'vipps_local_http_requests_total', { route: '/epayment/v1/payments/:reference/capture', method: 'POST', status: '200' }), 1);
    assert.ok(!samples.some((s) => s.labels.route?.includes(captured)), 'no route label holds a reference');
    assert.equal(value(samples, 'vipps_local_http_request_duration_seconds_count', { route: '/epayment/v1/payments', method: 'POST', status: '201' }), 2);

    // Payments by state: one created, one authorized (and captured); the other states at 0.
    assert.equal(value(samples, 'vipps_local_payments', { state: 'CREATED' }), 1);
    assert.equal(value(samples, 'vipps_local_payments', { state: 'AUTHORIZED' }), 1);
    assert.equal(value(samples, 'vipps_local_payments', { state: 'ABORTED' }), 0);

    // Four deliveries (created; created, authorized, captured), none delivered.
    assert.equal(value(samples, 'vipps_local_outbox_pending_deliveries'), 4);
    assert.ok((value(samples, 'vipps_local_delivery_latency_seconds_count', { status: 'pending' }) ?? 0) >= 2);
    assert.ok((value(samples, 'vipps_local_store_transaction_duration_seconds_count', { outcome: 'commit' }) ?? 0) >= 4);

    // /metrics itself is not an API request of the request log.
    const logged = await fetch(`${t.server.url}/vipps-local/v1/requests`);
    assert.equal(logged.status, 200);
    assert.ok(!(await logged.text()).includes('/metrics'));
  });

  it('a page of another site may not read it without the token', async () => {
    const res = await fetch(`${t.server.url}/metrics`, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(res.status, 403);
  });
});

describe('GET /metrics when the operator token is required', () => {
  const t = useServer({ operatorAccess: 'token' });

  it('is 401 without the token or with a wrong one, 200 with it', async () => {
    const url = `${t.server.url}/metrics`;
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.ok(!(await none.text()).includes('vipps_local_'));
    assert.equal((await fetch(url, { headers: { 'x-vipps-local-operator-token': 'wrong' } })).status, 401);
    const ok = await fetch(url, { headers: { 'x-vipps-local-operator-token': t.server.operatorToken } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /^# HELP vipps_local_/m);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${t.server.operatorToken}` } })).status, 200);
  });
});
