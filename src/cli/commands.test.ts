// The commands beside `start`, run as the CLI runs them (runCommand with a command line) against a
// real server on 127.0.0.1, with a real webhook receiver for `listen`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type VippsLocal } from '../index.ts';
import { assertSigned, eventually, WebhookReceiver } from '../../test-support/webhook-receiver.ts';
import type { CommandIo } from './command-io.ts';
import { runCommand } from './program.ts';

/** A command's output, and a Ctrl-C the test presses. */
function testIo() {
  const out: string[] = [];
  const err: string[] = [];
  let press!: () => void;
  const ctrlC = new Promise<void>((resolve) => (press = resolve));
  const io: CommandIo = { out: (l) => out.push(l), err: (l) => err.push(l), interrupted: () => ctrlC };
  return { io, out, err, press };
}

let vl: VippsLocal;
let n = 0;
before(async () => {
  vl = await startServer();
});
after(() => vl.close());

async function created(): Promise<string> {
  const reference = `cli-${process.pid}-${++n}`;
  const res = await vl.epayment.create({ reference, amount: { value: 1000, currency: 'NOK' }, paymentMethod: { type: 'WALLET' }, userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/return' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return reference;
}

async function cli(...argv: string[]) {
  const t = testIo();
  const code = await runCommand(argv, t.io);
  return { code, out: t.out.join('\n'), err: t.err.join('\n') };
}

describe('vipps-local approve | reject | expire', () => {
  it('approve authorizes a created payment and prints its new state; a second approve is refused with exit 1 and the reason', async () => {
    const reference = await created();
    const first = await cli('approve', reference, '--url', vl.url);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out, `${reference}: AUTHORIZED (sales unit ${vl.credentials.msn})`);
    assert.equal((await vl.epayment.get(reference)).body.state, 'AUTHORIZED');
    const again = await cli('approve', reference, '--url', vl.url);
    assert.equal(again.code, 1);
    assert.match(again.err, new RegExp(`approve ${reference}: .+`));
  });

  it('reject makes the payment ABORTED and expire makes another EXPIRED', async () => {
    const rejected = await created();
    assert.equal((await cli('reject', rejected, '--url', vl.url)).code, 0);
    assert.equal((await vl.epayment.get(rejected)).body.state, 'ABORTED');
    const expired = await created();
    const res = await cli('expire', expired, '--url', vl.url);
    assert.equal(res.code, 0, res.err);
    assert.equal(res.out, `${expired}: EXPIRED (sales unit ${vl.credentials.msn})`);
    assert.equal((await vl.epayment.get(expired)).body.state, 'EXPIRED');
  });

  it('approve with a declining test card leaves the payment waiting and says so', async () => {
    const reference = await created();
    const res = await cli('approve', reference, '--card', 'visa-0151', '--url', vl.url);
    assert.equal((await vl.epayment.get(reference)).body.state, 'CREATED');
    assert.notEqual(res.code, 0, 'a declined card is not an approval');
    assert.match(res.err, /declin/i);
  });

  it('an unknown reference is exit 1 naming it; a missing reference is a usage error (exit 2) with the usage', async () => {
    const unknown = await cli('approve', 'no-such-payment-1', '--url', vl.url);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no-such-payment-1/);
    const usage = await cli('approve', '--url', vl.url);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /missing required argument 'reference'[\s\S]*Usage: vipps-local approve/);
  });

  it('a vipps-local that does not answer is exit 2 with the URL it tried', async () => {
    const res = await cli('expire', 'whatever-1', '--url', 'http://127.0.0.1:9');
    assert.equal(res.code, 2);
    assert.match(res.err, /cannot reach vipps-local at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('vipps-local payments', () => {
  it('prints the newest payments as a table with state, amounts in major units, face and flow; filters by state and reference', async () => {
    const captured = await created();
    await cli('approve', captured, '--url', vl.url);
    assert.equal((await vl.epayment.capture(captured, 250)).status, 200);
    const rejected = await created();
    await cli('reject', rejected, '--url', vl.url);
    const all = await cli('payments', '--url', vl.url);
    assert.equal(all.code, 0, all.err);
    const lines = all.out.split('\n');
    assert.match(lines[0]!, /^CREATED +MSN +REFERENCE +STATE +AMOUNT +CAPTURED +REFUNDED +FACE +FLOW +CUSTOMER$/);
    const rowOf = (reference: string) => lines.find((l) => l.includes(` ${reference} `));
    assert.match(rowOf(captured)!, new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} +${vl.credentials.msn} +${captured} +AUTHORIZED +10\\.00 NOK +2\\.50 +0\\.00 +ePayment +WEB_REDIRECT`));
    assert.ok(lines.indexOf(rowOf(rejected)!) < lines.indexOf(rowOf(captured)!), 'newest first');
    const aborted = await cli('payments', '--state', 'aborted', '--url', vl.url);
    assert.ok(aborted.out.split('\n').slice(1).every((l) => / ABORTED /.test(l)), aborted.out);
    assert.ok(aborted.out.includes(rejected));
    const one = await cli('payments', '--reference', captured, '--json', '--url', vl.url);
    const body = JSON.parse(one.out) as { payments: { reference: string; captured: number; face: string }[]; next: string | null };
    assert.deepEqual(body.payments.map((p) => [p.reference, p.captured, p.face]), [[captured, 250, 'ePayment']]);
  });
});

describe('vipps-local deliveries and listen', () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(() => receiver.close());

  it('listen registers a webhook, prints its secret and each delivery with the answer, and deletes it on Ctrl-C', async () => {
    const hook = `http://127.0.0.1:${receiver.port}/listen-hook`;
    const t = testIo();
    const running = runCommand(['listen', '--forward-to', hook, '--url', vl.url], t.io);
    await eventually(async () => t.out.some((l) => l.startsWith('webhook_secret: ')), 'listen printed the secret');
    const secret = t.out.find((l) => l.startsWith('webhook_secret: '))!.slice('webhook_secret: '.length);
    const reference = await created();
    await cli('approve', reference, '--url', vl.url);
    await eventually(async () => receiver.arrivals.filter((a) => a.path === '/listen-hook').length >= 2, 'created and authorized arrived');
    for (const a of receiver.arrivals.filter((x) => x.path === '/listen-hook')) assertSigned(a, hook, secret);
    await eventually(async () => t.out.some((l) => l.includes('epayments.payment.authorized.v1') && l.includes(reference) && l.includes('· 200 in')), 'listen printed the authorized delivery with its 200');
    assert.ok(t.out.some((l) => /✔ delivered +epayments\.payment\.created\.v1 /.test(l) && l.includes(`→ ${hook}`)), t.out.join('\n'));
    t.press();
    assert.equal(await running, 0);
    assert.match(t.out[t.out.length - 1]!, /^Webhook \S+ deleted\.$/);
    const left = await vl.epayment.accessToken().then((token) =>
      fetch(`${vl.url}/webhooks/v1/webhooks`, { headers: { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': vl.credentials.subscriptionKey, 'merchant-serial-number': vl.credentials.msn } }).then((r) => r.json()),
    );
    assert.deepEqual((left as { webhooks: { url: string }[] }).webhooks.filter((w) => w.url === hook), []);
  });

  it('listen with an event name the platform does not know is refused with exit 1 and the reason', async () => {
    const res = await cli('listen', '--forward-to', `http://127.0.0.1:${receiver.port}/x`, '--events', 'epayments.payment.nonsense.v1', '--url', vl.url);
    assert.equal(res.code, 1);
    assert.match(res.err, /not registered: .*nonsense/i);
  });

  it('deliveries prints one line per delivery with its status and last answer; --follow prints a new one as it happens', async () => {
    const hook = `http://127.0.0.1:${receiver.port}/log-hook`;
    const token = await vl.epayment.accessToken();
    const registered = await fetch(`${vl.url}/webhooks/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': vl.credentials.subscriptionKey, 'merchant-serial-number': vl.credentials.msn, 'content-type': 'application/json' },
      body: JSON.stringify({ url: hook, events: ['epayments.payment.created.v1', 'epayments.payment.aborted.v1'] }),
    });
    assert.equal(registered.status, 201);
    const reference = await created();
    await vl.waitForWebhook({ name: 'epayments.payment.created.v1', reference });
    const listed = await cli('deliveries', '--reference', reference, '--url', vl.url);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, new RegExp(`^\\d{2}:\\d{2}:\\d{2} ✔ delivered +epayments\\.payment\\.created\\.v1 ${reference} → ${hook} · 200 in \\d+ ms · attempt 1$`));
    const t = testIo();
    const following = runCommand(['deliveries', '--reference', reference, '--follow', '--url', vl.url], t.io);
    await eventually(async () => t.out.length === 1, 'the existing delivery printed first');
    await cli('reject', reference, '--url', vl.url);
    await eventually(async () => t.out.some((l) => l.includes(`epayments.payment.aborted.v1 ${reference}`) && l.includes('✔ delivered')), 'the aborted delivery printed as it was delivered');
    t.press();
    assert.equal(await following, 0);
    assert.equal(t.out.filter((l) => l.includes('created.v1')).length, 1, 'a delivery that did not change is printed once');
  });
});
