// Webhook deliveries survive the server: the outbox row is written with the payment change, so a
// receiver that is down while the server stops and starts again still gets every event, in order;
// and a delivery that was on the wire when the process was killed is sent again once its lease ends.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer, type StartServerOptions, type VippsLocal } from '../index.ts';
import { DEFAULT_CREDENTIALS } from '../../test-support/merchants.ts';
import { Api } from '../../test-support/api-client.ts';
import { startCli } from '../../test-support/cli-process.ts';
import { assertSigned, deliveryLog, eventually, names, sleep, WebhookReceiver } from '../../test-support/webhook-receiver.ts';

const FLOW = ['epayments.payment.created.v1', 'epayments.payment.authorized.v1', 'epayments.payment.captured.v1', 'epayments.payment.terminated.v1'];

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-webhook-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function apiOf(url: string): Api {
  return new Api(url, DEFAULT_CREDENTIALS);
}

describe('webhook delivery across a restart', () => {
  const servers: VippsLocal[] = [];
  const receivers: WebhookReceiver[] = [];
  after(async () => {
    for (const s of servers) await s.close();
    for (const r of receivers) await r.close();
  });

  it('a receiver that is down while the server restarts still gets every event afterwards, in order, each once', async () => {
    const database = join(dir, 'graceful.sqlite');
    const options: StartServerOptions = { database, webhookRetryDelaysMs: [100], webhookPollIntervalMs: 20 };
    // Take a free port for the receiver, then close it: the receiver is down.
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    await receiver.close();
    const hookUrl = receiver.url('/after-restart?tenant=1');

    const first = await startServer(options);
    servers.push(first);
    const api1 = apiOf(first.url);
    const { id, secret } = await api1.registeredWebhook(hookUrl, FLOW);
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ref = await api1.authorized();
      assert.equal((await api1.capture(ref, 49900)).status, 200);
      refs.push(ref);
    }
    const terminated = await api1.created();
    assert.equal((await api1.cancel(terminated)).status, 200);
    // The heads of all four payments have been tried and refused.
    await eventually(async () => {
      const log = await deliveryLog(first.url, { webhookId: id });
      return log.length === 11 && log.filter((d) => d.payload.name === 'CREATED').every((d) => d.attempts.length >= 1);
    }, 'refused first attempts');
    const refusedLog = await deliveryLog(first.url, { webhookId: id });
    assert.ok(refusedLog.every((d) => d.status === 'pending'));
    assert.ok(refusedLog.flatMap((d) => d.attempts).every((x) => x.statusCode === null && /ECONNREFUSED/.test(x.error ?? '')));
    await first.close();

    await receiver.listen();
    const second = await startServer(options);
    servers.push(second);
    await receiver.waitFor(() => receiver.arrivals.length >= 11, 'all eleven events after the restart', 10_000);
    await sleep(300);
    const arrivals = receiver.arrivals;
    assert.equal(arrivals.length, 11, names(arrivals).join(', '));
    for (const ref of refs) {
      assert.deepEqual(arrivals.filter((a) => a.body.reference === ref).map((a) => a.body.name), ['CREATED', 'AUTHORIZED', 'CAPTURED'], `order of ${ref}`);
    }
    assert.deepEqual(arrivals.filter((a) => a.body.reference === terminated).map((a) => a.body.name), ['CREATED', 'TERMINATED']);
    for (const a of arrivals) assertSigned(a, hookUrl, secret); // the secret from the first server's 201

    // The registration and the whole attempt history survived too.
    const api2 = apiOf(second.url);
    const listed = await api2.listWebhooks();
    assert.deepEqual(listed.body, { webhooks: [{ id, url: hookUrl, events: FLOW }] });
    await eventually(async () => (await deliveryLog(second.url, { webhookId: id })).every((d) => d.status === 'delivered'), 'all delivered');
    for (const d of await deliveryLog(second.url, { webhookId: id })) {
      const codes = d.attempts.map((x) => x.statusCode);
      assert.equal(codes.at(-1), 200);
      assert.ok(codes.slice(0, -1).every((c) => c === null), `${d.payload.name}: refused before, delivered after (${JSON.stringify(codes)})`);
    }
  });

  it('a delivery on the wire when the process is killed is sent again by the next process once its lease has run out', async () => {
    const database = join(dir, 'killed.sqlite');
    const config = join(dir, 'killed.json');
    // Lease = timeout + 5 s: 6 s here.
    writeFileSync(config, JSON.stringify({ webhookRetryDelaysMs: [100], webhookPollIntervalMs: 20, webhookTimeoutMs: 1000 }));
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    receiver.answer = () => 'hang';
    const hookUrl = receiver.url('/killed');

    const cli = await startCli(['--port', '0', '--database', database, '--config', config, '--log-level', 'silent']);
    let secret: string;
    let ref: string;
    let killedAt: number;
    try {
      const api = apiOf(cli.url);
      secret = (await api.registeredWebhook(hookUrl, ['epayments.payment.created.v1'])).secret;
      ref = await api.created();
      await receiver.waitFor(() => receiver.arrivals.length >= 1, 'the first attempt on the wire');
      cli.child.kill('SIGKILL');
      killedAt = Date.now();
      await cli.exited;
    } finally {
      cli.child.kill('SIGKILL');
    }
    receiver.answer = () => 200;

    const next = await startServer({ database, webhookRetryDelaysMs: [100], webhookPollIntervalMs: 20, webhookTimeoutMs: 1000 });
    servers.push(next);
    await receiver.waitFor(() => receiver.arrivals.length >= 2, 'the delivery from the next process', 10_000);
    await sleep(300);
    const [cut, resent] = receiver.arrivals;
    assert.equal(receiver.arrivals.length, 2);
    assert.equal(resent!.answer, 200);
    assert.equal(resent!.raw.toString('utf8'), cut!.raw.toString('utf8'), 'the same event');
    assert.equal(resent!.body.reference, ref);
    assertSigned(resent!, hookUrl, secret);
    // Not before the killed process's claim ran out (claimed at the first attempt, 6 s lease).
    assert.ok(resent!.at - cut!.at >= 5_500, `sent again ${resent!.at - cut!.at} ms after the cut attempt`);
    assert.ok(resent!.at - killedAt < 9_000);
    const [d] = await deliveryLog(next.url, { reference: ref });
    assert.equal(d!.status, 'delivered');
    assert.equal(d!.attempts.at(-1)!.statusCode, 200);
  });
});

