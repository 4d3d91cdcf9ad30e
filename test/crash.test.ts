// Crash safety (issue 5, "no money is lost or doubled"): a real vipps-local process (src/cli.ts)
// serving a load of create / force approve / capture / refund / cancel is killed with SIGKILL at
// random moments and restarted on the same database, again and again. Afterwards:
// - every operation that was answered 2xx is there: the payment exists, its event with that
//   Idempotency-Key exists, and the aggregates include it;
// - an operation whose answer was lost in a crash, retried after the restart with the same key and
//   body, was either replayed (the committed answer) or performed then, never twice: one event per key;
// - every payment keeps captured ≤ authorized − cancelled, refunded ≤ captured, and each aggregate
//   equals the sum of its successful events;
// - the transactional outbox owed one webhook delivery per event, and delivered every one of them
//   to a real receiver (at least once: a crash may repeat a delivery, but none may be missing).
// Runs on the store under test: SQLite, and PostgreSQL in npm test's second pass
// (VIPPS_LOCAL_TEST_STORE=postgres). CRASH_DEBUG=1 prints the phases' timings as they end.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Api, errorCode, paymentRequest, type ApiResponse } from '../test-support/api-client.ts';
import { freshTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { testStoreKind } from '../test-support/postgres.ts';
import { EPAYMENT_EVENT_TYPES } from '../src/faces/webhooks/event-types.ts';
import { DEFAULT_CREDENTIALS } from '../test-support/merchants.ts';
import { ordinaryAmount } from '../test-support/test-amounts.ts';
import { eventId, startCountingReceiver, type CountingReceiver } from '../test-support/counting-receiver.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const KILLS = 10;
const UP_MIN_MS = 200;
const UP_MAX_MS = 800;
const WORKERS = 4;
const CREDENTIALS = DEFAULT_CREDENTIALS;
const EVENT_TYPES = [...EPAYMENT_EVENT_TYPES];

const randInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

// ───────────────────────────── processes and ports ─────────────────────────────

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Every child this file started, so that nothing outlives the test process. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * A spare's launcher: loads vipps-local's modules ahead of time, then, when told "go" on stdin,
 * runs src/cli.ts with the given arguments exactly as `node --import tsx src/cli.ts ...` would.
 * Module loading takes 1–4 s on a busy machine; with a warm spare a restart after a kill takes as
 * long as opening the database and listening, so ten kills fit in the time budget.
 */
const LAUNCHER = `
const [cli, ...args] = process.argv.slice(2);
await import(new URL('src/platform/app.ts', 'file://${ROOT}').href);
await import(new URL('src/server.ts', 'file://${ROOT}').href);
let started = false;
process.stdin.on('data', () => {
  if (started) return;
  started = true;
  process.argv = [process.argv[0], cli, ...args];
  import(cli);
});
// stdin stays open while the test runs: its end means the test process is gone, so go too.
process.stdin.on('end', () => process.exit(0));
process.stdout.write('warm\\n');
`;

/** One vipps-local process running src/cli.ts. */
class ServerProcess {
  private out = '';
  private readonly exited: Promise<never>;
  private onOutput = () => {};
  /** Resolves when a spare has loaded its modules. */
  readonly warm: Promise<void>;
  url = '';

  private constructor(
    readonly child: ChildProcess,
    isSpare: boolean,
  ) {
    children.add(child);
    child.once('exit', () => children.delete(child));
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (this.out += d));
    child.stdout!.on('data', (d: string) => {
      this.out += d;
      this.onOutput();
    });
    this.exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`vipps-local exited (${code ?? signal}) before it was running:\n${this.out}`))),
    );
    this.exited.catch(() => {});
    this.warm = isSpare ? this.waitFor(() => (this.out.includes('warm\n') ? true : null), 'warm').then(() => {}) : Promise.resolve();
    this.warm.catch(() => {});
  }

  /** Waits until the output shows something (or the process exits, or 30 s pass). */
  private waitFor<T>(find: () => T | null, what: string): Promise<T> {
    return Promise.race([
      this.exited,
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`vipps-local: no "${what}" within 30 s:\n${this.out}`)), 30_000);
        timer.unref();
        const previous = this.onOutput;
        const check = () => {
          const found = find();
          if (found === null) return;
          clearTimeout(timer);
          this.onOutput = previous;
          resolve(found);
        };
        this.onOutput = () => {
          previous();
          check();
        };
        check();
      }),
    ]);
  }

  private running(): Promise<string> {
    return this.waitFor(() => /vipps-local is running at (\S+)/.exec(this.out)?.[1] ?? null, 'vipps-local is running at');
  }

  /** `node --import tsx src/cli.ts <args>`, as a user runs it. */
  static async cold(args: string[]): Promise<ServerProcess> {
    const p = new ServerProcess(
      spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }),
      false,
    );
    p.url = await p.running();
    return p;
  }

  /** A process that has loaded the modules but not yet opened the database: start() runs src/cli.ts. */
  static spare(launcher: string, args: string[]): ServerProcess {
    return new ServerProcess(
      spawn(process.execPath, ['--import', 'tsx', launcher, join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }),
      true,
    );
  }

  async start(): Promise<ServerProcess> {
    await this.warm;
    this.child.stdin!.write('go\n');
    this.url = await this.running();
    return this;
  }

  get log(): string {
    return this.out;
  }

  /** SIGKILL: no shutdown code runs, exactly as in a crash. Resolves when the process is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await gone;
  }
}

// ───────────────────────────── the load ─────────────────────────────

type OpName = 'create' | 'approve' | 'capture' | 'refund' | 'cancel';
const EVENT_OF: Record<OpName, string> = { create: 'CREATED', approve: 'AUTHORIZED', capture: 'CAPTURED', refund: 'REFUNDED', cancel: 'CANCELLED' };

/** An operation that was answered 2xx (possibly only on a retry after a crash). */
interface Answered {
  op: OpName;
  /** The event it must have logged. */
  event: string;
  reference: string;
  /** null for force approve (it takes no Idempotency-Key). */
  key: string | null;
  body: unknown;
  amount: number;
  status: number;
  response: any;
  /** The first attempt's answer was lost (connection refused or broken by the kill). */
  retriedAfterLostAnswer: boolean;
  /** When the first attempt failed. */
  lostAt: number | null;
  /** Force approve retried after a lost answer that said 6230: the first attempt had committed. */
  committedBeforeCrash?: boolean;
}

