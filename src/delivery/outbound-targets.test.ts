// The outbound-target policy and the guarded POST every outbound call goes through: internal
// targets in every spelling are refused under 'public-only' before any connection is made; names are
// checked after resolving, and the connection goes to the address that was checked; vipps-local
// itself is never a target; redirects are not followed; an answer is read up to its cap and no further.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { WebhookReceiver } from '../../test-support/webhook-receiver.ts';
import { createOutboundPost, describeOutboundFailure } from './outbound-http.ts';
import { createOutboundPolicy, defaultOutboundTargets, isInternalAddress, isObviouslyInternal, TargetNotAllowed, type Resolver } from './outbound-targets.ts';

/** Loopback in every spelling WHATWG URL parsing accepts, and the private and link-local ranges. */
const INTERNAL_SPELLINGS = (port: number) => [
  `http://127.0.0.1:${port}/hook`,
  `http://127.1:${port}/hook`,
  `http://2130706433:${port}/hook`,
  `http://0x7f000001:${port}/hook`,
  `http://0177.0.0.1:${port}/hook`,
  `http://0x7f.0.0.1:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  `http://[0:0:0:0:0:ffff:7f00:1]:${port}/hook`,
  `http://0.0.0.0:${port}/hook`,
  `http://[::]:${port}/hook`,
  `http://localhost:${port}/hook`,
  `http://LOCALHOST.:${port}/hook`,
  `http://hooks.localhost:${port}/hook`,
  'https://10.0.0.5/hook',
  'https://172.16.0.1/hook',
  'https://172.31.255.254/hook',
  'https://192.168.1.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'https://100.64.0.1/hook',
  'https://[fc00::1]/hook',
  'https://[fd12:3456::1]/hook',
  'https://[fe80::1]/hook',
  'https://224.0.0.1/hook',
  'https://[ff02::1]/hook',
];

const PUBLIC = ['https://93.184.215.14/hook', 'https://[2606:4700::1111]/hook', 'https://example.com/hook', 'https://172.32.0.1/hook', 'https://100.128.0.1/hook'];

/** A resolver from a table; counts its calls. */
function tableResolver(table: Record<string, string[] | (() => string[])>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = (async (hostname: string) => {
    calls.push(hostname);
    const entry = table[hostname];
    if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const list = typeof entry === 'function' ? entry() : entry;
    return list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as Resolver & { calls: string[] };
  resolve.calls = calls;
  return resolve;
}

describe('which addresses are internal', () => {
  it('every internal spelling is obviously internal at registration; public ones are not', () => {
    for (const url of INTERNAL_SPELLINGS(8787)) assert.equal(isObviouslyInternal(new URL(url)), true, url);
    for (const url of PUBLIC) assert.equal(isObviouslyInternal(new URL(url)), false, url);
  });

  it('classifies resolved addresses, IPv4-mapped IPv6 by the IPv4 address it carries', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '100.64.0.1', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', 'fc00::1', 'fe80::1%eth0', '0.0.0.0', '::'])
      assert.equal(isInternalAddress(a), true, a);
    for (const a of ['8.8.8.8', '::ffff:8.8.8.8', '2606:4700::1111', '172.32.0.1']) assert.equal(isInternalAddress(a), false, a);
  });

  it('the default policy allows internal targets only when vipps-local listens on loopback', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) assert.equal(defaultOutboundTargets(host), 'any', host);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'vipps-local.internal']) assert.equal(defaultOutboundTargets(host), 'public-only', host);
  });
});

