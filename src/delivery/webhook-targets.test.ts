// Webhooks are not a way in: a registration pointing at vipps-local itself (its operator reset) is
// delivered to nobody and recorded as refused, on a laptop as on a shared instance; a shared
// instance (outboundTargets 'public-only') refuses internal targets at registration, in every
// spelling, on the Webhooks API and on Stripe's webhook_endpoints, and at delivery after resolving
// the name; a receiver's 20 MB answer is read only up to its cap.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { Api } from '../../test-support/api-client.ts';
import { DEFAULT_CREDENTIALS } from '../../test-support/merchants.ts';
import { usePlatformServer } from '../../test-support/platform-server.ts';
import { deliveryLog, eventually, WebhookReceiver } from '../../test-support/webhook-receiver.ts';
import { DEFAULT_MERCHANT } from '../platform/config.ts';

const CREATED = ['epayments.payment.created.v1'];

/** Internal targets in the spellings a probe used (`PORT` is replaced by a port). */
const INTERNAL = [
  'http://127.0.0.1:PORT/hook',
  'http://127.1:PORT/hook',
  'http://2130706433:PORT/hook',
  'http://0x7f000001:PORT/hook',
  'http://0177.0.0.1:PORT/hook',
  'http://[::1]:PORT/hook',
  'http://[::ffff:127.0.0.1]:PORT/hook',
  'http://localhost:PORT/hook',
  'https://10.0.0.5/hook',
  'https://172.16.0.1/hook',
  'https://192.168.1.1/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://100.64.0.1/hook',
  'https://[fc00::1]/hook',
  'https://[fe80::1]/hook',
];