/** What the test expects a payment to look like, from the answers it got. */
interface Expected {
  reference: string;
  amount: number;
  state: 'CREATED' | 'AUTHORIZED' | 'TERMINATED';
  authorized: number;
  cancelled: number;
  captured: number;
  refunded: number;
}

class Load {
  readonly answered: Answered[] = [];
  readonly expected = new Map<string, Expected>();
  readonly problems: string[] = [];
  lostAnswers = 0;
  private stopping = false;
  private up: Promise<void> = Promise.resolve();
  private markUp: () => void = () => {};

  constructor(
    private readonly api: Api,
    private readonly prefix: string,
  ) {}

  serverDown(): void {
    this.up = new Promise((resolve) => (this.markUp = resolve));
  }

  serverUp(): void {
    this.markUp();
  }

  stop(): void {
    this.stopping = true;
  }

  /**
   * Sends until a definite answer arrives. A transport failure (the kill broke the connection or
   * nobody listens) means the answer was lost: wait for the server, then send the same request
   * again, with the same Idempotency-Key and body. 423 (6160) is transient: retry as documented.
   */
  private async send(request: () => Promise<ApiResponse>): Promise<{ res: ApiResponse; lost: boolean; lostAt: number | null }> {
    let lost = false;
    let lostAt: number | null = null;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 200) throw new Error('no definite answer after 200 attempts');
      await this.up;
      try {
        const res = await request();
        if (res.status === 423) {
          await sleep(20);
          continue;
        }
        return { res, lost, lostAt };
      } catch (err) {
        if (!(err instanceof TypeError)) throw err; // fetch failed / terminated: the connection broke
        lost = true;
        lostAt ??= Date.now();
        this.lostAnswers++;
        await sleep(10);
      }
    }
  }

  private check(ok: boolean, what: string, res: ApiResponse): boolean {
    if (!ok) this.problems.push(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
    return ok;
  }

  private checkAggregate(e: Expected, res: ApiResponse, what: string): void {
    const a = res.body?.aggregate;
    const got = a && [a.authorizedAmount.value, a.cancelledAmount.value, a.capturedAmount.value, a.refundedAmount.value];
    const want = [e.authorized, e.cancelled, e.captured, e.refunded];
    if (JSON.stringify(got) !== JSON.stringify(want) || res.body.state !== e.state) {
      this.problems.push(`${what}: answered ${res.body?.state} ${JSON.stringify(got)}, expected ${e.state} ${JSON.stringify(want)}`);
    }
  }

  async worker(w: number): Promise<void> {
    for (let n = 0; !this.stopping; n++) await this.lifecycle(`${this.prefix}-w${w}-p${n}`);
  }

  /** One payment, owned by one worker: create, then approve, captures, refunds, maybe a cancel. */
  private async lifecycle(reference: string): Promise<void> {
    const api = this.api;
    const amount = randInt(1000, 100_000);
    const body = paymentRequest({ reference, amount: { currency: 'NOK', value: amount } });
    const createKey = `create-${reference}`;
    const created = await this.send(() => api.call('POST', '/epayment/v1/payments', { body, idempotencyKey: createKey }));
    if (!this.check(created.res.status === 201 && created.res.body.reference === reference, `create ${reference}`, created.res)) return;
    const e: Expected = { reference, amount, state: 'CREATED', authorized: 0, cancelled: 0, captured: 0, refunded: 0 };
    this.expected.set(reference, e);
    this.record('create', reference, createKey, body, amount, created);
    if (this.stopping) return;

    if (Math.random() < 0.1) {
      await this.cancel(e);
      return;
    }

    const approved = await this.send(() => api.approve(reference));
    // A force approve carries no key: if its answer was lost after it committed, the retry finds
    // the payment already AUTHORIZED (6230). That is the one retry answer that is not 200.
    const committedBefore = approved.lost && approved.res.status === 400 && errorCode(approved.res) === '6230';
    if (!this.check(approved.res.status === 200 || committedBefore, `approve ${reference}`, approved.res)) return;
    e.state = 'AUTHORIZED';
    e.authorized = amount;
    this.record('approve', reference, null, {}, amount, approved, committedBefore);

    const captures = randInt(0, 3);
    for (let i = 0; i < captures && !this.stopping; i++) {
      const left = e.authorized - e.cancelled - e.captured;
      const value = ordinaryAmount('capture', i === captures - 1 && Math.random() < 0.3 ? left : randInt(1, Math.max(1, Math.floor(left / 2))));
      const key = `capture-${reference}-${i}`;
      const r = await this.send(() => api.capture(reference, value, key));
      if (!this.check(r.res.status === 200, `capture ${value} of ${reference} (${key})`, r.res)) return;
      e.captured += value;
      this.checkAggregate(e, r.res, `capture ${key}`);
      this.record('capture', reference, key, { modificationAmount: { currency: 'NOK', value } }, value, r);
    }

    const refunds = e.captured > 0 ? randInt(0, 2) : 0;
    for (let i = 0; i < refunds && !this.stopping; i++) {
      const left = e.captured - e.refunded;
      if (left === 0) break;
      const value = ordinaryAmount('refund', randInt(1, left));
      const key = `refund-${reference}-${i}`;
      const r = await this.send(() => api.refund(reference, value, key));
      if (!this.check(r.res.status === 200, `refund ${value} of ${reference} (${key})`, r.res)) return;
      e.refunded += value;
      this.checkAggregate(e, r.res, `refund ${key}`);
      this.record('refund', reference, key, { modificationAmount: { currency: 'NOK', value } }, value, r);
    }

    if (!this.stopping && Math.random() < 0.3 && e.authorized - e.cancelled - e.captured > 0) await this.cancel(e);
  }

  private async cancel(e: Expected): Promise<void> {
    const key = `cancel-${e.reference}`;
    const r = await this.send(() => this.api.cancel(e.reference, {}, key));
    if (!this.check(r.res.status === 200, `cancel ${e.reference}`, r.res)) return;
    let value: number;
    const event = e.state === 'CREATED' ? 'TERMINATED' : 'CANCELLED';
    if (e.state === 'CREATED') {
      e.state = 'TERMINATED';
      e.cancelled = value = e.amount;
    } else {
      value = e.authorized - e.cancelled - e.captured;
      e.cancelled += value;
    }
    this.checkAggregate(e, r.res, `cancel ${key}`);
    this.record('cancel', e.reference, key, {}, value, r, false, event);
  }

  private record(
    op: OpName,
    reference: string,
    key: string | null,
    body: unknown,
    amount: number,
    r: { res: ApiResponse; lost: boolean; lostAt: number | null },
    committedBeforeCrash = false,
    event = EVENT_OF[op],
  ): void {
    this.answered.push({ op, event, reference, key, body, amount, status: r.res.status, response: r.res.body, retriedAfterLostAnswer: r.lost, lostAt: r.lostAt, committedBeforeCrash });
  }
}