describe('the guarded POST', () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver?.close();
  });
  const post = (policy: ReturnType<typeof createOutboundPolicy>, url: string) =>
    createOutboundPost(policy)({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2_000, maxBytes: 64 * 1024, overflow: 'truncate' });

  it("under 'public-only', refuses every internal spelling without connecting, and says only 'target not allowed'", async () => {
    const policy = createOutboundPolicy({ targets: 'public-only', self: () => ({ host: '0.0.0.0', port: 1 }), resolve: tableResolver({}) });
    const before = receiver.arrivals.length;
    for (const url of INTERNAL_SPELLINGS(receiver.port)) {
      const err = await post(policy, url).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof TargetNotAllowed, `${url}: ${String(err)}`);
      assert.equal(describeOutboundFailure(err, 2_000), 'target not allowed');
    }
    assert.equal(receiver.arrivals.length, before, 'nothing reached the receiver on 127.0.0.1');
  });

  it("under 'public-only', refuses a name that resolves to an internal address (one of its addresses is enough)", async () => {
    const resolve = tableResolver({
      'hooks.example.test': ['127.0.0.1'],
      'intranet.example.test': ['10.0.0.5'],
      'metadata.example.test': ['169.254.169.254'],
      'mixed.example.test': ['93.184.215.14', '127.0.0.1'],
      'mapped.example.test': ['::ffff:127.0.0.1'],
    });
    const policy = createOutboundPolicy({ targets: 'public-only', self: () => ({ host: '0.0.0.0', port: 1 }), resolve });
    for (const host of ['hooks', 'intranet', 'metadata', 'mixed', 'mapped']) {
      const err = await post(policy, `https://${host}.example.test/hook`).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof TargetNotAllowed, `${host}: ${String(err)}`);
      assert.doesNotMatch(describeOutboundFailure(err, 2_000), /\d+\.\d+\.\d+\.\d+|::/, 'the message names no address');
    }
  });

  it('connects to the address it checked: a name is resolved once per call, and a later answer (DNS rebinding) is never used', async () => {
    let answers = 0;
    // The first answer is the receiver (127.0.0.1, allowed under 'any'); every later one an unreachable address.
    const resolve = tableResolver({ 'receiver.example.test': () => (answers++ === 0 ? ['127.0.0.1'] : ['192.0.2.1']) });
    const policy = createOutboundPolicy({ targets: 'any', self: () => ({ host: '127.0.0.1', port: 1 }), resolve });
    const before = receiver.arrivals.length;
    const res = await post(policy, `http://receiver.example.test:${receiver.port}/rebind`);
    assert.equal(res.status, 200);
    assert.equal(receiver.arrivals.length, before + 1);
    assert.equal(receiver.arrivals.at(-1)!.headers.host, `receiver.example.test:${receiver.port}`, 'the Host header keeps the name');
    assert.deepEqual(resolve.calls, ['receiver.example.test'], 'resolved once, by the policy: the socket used its answer');
  });

  it('never calls vipps-local itself, whatever the policy and spelling (its port at any address of this machine, its public URL)', async () => {
    const resolve = tableResolver({ 'vipps.example.test': ['127.0.0.1'], 'other-name.example.test': ['127.0.0.1'] });
    const policy = createOutboundPolicy({ targets: 'any', self: () => ({ host: '127.0.0.1', port: receiver.port, publicUrl: 'https://vipps.example.test' }), resolve });
    for (const url of [...INTERNAL_SPELLINGS(receiver.port).slice(0, 14), `http://other-name.example.test:${receiver.port}/x`, 'https://vipps.example.test/vipps-local/v1/reset', 'https://VIPPS.example.test:443/x']) {
      const err = await post(policy, url).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof TargetNotAllowed && err.why === 'self', `${url}: ${String(err)}`);
    }
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    const server = await listening((req, res) => {
      if (req.url === '/moved') res.writeHead(307, { location: `http://127.0.0.1:${receiver.port}/after-redirect` }).end();
    });
    const policy = createOutboundPolicy({ targets: 'any', self: () => ({ host: '127.0.0.1', port: 1 }) });
    const res = await post(policy, `http://127.0.0.1:${port(server)}/moved`);
    assert.equal(res.status, 307);
    assert.equal(receiver.at('/after-redirect').length, 0);
    server.close();
  });

  it('reads an answer up to maxBytes and closes the connection instead of reading the rest', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    let finished = false;
    let closed!: Promise<void>;
    const server = await listening((_req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.on('finish', () => (finished = true));
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const more = () => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent >= 20) res.end();
        else res.once('drain', () => ((sent++), more()));
      };
      more();
    });
    const policy = createOutboundPolicy({ targets: 'any', self: () => ({ host: '127.0.0.1', port: 1 }) });
    const res = await post(policy, `http://127.0.0.1:${port(server)}/large`);
    assert.equal(res.status, 200);
    assert.equal(res.truncated, true);
    assert.equal(res.body.length, 64 * 1024);
    await closed;
    assert.equal(finished, false, 'the 20 MB answer was not read to its end');
    server.close();
  });
});

async function listening(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

function port(server: Server): number {
  return (server.address() as { port: number }).port;
}