/** The names this test's "DNS" knows. */
function resolver(table: Record<string, string>) {
  return async (hostname: string): Promise<LookupAddress[]> => {
    const address = table[hostname];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

async function stripeForm(baseUrl: string, path: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_MERCHANT.stripeSecretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: await res.json() };
}

describe('a webhook pointing at vipps-local itself (default policy, listening on loopback)', () => {
  const t = usePlatformServer({ webhookRetryDelaysMs: [60_000], webhookPollIntervalMs: 20 });

  it('is not delivered: the reset does not happen and every attempt is recorded as "target not allowed"', async () => {
    const api = new Api(t.server.url, DEFAULT_CREDENTIALS);
    const port = String(t.server.port);
    const spellings = ['http://127.0.0.1:PORT/vipps-local/v1/reset', 'http://2130706433:PORT/vipps-local/v1/reset', 'https://[::ffff:127.0.0.1]:PORT/vipps-local/v1/reset', 'http://localhost:PORT/vipps-local/v1/reset'];
    for (const url of spellings) await api.registeredWebhook(url.replace('PORT', port), CREATED);
    const reference = await api.created();
    await eventually(async () => (await deliveryLog(t.server.url)).filter((d) => d.attempts.length > 0).length === spellings.length, 'an attempt per registration');
    const log = await deliveryLog(t.server.url);
    for (const d of log) assert.deepEqual(d.attempts.map((a) => [a.statusCode, a.error]), [[null, 'target not allowed']], d.url);
    assert.equal((await api.getPayment(reference)).status, 200, 'the payment is still there: no reset happened');
  });
});

describe("a shared instance (outboundTargets 'public-only')", () => {
  let port = 0;
  const t = usePlatformServer({
    outboundTargets: 'public-only',
    webhookRetryDelaysMs: [60_000],
    webhookPollIntervalMs: 20,
    // The test's DNS: names an attacker controls that resolve to internal addresses, and to this server.
    outboundResolver: async (hostname) => {
      const table: Record<string, string> = { 'hooks.example.test': '127.0.0.1', 'intranet.example.test': '10.0.0.5', 'metadata.example.test': '169.254.169.254', 'mapped.example.test': '::ffff:127.0.0.1' };
      return resolver(table)(hostname);
    },
  });
  before(() => {
    port = t.server.port;
  });

  it('refuses internal targets in every spelling at registration (Webhooks API: 400)', async () => {
    const api = new Api(t.server.url, DEFAULT_CREDENTIALS);
    for (const url of INTERNAL.map((u) => u.replace('PORT', String(port)))) {
      const res = await api.registerWebhook({ url, events: CREATED });
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.match(res.text, /private, loopback or link-local/, url);
    }
  });

  it("refuses internal targets in every spelling for Stripe's webhook_endpoints (400 url_invalid)", async () => {
    for (const url of INTERNAL.map((u) => u.replace('PORT', String(port)))) {
      const res = await stripeForm(t.server.url, '/webhook_endpoints', { url, 'enabled_events[]': 'payment_intent.succeeded' });
      assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'url_invalid', url);
      assert.equal(res.body.error.param, 'url', url);
    }
    const ok = await stripeForm(t.server.url, '/webhook_endpoints', { url: 'https://shop.example.com/stripe', 'enabled_events[]': 'payment_intent.succeeded' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('refuses at delivery a name that resolves to an internal address or to itself: the reset does not happen, the log says only "target not allowed"', async () => {
    const api = new Api(t.server.url, DEFAULT_CREDENTIALS);
    const urls = [
      `https://hooks.example.test:${port}/vipps-local/v1/reset`,
      `https://hooks.example.test/hook`,
      `https://intranet.example.test/hook`,
      `https://metadata.example.test/latest/meta-data/`,
      `https://mapped.example.test/hook`,
    ];
    const ids = new Set<string>();
    for (const url of urls) ids.add((await api.registeredWebhook(url, CREATED)).id);
    const reference = await api.created();
    const ours = async () => (await deliveryLog(t.server.url)).filter((d) => ids.has(d.webhookId));
    await eventually(async () => (await ours()).filter((d) => d.attempts.length > 0).length === urls.length, 'an attempt per registration');
    for (const d of await ours()) {
      assert.deepEqual(d.attempts.map((a) => [a.statusCode, a.error, a.responseExcerpt]), [[null, 'target not allowed', null]], d.url);
    }
    assert.equal((await api.getPayment(reference)).status, 200, 'no reset happened');
  });
});

describe("a receiver's 20 MB answer", () => {
  const t = usePlatformServer({ webhookRetryDelaysMs: [60_000], webhookPollIntervalMs: 20 });
  let server: Server;
  const answers: Array<{ finished: boolean; closed: Promise<void> }> = [];
  const SIZE = 20 * 1024 * 1024;
  before(async () => {
    const chunk = Buffer.alloc(256 * 1024, 'y');
    server = createServer((req, res) => {
      req.resume();
      const answer = { finished: false, closed: new Promise<void>((resolve) => res.on('close', () => resolve())) };
      res.on('finish', () => (answer.finished = true));
      answers.push(answer);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(SIZE) });
      let sent = 0;
      const more = () => {
        while (sent < SIZE && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end();
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  });
  after(() => {
    server?.close();
  });

  it('is read only up to 64 KiB: the connection is closed, the excerpt is capped, memory stays bounded, the 200 counts', async () => {
    const api = new Api(t.server.url, DEFAULT_CREDENTIALS);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/large`;
    const { id } = await api.registeredWebhook(url, CREATED);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const PAYMENTS = 8;
    for (let i = 0; i < PAYMENTS; i++) await api.created();
    const ours = async () => (await deliveryLog(t.server.url)).filter((d) => d.webhookId === id);
    await eventually(async () => (await ours()).filter((d) => d.status === 'delivered').length === PAYMENTS, 'every delivery recorded', 20_000);
    clearInterval(sampler);
    await Promise.all(answers.map((a) => a.closed));
    const growthMb = (peak - rssBefore) / 1024 / 1024;
    console.log(`# 20 MB answers: ${PAYMENTS} deliveries, peak RSS growth ${growthMb.toFixed(1)} MB (server and receiver in this process)`);
    for (const d of await ours()) {
      const [attempt] = d.attempts;
      assert.equal(attempt!.statusCode, 200);
      assert.ok(attempt!.responseExcerpt!.length <= 500, `excerpt of ${attempt!.responseExcerpt!.length} characters`);
      assert.match(attempt!.note ?? '', /longer than 65536 bytes/);
    }
    assert.equal(answers.length, PAYMENTS);
    assert.ok(answers.every((a) => !a.finished), 'no 20 MB answer was read to its end');
    assert.ok(growthMb < 64, `peak RSS growth ${growthMb.toFixed(1)} MB for ${PAYMENTS} answers of 20 MB`);
  });
});