// ───────────────────────────── the test, per store ─────────────────────────────

/** The store under test: SQLite, or PostgreSQL in npm test's PostgreSQL pass (VIPPS_LOCAL_TEST_STORE=postgres). */
const STORES = [testStoreKind()];


for (const kind of STORES) {
  const name = kind === 'postgres' ? 'PostgreSQL' : 'SQLite';
  describe(`SIGKILL at random moments under load, restarted on the same ${name} database`, () => {
    const dir = mkdtempSync(join(tmpdir(), `vipps-local-crash-${kind}-`));
    let db: TestDatabase | undefined;
    let server: ServerProcess | undefined;
    let receiver: CountingReceiver | undefined;
    let args: string[] = [];
    let api: Api;
    let load: Load;
    const payments = new Map<string, { payment: any; events: any[] }>();
    let restarts = 0;
    const restartMs: number[] = [];
    const spares: ServerProcess[] = [];
    let warmWaitMs = 0;
    const phases: string[] = [];
    let phaseStart = Date.now();
    const phase = (what: string) => {
      phases.push(`${what} ${Date.now() - phaseStart} ms`);
      if (process.env.CRASH_DEBUG) process.stderr.write(`# ${phases.at(-1)}\n`);
      phaseStart = Date.now();
    };

    before(
      async () => {
        phaseStart = Date.now();
        db = await freshTestDatabase(kind);
        phase('database');
        receiver = await startCountingReceiver();
        const config = join(dir, 'config.json');
        // Fast retries, and a short lease so that deliveries claimed by a killed process are soon free again.
        writeFileSync(config, JSON.stringify({ webhookRetryDelaysMs: [100, 200, 500], webhookTimeoutMs: 1000, webhookPollIntervalMs: 50 }));
        const port = await freePort();
        args = ['--port', String(port), '--database', db.database, '--config', config, '--log-level', 'error'];
        const launcher = join(dir, 'launcher.mjs');
        writeFileSync(launcher, LAUNCHER);
        // Two warm spares load their modules while the first server starts.
        const addSpare = () => spares.push(ServerProcess.spare(launcher, args));
        addSpare();
        addSpare();
        server = await ServerProcess.cold(args);
        phase('first start');
        api = new Api(server.url, CREDENTIALS);
        const hook = await api.call('POST', '/webhooks/v1/webhooks', { body: { url: receiver.url, events: EVENT_TYPES } });
        assert.equal(hook.status, 201, hook.text);

        load = new Load(api, `crash-${kind}-${Date.now().toString(36)}`);
        const workers = Array.from({ length: WORKERS }, (_, w) => load.worker(w));
        // Warm spares for all restarts but the last, which is a cold `node --import tsx src/cli.ts`.
        const spareCount = () => spares.filter((s) => s.child.exitCode === null).length;
        try {
          for (let i = 0; i < KILLS; i++) {
            await sleep(randInt(UP_MIN_MS, UP_MAX_MS));
            const last = i === KILLS - 1;
            const next = last ? undefined : spares.shift()!;
            const w0 = Date.now();
            await next?.warm; // a kill is only as long as the restart after it
            warmWaitMs += Date.now() - w0;
            load.serverDown();
            await server.kill();
            const t0 = Date.now();
            server = next ? await next.start() : await ServerProcess.cold(args);
            restartMs.push(Date.now() - t0);
            restarts++;
            load.serverUp();
            if (i + spareCount() < KILLS - 1) addSpare();
          }
          await sleep(randInt(UP_MIN_MS, UP_MAX_MS));
        } finally {
          for (const s of spares.splice(0)) await s.kill();
          phase(`load with kills (waiting for warm spares ${warmWaitMs} ms)`);
          load.stop();
          load.serverUp();
          await Promise.all(workers);
          phase('workers finishing');
        }

        const refs = [...load.expected.keys()];
        for (let i = 0; i < refs.length; i += 16) {
          await Promise.all(
            refs.slice(i, i + 16).map(async (reference) => {
              const [payment, events] = await Promise.all([api.getPayment(reference), api.events(reference)]);
              assert.equal(payment.status, 200, `${reference}: ${payment.text}`);
              assert.equal(events.status, 200, `${reference}: ${events.text}`);
              payments.set(reference, { payment: payment.body, events: events.body });
            }),
          );
        }
        phase('reading payments');
      },
      { timeout: 55_000 },
    );

    after(async () => {
      await server?.kill();
      for (const s of spares) await s.kill();
      await receiver?.close();
      await db?.remove();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`the load ran through ${KILLS} kills and restarts and every answer was the expected one`, (t) => {
      assert.equal(restarts, KILLS);
      assert.deepEqual(load.problems, [], 'unexpected answers');
      const byOp = new Map<string, number>();
      for (const a of load.answered) byOp.set(a.op, (byOp.get(a.op) ?? 0) + 1);
      for (const op of ['create', 'approve', 'capture', 'refund', 'cancel']) assert.ok((byOp.get(op) ?? 0) > 0, `some ${op} operations were answered`);
      t.diagnostic(
        `${name}: ${load.answered.length} operations answered 2xx (${[...byOp].map(([k, v]) => `${k} ${v}`).join(', ')}) on ${payments.size} payments; ` +
          `${phases.join(', ')}; restarts took ${restartMs.join(', ')} ms; ${load.lostAnswers} answers lost in kills, ${load.answered.filter((a) => a.retriedAfterLostAnswer).length} operations retried after a lost answer`,
      );
    });

    it('every operation answered 2xx is present: the payment, its event with that Idempotency-Key, and the aggregates include it', () => {
      for (const a of load.answered) {
        const p = payments.get(a.reference);
        assert.ok(p, `${a.op} ${a.key}: payment ${a.reference} exists`);
        const name = a.event;
        const matching = p.events.filter((e: any) => e.name === name && (a.key === null || e.idempotencyKey === a.key));
        assert.equal(matching.length, 1, `${a.op} ${a.key ?? ''} on ${a.reference}: exactly one ${name} event${a.key ? ' with that key' : ''}; log: ${JSON.stringify(p.events.map((e: any) => [e.name, e.amount.value, e.idempotencyKey]))}`);
        assert.equal(matching[0].amount.value, a.amount, `${a.op} ${a.key}: event amount`);
        assert.equal(matching[0].success, true);
      }
      // And the final state of each payment is exactly what the answers add up to.
      for (const [reference, e] of load.expected) {
        const agg = payments.get(reference)!.payment.aggregate;
        assert.deepEqual(
          { state: payments.get(reference)!.payment.state, authorized: agg.authorizedAmount.value, cancelled: agg.cancelledAmount.value, captured: agg.capturedAmount.value, refunded: agg.refundedAmount.value },
          { state: e.state, authorized: e.authorized, cancelled: e.cancelled, captured: e.captured, refunded: e.refunded },
          `${reference}: aggregates are the sum of the answered operations`,
        );
      }
    });

    it('an operation whose answer was lost was replayed or performed once, never twice: one event per Idempotency-Key, and every answer matches the log', (t) => {
      for (const [reference, { events }] of payments) {
        // AUTHORIZED carries the create's key: the authorization answers the create, it is no second effect of it.
        const keys = events.filter((e: any) => e.idempotencyKey !== null && e.name !== 'AUTHORIZED').map((e: any) => e.idempotencyKey as string);
        assert.equal(new Set(keys).size, keys.length, `${reference}: an Idempotency-Key produced two events: ${JSON.stringify(keys)}`);
        const authorized = events.filter((e: any) => e.name === 'AUTHORIZED');
        assert.ok(authorized.length <= 1, `${reference}: authorized at most once`);
        // Every event was caused by an answered operation (nothing the test does not know of).
        const answeredKeys = new Set(load.answered.filter((a) => a.reference === reference && a.key).map((a) => a.key));
        for (const k of keys) assert.ok(answeredKeys.has(k), `${reference}: event with key ${k} belongs to an answered operation`);
      }
      // A replayed answer is the committed one: its aggregate is the running total at its event.
      for (const a of load.answered) {
        if (a.op === 'create' || a.op === 'approve') continue;
        const { events } = payments.get(a.reference)!;
        const upTo = events.slice(0, events.findIndex((e: any) => e.idempotencyKey === a.key) + 1);
        const sum = (...names: string[]) => upTo.filter((e: any) => names.includes(e.name)).reduce((s: number, e: any) => s + e.amount.value, 0);
        assert.deepEqual(
          [a.response.aggregate.capturedAmount.value, a.response.aggregate.refundedAmount.value, a.response.aggregate.cancelledAmount.value],
          [sum('CAPTURED'), sum('REFUNDED'), sum('CANCELLED', 'TERMINATED')],
          `${a.op} ${a.key}${a.retriedAfterLostAnswer ? ' (retried after a lost answer)' : ''}: the answer is the state right after its own event`,
        );
      }
      // How the retries went: the event is older than the failure (committed before the kill, so the
      // retry was a replay) or newer (the request never took effect, so the retry performed it).
      let replayed = 0;
      let performed = 0;
      for (const a of load.answered) {
        if (!a.retriedAfterLostAnswer) continue;
        const { events } = payments.get(a.reference)!;
        const e = a.key === null ? events.find((x: any) => x.name === 'AUTHORIZED') : events.find((x: any) => x.idempotencyKey === a.key);
        if (Date.parse(e.timestamp) < a.lostAt!) replayed++;
        else performed++;
      }
      t.diagnostic(`${name}: of the operations retried after a lost answer, ${replayed} had committed before the kill (the retry replayed it), ${performed} had not (the retry performed it)`);
    });

    it('every payment keeps captured ≤ authorized − cancelled, refunded ≤ captured, and aggregates equal the sums of successful events', () => {
      for (const [reference, { payment, events }] of payments) {
        const agg = payment.aggregate;
        const [authorized, cancelled, captured, refunded]: [number, number, number, number] = [agg.authorizedAmount.value, agg.cancelledAmount.value, agg.capturedAmount.value, agg.refundedAmount.value];
        const sum = (...names: string[]) => events.filter((e: any) => e.success && names.includes(e.name)).reduce((s: number, e: any) => s + e.amount.value, 0);
        if (payment.state === 'TERMINATED') {
          assert.deepEqual([authorized, captured, refunded, cancelled], [0, 0, 0, payment.amount.value], `${reference}: TERMINATED aggregates`);
        } else {
          assert.ok(captured <= authorized - cancelled, `${reference}: captured ${captured} > authorized ${authorized} − cancelled ${cancelled}`);
        }
        assert.ok(refunded <= captured, `${reference}: refunded ${refunded} > captured ${captured}`);
        assert.equal(authorized, sum('AUTHORIZED'), `${reference}: authorized`);
        assert.equal(cancelled, sum('CANCELLED', 'TERMINATED'), `${reference}: cancelled`);
        assert.equal(captured, sum('CAPTURED'), `${reference}: captured`);
        assert.equal(refunded, sum('REFUNDED'), `${reference}: refunded`);
      }
    });

    it('the outbox owed exactly one delivery per event and delivered every one (at least once) to the receiver', { timeout: 40_000 }, async (t) => {
      // Deliveries claimed by a killed process are free again when their lease ends (timeout + 5 s).
      const deliveries = new Map<string, any[]>();
      let pending = [...payments.keys()];
      const deadline = Date.now() + 20_000;
      while (pending.length > 0) {
        const still: string[] = [];
        for (let i = 0; i < pending.length; i += 16) {
          await Promise.all(
            pending.slice(i, i + 16).map(async (reference) => {
              const res = await api.call('GET', `/vipps-local/v1/webhook-deliveries?reference=${reference}&limit=1000`, { bare: true });
              assert.equal(res.status, 200, res.text);
              deliveries.set(reference, res.body.deliveries);
              if (res.body.deliveries.some((d: any) => d.status !== 'delivered')) still.push(reference);
            }),
          );
        }
        pending = still;
        if (pending.length === 0) break;
        if (Date.now() > deadline) {
          const sample = deliveries.get(pending[0]!)!.filter((d: any) => d.status !== 'delivered');
          assert.fail(`${pending.length} payments still have undelivered webhooks after 20 s, e.g. ${JSON.stringify(sample).slice(0, 800)}`);
        }
        await sleep(300);
      }

      let duplicates = 0;
      for (const [reference, { events }] of payments) {
        const rows = deliveries.get(reference)!;
        for (const e of events) {
          const owed = rows.filter((d: any) => d.payload.pspReference === e.pspReference && d.payload.name === e.name);
          assert.equal(owed.length, 1, `${reference} ${e.name} ${e.pspReference}: exactly one outbox row (got ${owed.length})`);
          assert.equal(owed[0].eventType, `epayments.payment.${e.name.toLowerCase()}.v1`);
          const arrived = receiver!.arrivals.get(eventId(reference, e.pspReference, e.name)) ?? 0;
          assert.ok(arrived >= 1, `${reference} ${e.name} ${e.pspReference}: the receiver got it (delivery row ${JSON.stringify(owed[0]).slice(0, 400)})`);
          duplicates += arrived - 1;
        }
        assert.equal(rows.length, events.length, `${reference}: no outbox row without an event`);
      }
      t.diagnostic(`${name}: ${receiver!.total()} webhook arrivals for ${[...payments.values()].reduce((s, p) => s + p.events.length, 0)} events (${duplicates} repeated after crashes)`);
    });
  });
}
