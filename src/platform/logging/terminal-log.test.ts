// What `vipps-local` prints while it runs, read from a real process's stdout: one readable line per
// API request and per webhook attempt by default, one JSON object per line with --log-format json.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Api, newReference, paymentRequest } from '../../../test-support/api-client.ts';
import { DEFAULT_CREDENTIALS } from '../../../test-support/merchants.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vipps-local-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  url: string;
  /** Everything printed on stdout so far, line by line. */
  lines(): string[];
  /** Resolves with the first line (from `from` on) that matches; fails after a few seconds. */
  line(pattern: RegExp, from?: number): Promise<string>;
  stop(): Promise<void>;
}

/** `node --import tsx src/cli.ts --port 0 ...` on a fresh database, with webhook retries 1 s apart. */
async function startVippsLocal(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<Running> {
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({ webhookRetryDelaysMs: [1000], webhookPollIntervalMs: 50 }));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--database', join(dir, `${name}.sqlite`), '--config', config, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: '', VIPPS_LOCAL_LOG_FORMAT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiting = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const wake of waiting) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = () => out.split('\n').filter((l) => l !== '');
  const line = (pattern: RegExp, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const hit = lines().slice(from).find((l) => pattern.test(l));
        if (hit === undefined) return;
        clearTimeout(timer);
        waiting.delete(look);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiting.delete(look);
        reject(new Error(`no line matching ${pattern} in:\n${out}\nstderr:\n${err}`));
      }, 8000);
      waiting.add(look);
      look();
    });
  const ready = await line(/running at (\S+)/);
  return {
    url: /running at (\S+)/.exec(ready)![1]!,
    lines,
    line,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('terminal output by default (pretty, level info)', () => {
  let vl: Running;
  let api: Api;
  let receiver: WebhookReceiver;
  before(async () => {
    [vl, receiver] = await Promise.all([startVippsLocal('pretty'), WebhookReceiver.start()]);
    api = new Api(vl.url, DEFAULT_CREDENTIALS);
  });
  after(async () => {
    await vl?.stop();
    await receiver?.close();
  });

  it('a 400 is one readable line naming the method, path, status, reference, the first error and the trace id of the body', async () => {
    const reference = newReference('logs');
    const res = await api.call('POST', '/epayment/v1/payments', { body: paymentRequest({ reference, amount: { currency: 'NOK', value: '12' } }) });
    assert.equal(res.status, 400);
    const traceId = res.body.traceId as string;
    assert.match(traceId, /\S{8,}/);
    const line = await vl.line(new RegExp(escape(reference)));
    assert.match(line, new RegExp(`INFO.*: POST /epayment/v1/payments 400 ${escape(reference)} · The field amount\\.value must be of type number\\. · trace ${escape(traceId)}$`));
    assert.equal(vl.lines().filter((l) => l.includes(reference)).length, 1, 'one line per request');
    assert.ok(!vl.lines().some((l) => /incoming request|request completed/.test(l)), "Fastify's own per-request lines are off");
  });

  it('a request read leniently names each leniency on its line', async () => {
    const reference = newReference('logs');
    const res = await api.call('POST', '/ePayment/v1/payments', { body: paymentRequest({ reference, returnUrl: 'http://shop.example/return' }), idempotencyKey: reference });
    assert.equal(res.status, 201, res.text);
    const line = await vl.line(new RegExp(escape(reference)));
    assert.match(line, new RegExp(`POST /ePayment/v1/payments 201 ${escape(reference)} · lenient: path case /ePayment/v1/payments, http returnUrl$`));
  });

  it('a failed webhook attempt is a warning naming the event, reference, URL, status, attempt and the next retry; the retry gets its own line', async () => {
    const hook = receiver.url('/failing-hook');
    receiver.answer = (a) => (a.path === '/failing-hook' && receiver.at('/failing-hook').length < 2 ? 500 : 200);
    await api.registeredWebhook(hook, ['epayments.payment.created.v1']);
    const reference = await api.created();
    const first = await vl.line(new RegExp(`→ epayments\\.payment\\.created\\.v1 ${escape(reference)} → `));
    assert.match(first, new RegExp(`WARN.*: → epayments\\.payment\\.created\\.v1 ${escape(reference)} → ${escape(hook)} 500 · attempt 1 · next in 1 s$`));
    const second = await vl.line(new RegExp(`${escape(reference)} .* attempt 2`));
    assert.match(second, /WARN.* 500 · attempt 2 · next in 1 s$/);
    const third = await vl.line(new RegExp(`${escape(reference)} .* attempt 3`));
    assert.match(third, new RegExp(`INFO.*: → epayments\\.payment\\.created\\.v1 ${escape(reference)} → ${escape(hook)} 200 · attempt 3$`));
  });
});

describe('--log-format json', () => {
  let vl: Running;
  let api: Api;
  let receiver: WebhookReceiver;
  before(async () => {
    [vl, receiver] = await Promise.all([startVippsLocal('json', ['--log-format', 'json']), WebhookReceiver.start()]);
    api = new Api(vl.url, DEFAULT_CREDENTIALS);
  });
  after(async () => {
    await vl?.stop();
    await receiver?.close();
  });

  /** The JSON record of the first line matching. */
  const record = async (pattern: RegExp): Promise<Record<string, any>> => JSON.parse(await vl.line(pattern)) as Record<string, any>;

  it('every log line is one JSON object; a 400 carries method, path, status, reference, traceId, the error and leniencies as fields', async () => {
    const reference = newReference('logs');
    const res = await api.call('POST', '/epayment/v1/payments/', { body: paymentRequest({ reference, amount: { currency: 'NOK', value: -5 } }) });
    assert.equal(res.status, 400);
    const r = await record(new RegExp(`"reference":"${escape(reference)}"`));
    assert.equal(r.level, 30);
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/epayment/v1/payments/');
    assert.equal(r.status, 400);
    assert.equal(r.reference, reference);
    assert.equal(r.traceId, res.body.traceId);
    assert.match(r.error, /amount\.value/i);
    assert.deepEqual(r.leniencies.map((l: { kind: string }) => l.kind), ['path-trailing-slash']);
    assert.equal(typeof r.latencyMs, 'number');
    assert.match(r.msg, new RegExp(`^POST /epayment/v1/payments/ 400 ${escape(reference)} · `));
    // Lines logged before the server was ready are JSON too (pino's "Server listening").
    const logLines = vl.lines().filter((l) => l.startsWith('{'));
    assert.ok(logLines.length >= 2);
    for (const l of logLines) assert.doesNotThrow(() => JSON.parse(l), l);
  });

  it('a failed webhook attempt is a warning record with event, reference, url, status, attempt and the next retry', async () => {
    const hook = receiver.url('/json-hook');
    receiver.answer = () => 503;
    await api.registeredWebhook(hook, ['epayments.payment.created.v1']);
    const reference = await api.created();
    const r = await record(new RegExp(`"event":"epayments\\.payment\\.created\\.v1".*"reference":"${escape(reference)}"`));
    assert.equal(r.level, 40);
    assert.equal(r.url, hook);
    assert.equal(r.status, 503);
    assert.equal(r.attempt, 1);
    assert.equal(r.outcome, 'pending');
    assert.ok(r.nextInMs > 500 && r.nextInMs <= 1000, `next in ${r.nextInMs} ms`);
  });
});

describe('--log-level warn', () => {
  let vl: Running;
  let api: Api;
  let receiver: WebhookReceiver;
  before(async () => {
    [vl, receiver] = await Promise.all([startVippsLocal('warn', ['--log-level', 'warn']), WebhookReceiver.start()]);
    api = new Api(vl.url, DEFAULT_CREDENTIALS);
  });
  after(async () => {
    await vl?.stop();
    await receiver?.close();
  });

  it('requests print nothing; a failed webhook attempt still prints its warning', async () => {
    receiver.answer = () => 500;
    await api.registeredWebhook(receiver.url('/warn-hook'), ['epayments.payment.created.v1']);
    const reference = await api.created();
    const bad = await api.call('GET', '/epayment/v1/payments/x');
    assert.equal(bad.status, 400);
    await vl.line(new RegExp(`WARN.*: → epayments\\.payment\\.created\\.v1 ${escape(reference)} → .* 500 · attempt 1 · next in 1 s$`));
    assert.deepEqual(vl.lines().filter((l) => / (INFO|WARN): (GET|POST) /.test(l)), [], 'no request lines');
  });
});
