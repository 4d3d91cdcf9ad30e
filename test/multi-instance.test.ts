// Several instances on one PostgreSQL database (issue 5, "no money is lost or doubled"): two real
// vipps-local processes (src/cli.ts) share one database. 20 payments are created and authorized,
// then 200 captures, refunds and cancels run at once, spread over both instances, some of them sent
// again with the same Idempotency-Key to the OTHER instance (at the same time, or after the answer).
// 423 (6160, lock timeout) answers are retried, as the platform documents, until the operation
// succeeds or answers a documented 4xx. Afterwards:
// - every payment keeps captured ≤ authorized − cancelled, refunded ≤ captured, and each aggregate
//   equals the sum of its successful events;
// - every Idempotency-Key had one effect: one event for a key answered 200, none for one answered 4xx,
//   and the two instances gave the same answer to the same request;
// - every webhook delivery was sent exactly once: one outbox row per event, one arrival per row at
//   the receiver, and the operator's log shows each delivered in one attempt that is not a duplicate.
// Needs PostgreSQL: runs in npm test's PostgreSQL pass (VIPPS_LOCAL_TEST_STORE=postgres).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Api, errorCode, type ApiResponse } from '../test-support/api-client.ts';
import { testStoreKind } from '../test-support/postgres.ts';
import { freshTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { EPAYMENT_EVENT_TYPES } from '../src/faces/webhooks/event-types.ts';
import { DEFAULT_CREDENTIALS } from '../test-support/merchants.ts';
import { ordinaryAmount } from '../test-support/test-amounts.ts';
import { eventId, startCountingReceiver, type CountingReceiver } from '../test-support/counting-receiver.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const PAYMENTS = 20;
const PAYMENT_AMOUNT = 10_000;
const OPERATIONS = 200;
const CREDENTIALS = DEFAULT_CREDENTIALS;
const EVENT_TYPES = [...EPAYMENT_EVENT_TYPES];
/** The documented answers an operation may legitimately get when it is not possible (PLATFORM-NOTES §3.4). */
const DOCUMENTED_4XX: Record<Op, string[]> = {
  capture: ['6090', '6070', '6170'], // too high, (remainder) cancelled, fully captured
  refund: ['6150', '6180'], // not enough refundable, all captured already refunded
  cancel: ['6040'], // fully captured: nothing left to cancel
};

type Op = 'capture' | 'refund' | 'cancel';

/** A small deterministic generator (mulberry32), so that a run can be repeated with MULTI_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** `node --import tsx src/cli.ts <args>`; resolves with the process and its URL once it is running. */
async function startInstance(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vipps-local did not start within 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /vipps-local is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`vipps-local exited (${code ?? signal}) before it was running:\n${out}`));
    });
  });
  return { child, url, output: () => out };
}

async function stopInstance(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}


interface Request {
  op: Op;
  reference: string;
  key: string;
  value: number;
  /** Index of the instance it is sent to first (0 or 1). */
  instance: number;
  /** Also sent, with the same key and body, to the other instance: at the same time, or after the first answer. */
  retry: 'none' | 'concurrent' | 'after';
}

interface Answer {
  instance: number;
  res: ApiResponse;
  /** How many 423s came before the definite answer. */
  locked: number;
}

describe('two vipps-local instances on one PostgreSQL database', { skip: testStoreKind() !== 'postgres' && 'needs PostgreSQL: runs in the PostgreSQL pass of npm test (VIPPS_LOCAL_TEST_STORE=postgres)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vipps-local-multi-'));
  const seed = process.env.MULTI_SEED !== undefined ? Number(process.env.MULTI_SEED) : Math.floor(Math.random() * 2 ** 31);
  const random = rng(seed);
  const randInt = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  let db: TestDatabase | undefined;
  let receiver: CountingReceiver | undefined;
  const instances: Array<{ child: ChildProcess; url: string; output: () => string }> = [];
  const apis: Api[] = [];
  const references: string[] = [];
  const requests: Request[] = [];
  const answers = new Map<string, Answer[]>();
  const payments = new Map<string, { payment: any; events: any[] }>();
  let locked = 0;

  /** Sends one request to one instance, retrying 423 (6160) as documented, until a definite answer. */
  async function send(req: Request, instance: number): Promise<Answer> {
    const api = apis[instance]!;
    for (let n = 0; ; n++) {
      const res =
        req.op === 'capture'
          ? await api.capture(req.reference, req.value, req.key)
          : req.op === 'refund'
            ? await api.refund(req.reference, req.value, req.key)
            : await api.cancel(req.reference, undefined, req.key);
      if (res.status === 423) {
        assert.equal(errorCode(res), '6160', res.text);
        locked++;
        if (n > 100) throw new Error(`${req.op} ${req.key}: still 423 after 100 retries`);
        await sleep(randInt(5, 50));
        continue;
      }
      return { instance, res, locked: n };
    }
  }

  async function run(req: Request): Promise<void> {
    const other = 1 - req.instance;
    let got: Answer[];
    if (req.retry === 'concurrent') got = await Promise.all([send(req, req.instance), send(req, other)]);
    else if (req.retry === 'after') got = [await send(req, req.instance), await send(req, other)];
    else got = [await send(req, req.instance)];
    answers.set(req.key, got);
  }

  before(
    async () => {
      db = await freshTestDatabase('postgres');
      receiver = await startCountingReceiver();
      const config = join(dir, 'config.json');
      // A short lock timeout so that contention shows up as 423s the test must retry.
      writeFileSync(config, JSON.stringify({ webhookRetryDelaysMs: [100, 200, 500], webhookPollIntervalMs: 50, postgresLockTimeoutMs: 50, postgresPoolSize: 8 }));
      const args = ['--port', '0', '--database', db.database, '--config', config, '--log-level', 'error'];
      instances.push(...(await Promise.all([startInstance(args), startInstance(args)])));
      for (const i of instances) apis.push(new Api(i.url, CREDENTIALS));
      await Promise.all(apis.map((a) => a.token()));

      const hook = await apis[0]!.call('POST', '/webhooks/v1/webhooks', { body: { url: receiver.url, events: EVENT_TYPES } });
      assert.equal(hook.status, 201, hook.text);

      // 20 authorized payments, created and approved through both instances.
      const prefix = `multi-${Date.now().toString(36)}`;
      await Promise.all(
        Array.from({ length: PAYMENTS }, async (_, i) => {
          const api = apis[i % 2]!;
          const reference = `${prefix}-${i}`;
          const created = await api.createPayment({ reference, amount: { currency: 'NOK', value: PAYMENT_AMOUNT } });
          assert.equal(created.status, 201, created.text);
          const approved = await apis[(i + 1) % 2]!.approve(reference);
          assert.equal(approved.status, 200, approved.text);
          references.push(reference);
        }),
      );

      // 200 operations on random payments and instances; a quarter are sent to the other instance too.
      for (let n = 0; n < OPERATIONS; n++) {
        const pick = random();
        const op: Op = pick < 0.55 ? 'capture' : pick < 0.93 ? 'refund' : 'cancel';
        const value = ordinaryAmount(op, op === 'capture' ? randInt(1, 3000) : op === 'refund' ? randInt(1, 2000) : 0);
        const r = random();
        requests.push({
          op,
          reference: references[randInt(0, PAYMENTS - 1)]!,
          key: `${op}-${n}-${seed}`,
          value,
          instance: randInt(0, 1),
          retry: r < 0.15 ? 'concurrent' : r < 0.3 ? 'after' : 'none',
        });
      }
      await Promise.all(requests.map(run));

      for (const reference of references) {
        const payment = await apis[0]!.getPayment(reference);
        const events = await apis[1]!.events(reference);
        assert.equal(payment.status, 200, payment.text);
        assert.equal(events.status, 200, events.text);
        payments.set(reference, { payment: payment.body, events: events.body });
      }
    },
    { timeout: 50_000 },
  );

  after(async () => {
    await Promise.all(instances.map((i) => stopInstance(i.child)));
    await receiver?.close();
    await db?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`every one of the ${OPERATIONS} operations succeeded or answered a documented 4xx (423s retried), and both instances answered a repeated request alike`, (t) => {
    const tally = new Map<string, number>();
    for (const req of requests) {
      const got = answers.get(req.key)!;
      for (const a of got) {
        const label = a.res.status === 200 ? `${req.op} 200` : `${req.op} ${a.res.status}/${errorCode(a.res)}`;
        tally.set(label, (tally.get(label) ?? 0) + 1);
        if (a.res.status !== 200) {
          assert.equal(a.res.status, 400, `${req.op} ${req.key} on instance ${a.instance}: ${a.res.text}`);
          assert.ok(DOCUMENTED_4XX[req.op].includes(errorCode(a.res) ?? ''), `${req.op} ${req.key}: ${a.res.text}`);
        }
      }
      if (got.length === 2) {
        assert.equal(got[1]!.res.status, got[0]!.res.status, `${req.key} (${req.retry}): both instances answer the same status`);
        if (got[0]!.res.status === 200) assert.deepEqual(got[1]!.res.body, got[0]!.res.body, `${req.key} (${req.retry}): the repeat replays the same answer`);
        else assert.equal(errorCode(got[1]!.res), errorCode(got[0]!.res), `${req.key} (${req.retry}): the repeat replays the same error`);
      }
    }
    t.diagnostic(`seed ${seed} (MULTI_SEED to repeat); ${locked} answers were 423 and retried; ${[...tally].sort().map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  });

  it('every payment keeps captured ≤ authorized − cancelled, refunded ≤ captured, and aggregates equal the sums of successful events', () => {
    for (const [reference, { payment, events }] of payments) {
      const agg = payment.aggregate;
      const [authorized, cancelled, captured, refunded]: [number, number, number, number] = [agg.authorizedAmount.value, agg.cancelledAmount.value, agg.capturedAmount.value, agg.refundedAmount.value];
      assert.equal(payment.state, 'AUTHORIZED');
      assert.equal(authorized, PAYMENT_AMOUNT);
      assert.ok(captured <= authorized - cancelled, `${reference}: captured ${captured} > authorized ${authorized} − cancelled ${cancelled}`);
      assert.ok(refunded <= captured, `${reference}: refunded ${refunded} > captured ${captured}`);
      const sum = (...names: string[]) => events.filter((e: any) => e.success && names.includes(e.name)).reduce((s: number, e: any) => s + e.amount.value, 0);
      assert.equal(authorized, sum('AUTHORIZED'), `${reference}: authorized`);
      assert.equal(cancelled, sum('CANCELLED'), `${reference}: cancelled`);
      assert.equal(captured, sum('CAPTURED'), `${reference}: captured`);
      assert.equal(refunded, sum('REFUNDED'), `${reference}: refunded`);
      // Replaying the log in order, no refund ever ran ahead of the captures.
      let c = 0;
      let r = 0;
      for (const e of events) {
        if (e.name === 'CAPTURED') c += e.amount.value;
        if (e.name === 'REFUNDED') r += e.amount.value;
        assert.ok(r <= c, `${reference}: after ${e.name} ${e.idempotencyKey}, refunded ${r} > captured ${c}`);
      }
    }
  });

  it('every Idempotency-Key had one effect: one event for a key answered 200, none for one answered 4xx', () => {
    const eventsByKey = new Map<string, any[]>();
    for (const { events } of payments.values()) {
      for (const e of events) {
        // CREATED and AUTHORIZED carry the create's key: they answer the create, they are no effect of the key being reused.
        if (e.idempotencyKey === null || e.name === 'CREATED' || e.name === 'AUTHORIZED') continue;
        eventsByKey.set(e.idempotencyKey, [...(eventsByKey.get(e.idempotencyKey) ?? []), e]);
      }
    }
    for (const req of requests) {
      const [first] = answers.get(req.key)!;
      const logged = eventsByKey.get(req.key) ?? [];
      if (first!.res.status !== 200) {
        assert.equal(logged.length, 0, `${req.key} answered ${errorCode(first!.res)} but left events`);
        continue;
      }
      const agg = first!.res.body.aggregate;
      if (req.op === 'cancel') {
        // A cancel of what was already cancelled is a harmless no-op without an event.
        assert.ok(logged.length <= 1, `${req.key}: at most one CANCELLED event`);
        if (logged.length === 1) assert.equal(logged[0].name, 'CANCELLED');
        else assert.equal(agg.capturedAmount.value + agg.cancelledAmount.value, agg.authorizedAmount.value, `${req.key}: a cancel without event found nothing left to cancel`);
      } else {
        assert.equal(logged.length, 1, `${req.key}: exactly one event`);
        assert.equal(logged[0].name, req.op === 'capture' ? 'CAPTURED' : 'REFUNDED');
        assert.equal(logged[0].amount.value, req.value);
      }
      const events = payments.get(req.reference)!.events;
      if (logged.length === 1) {
        // The answer is the payment right after its own event, whichever instance gave it.
        const upTo = events.slice(0, events.indexOf(logged[0]) + 1);
        const sum = (name: string) => upTo.filter((e: any) => e.name === name).reduce((s: number, e: any) => s + e.amount.value, 0);
        assert.deepEqual(
          [agg.capturedAmount.value, agg.refundedAmount.value, agg.cancelledAmount.value],
          [sum('CAPTURED'), sum('REFUNDED'), sum('CANCELLED')],
          `${req.key}: the answer matches the log at its event`,
        );
      }
    }
    const known = new Set(requests.map((r) => r.key));
    for (const key of eventsByKey.keys()) assert.ok(known.has(key), `event with unknown key ${key}`);
  });

  it('every webhook delivery was sent exactly once: one outbox row per event, one arrival per row, one attempt each, no duplicates', { timeout: 30_000 }, async (t) => {
    const deliveries = new Map<string, any[]>();
    const deadline = Date.now() + 20_000;
    let pending = [...payments.keys()];
    while (pending.length > 0) {
      const still: string[] = [];
      await Promise.all(
        pending.map(async (reference) => {
          const res = await apis[randInt(0, 1)]!.call('GET', `/vipps-local/v1/webhook-deliveries?reference=${reference}&limit=1000`, { bare: true });
          assert.equal(res.status, 200, res.text);
          deliveries.set(reference, res.body.deliveries);
          if (res.body.deliveries.some((d: any) => d.status !== 'delivered')) still.push(reference);
        }),
      );
      pending = still;
      if (pending.length === 0) break;
      assert.ok(Date.now() < deadline, `${pending.length} payments still have undelivered webhooks after 20 s`);
      await sleep(200);
    }
    // Let anything sent twice arrive before counting.
    await sleep(500);

    let rows = 0;
    for (const [reference, { events }] of payments) {
      const list = deliveries.get(reference)!;
      assert.equal(list.length, events.length, `${reference}: one outbox row per event`);
      for (const e of events) {
        const owed = list.filter((d: any) => d.payload.pspReference === e.pspReference && d.payload.name === e.name);
        assert.equal(owed.length, 1, `${reference} ${e.name} ${e.pspReference}: one outbox row`);
        const d = owed[0];
        assert.equal(d.status, 'delivered');
        assert.equal(d.attempts.length, 1, `${reference} ${e.name}: one attempt (${JSON.stringify(d.attempts)})`);
        assert.equal(d.attempts[0].statusCode, 200);
        assert.equal(d.attempts[0].note, null, `${reference} ${e.name}: the attempt is not a duplicate`);
        assert.equal(receiver!.arrivals.get(eventId(reference, e.pspReference, e.name)), 1, `${reference} ${e.name} ${e.pspReference}: arrived exactly once`);
        rows++;
      }
    }
    assert.equal(receiver!.total(), rows, 'no arrival that is not one of the deliveries');
    t.diagnostic(`${rows} deliveries, ${receiver!.total()} arrivals`);
  });
});
