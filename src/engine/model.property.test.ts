// Model-based property test: random sequences of create, approve, reject, cancel, capture, refund
// and clock advances are applied both to the real engine (buildPlatform on a real store) and to a
// small reference model written here from the documented rules (PLATFORM-NOTES.md §3.4 and §3.8,
// docs/decisions.md "Payment rules", "Test-environment behaviour" and "Idempotency"). After every
// step the outcome (success, or HTTP status + error code), every payment's state, its four aggregate
// amounts and its event log must agree, and the money invariants must hold.
//
// Reproduce a failure with MODEL_SEED=<seed> (and MODEL_PATH=<path> to replay the shrunk case):
//   MODEL_SEED=123 npm test -- model.property
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { epaymentApi, type EpaymentApi } from '../faces/epayment/epayment-api.ts';
import type { ModificationResponse } from '../faces/epayment/serialize.ts';
import { epaymentCodeOf, epaymentStatusOf } from '../../test-support/domain-errors.ts';
import type { Payment, PaymentEvent, PaymentState } from '../domain/payment.ts';
import { buildPlatform, type Platform } from '../platform/app.ts';
import { applyConfigFile, defaultConfig, DEFAULT_MERCHANT } from '../platform/config.ts';
import { testStoreKind } from '../../test-support/postgres.ts';
import { freshTestDatabase, type TestDatabase } from '../../test-support/test-database.ts';

const MSN = DEFAULT_MERCHANT.msn;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NUM_RUNS = Number(process.env.MODEL_RUNS ?? 100);
const MAX_STEPS = 25;

// ───────────────────────────── the reference model ─────────────────────────────
// An independent, deliberately plain implementation of the documented rules. It knows nothing of
// the engine's code; where the documents leave an order of checks open, the comment says so.

/** Documented magic amounts (PLATFORM-NOTES §3.8, decisions "Test-environment behaviour"). */
const APPROVE_FAILS_10010 = new Set([151, 182, 183, 184, 186, 187, 197]);
const APPROVE_SCA_10030 = 202;
const APPROVE_RESULT_UNKNOWN = 201;
const EXPIRY_MS = 10 * MINUTE;
const RESULT_UNKNOWN_MS = 60 * MINUTE;
const CAPTURE_DAYS = 180;
const CANCEL_DAYS = 180;
const REFUND_DAYS = 365;
const NOK_MINIMUM = 100;

type Failure = { ok: false; status: number; code: string };
type Snapshot = { state: PaymentState; authorized: number; cancelled: number; captured: number; refunded: number };
/** A create answers only which payment it made (CreatePaymentResponse). */
type Created = { reference: string };
type Result = { ok: true; snapshot: Snapshot | Created } | Failure;

interface ModelEvent {
  name: PaymentEvent['name'];
  amount: number;
  key: string | null;
}

interface ModelPayment {
  reference: string;
  amount: number;
  state: PaymentState;
  authorized: number;
  cancelled: number;
  captured: number;
  refunded: number;
  createdAt: number;
  /** When an unapproved payment expires (10 minutes after creation). */
  expiresAt: number;
  /** A 201 approval: the result is known at this time. */
  resultKnownAt: number | null;
  authorizedAt: number | null;
  /** The Idempotency-Key of the create: the AUTHORIZED event carries it. */
  createKey: string;
  /** Test amount 128 failed once on this payment. */
  captureFailedOnce: boolean;
  events: ModelEvent[];
}

const fail = (status: number, code: string): Failure => ({ ok: false, status, code });
const snap = (p: ModelPayment): Snapshot => ({ state: p.state, authorized: p.authorized, cancelled: p.cancelled, captured: p.captured, refunded: p.refunded });

/** Errors that are not remembered with an Idempotency-Key (decisions "Idempotency"). */
const NOT_REMEMBERED = new Set(['5090', '6160', '3010', '6280']);
/** Capture test amounts (README "Test amounts"): 126 always fails (6260), 128 fails once (6280) and then succeeds. */
const CAPTURE_FUNDS_UNAVAILABLE = 126;
const CAPTURE_FAILS_ONCE = 128;
/** The conflict answer per operation when a key is reused with another body (decisions table). */
const CONFLICT: Record<string, Failure> = {
  create: fail(409, '4020'),
  capture: fail(409, '4010'),
  refund: fail(409, '4150'),
  cancel: fail(409, '4020'),
};

class Model {
  /** Time since the start of the run, moved only by advance steps. */
  now = 0;
  readonly payments = new Map<string, ModelPayment>();
  private readonly keys = new Map<string, { request: string; result: Result }>();

  /**
   * At most once per key within its scope: a create key per sales unit, a capture, refund or cancel
   * key per payment (decisions "Idempotency"). Replay the first answer, 409 on another request.
   */
  private idempotent(operation: string, key: string | null, request: unknown, run: () => Result): Result {
    if (key === null) return run();
    const target = operation === 'create' ? '' : (request as { reference: string }).reference;
    const id = `${operation}\u0000${target}\u0000${key}`;
    const body = JSON.stringify(request);
    const previous = this.keys.get(id);
    if (previous) return previous.request === body ? previous.result : CONFLICT[operation]!;
    const result = run();
    if (result.ok || !NOT_REMEMBERED.has(result.code)) this.keys.set(id, { request: body, result });
    return result;
  }

  private record(p: ModelPayment, name: ModelEvent['name'], amount: number, key: string | null): void {
    p.events.push({ name, amount, key });
  }

  create(body: CreateBody, key: string): Result {
    return this.idempotent('create', key, body, () => {
      if (this.payments.has(body.reference)) return fail(409, '4150');
      if (body.amount.value < NOK_MINIMUM) return fail(400, '6010');
      const p: ModelPayment = {
        reference: body.reference,
        amount: body.amount.value,
        state: 'CREATED',
        authorized: 0,
        cancelled: 0,
        captured: 0,
        refunded: 0,
        createdAt: this.now,
        expiresAt: this.now + EXPIRY_MS,
        resultKnownAt: null,
        authorizedAt: null,
        createKey: key,
        captureFailedOnce: false,
        events: [],
      };
      this.payments.set(p.reference, p);
      this.record(p, 'CREATED', p.amount, key);
      return { ok: true, snapshot: { reference: p.reference } };
    });
  }

  approve(reference: string): Result {
    const p = this.payments.get(reference);
    if (!p) return fail(404, '5090');
    if (p.state === 'AUTHORIZED') return fail(400, '6230');
    if (p.state !== 'CREATED' || p.resultKnownAt !== null) return fail(400, '10020');
    if (APPROVE_FAILS_10010.has(p.amount)) return fail(400, '10010');
    if (p.amount === APPROVE_SCA_10030) return fail(400, '10030');
    if (p.amount === APPROVE_RESULT_UNKNOWN) {
      // Accepted, still CREATED; AUTHORIZED one hour later, and it does not expire before that.
      p.resultKnownAt = this.now + RESULT_UNKNOWN_MS;
      return { ok: true, snapshot: snap(p) };
    }
    this.authorize(p);
    return { ok: true, snapshot: snap(p) };
  }

  private authorize(p: ModelPayment): void {
    p.state = 'AUTHORIZED';
    p.authorized = p.amount;
    p.authorizedAt = this.now;
    p.resultKnownAt = null;
    this.record(p, 'AUTHORIZED', p.amount, p.createKey);
  }

  reject(reference: string): Result {
    const p = this.payments.get(reference);
    if (!p) return fail(404, '5090');
    if (p.state !== 'CREATED' || p.resultKnownAt !== null) return fail(400, '10020');
    p.state = 'ABORTED';
    this.record(p, 'ABORTED', p.amount, null);
    return { ok: true, snapshot: snap(p) };
  }

  cancel(reference: string, cancelTransactionOnly: boolean, key: string | null): Result {
    return this.idempotent('cancel', key, { reference, cancelTransactionOnly }, () => {
      const p = this.payments.get(reference);
      if (!p) return fail(404, '5090');
      switch (p.state) {
        case 'CREATED':
          // The user is authorizing (a 201 approval whose result is pending): 6250.
          if (p.resultKnownAt !== null) return fail(400, '6250');
          p.state = 'TERMINATED';
          p.cancelled = p.amount;
          this.record(p, 'TERMINATED', p.amount, key);
          return { ok: true, snapshot: snap(p) };
        case 'TERMINATED':
          return { ok: true, snapshot: snap(p) }; // a repeated cancel is harmless
        case 'AUTHORIZED': {
          if (cancelTransactionOnly) return fail(400, '6060');
          if (this.now - p.authorizedAt! > CANCEL_DAYS * DAY) return fail(400, '6030');
          const remainder = p.authorized - p.captured - p.cancelled;
          if (remainder === 0) return p.cancelled > 0 ? { ok: true, snapshot: snap(p) } : fail(400, '6040');
          p.cancelled += remainder;
          this.record(p, 'CANCELLED', remainder, key);
          return { ok: true, snapshot: snap(p) };
        }
        default:
          return fail(400, '6190'); // ABORTED, EXPIRED
      }
    });
  }

  capture(reference: string, amount: Amount, key: string): Result {
    return this.idempotent('capture', key, { reference, amount }, () => {
      const p = this.payments.get(reference);
      if (!p) return fail(404, '5090');
      if (p.state === 'CREATED') return fail(400, '6080');
      if (p.state === 'TERMINATED') return fail(400, '6070');
      if (p.state !== 'AUTHORIZED') return fail(400, '6200');
      if (amount.currency !== 'NOK' || amount.value <= 0) return fail(400, '4040');
      if (this.now - p.authorizedAt! > CAPTURE_DAYS * DAY) return fail(400, '6100');
      const remaining = p.authorized - p.cancelled - p.captured;
      if (remaining === 0) return fail(400, p.cancelled > 0 ? '6070' : '6170');
      if (amount.value > remaining) return fail(400, '6090');
      if (amount.value === CAPTURE_FUNDS_UNAVAILABLE) return fail(400, '6260');
      if (amount.value === CAPTURE_FAILS_ONCE && !p.captureFailedOnce) {
        p.captureFailedOnce = true;
        return fail(400, '6280');
      }
      p.captureFailedOnce = false;
      p.captured += amount.value;
      this.record(p, 'CAPTURED', amount.value, key);
      return { ok: true, snapshot: snap(p) };
    });
  }

  refund(reference: string, amount: Amount, key: string): Result {
    return this.idempotent('refund', key, { reference, amount }, () => {
      const p = this.payments.get(reference);
      if (!p) return fail(404, '5090');
      if (p.state === 'CREATED') return fail(400, '6020');
      if (p.state !== 'AUTHORIZED') return fail(400, '6210');
      if (amount.currency !== 'NOK' || amount.value <= 0) return fail(400, '4040');
      if (amount.value === 123) return fail(400, '6210');
      if (amount.value === 124) return fail(400, '6220');
      if (amount.value === 125) return fail(400, '5100');
      if (this.now - p.authorizedAt! > REFUND_DAYS * DAY) return fail(400, '6220');
      const refundable = p.captured - p.refunded;
      if (refundable === 0 && p.captured > 0) return fail(400, '6180');
      if (amount.value > refundable) return fail(400, '6150');
      p.refunded += amount.value;
      this.record(p, 'REFUNDED', amount.value, key);
      return { ok: true, snapshot: snap(p) };
    });
  }

  /** Time passes: unapproved payments expire; a pending 201 approval becomes AUTHORIZED. */
  advance(ms: number): void {
    this.now += ms;
    for (const p of this.payments.values()) {
      if (p.state !== 'CREATED') continue;
      if (p.resultKnownAt !== null) {
        if (p.resultKnownAt <= this.now) this.authorize(p);
      } else if (p.expiresAt <= this.now) {
        p.state = 'EXPIRED';
        this.record(p, 'EXPIRED', p.amount, null);
      }
    }
  }
}

// ───────────────────────────── steps ─────────────────────────────

type Amount = { currency: 'NOK' | 'DKK'; value: number };
interface CreateBody {
  amount: { currency: 'NOK'; value: number };
  paymentMethod: { type: 'WALLET' };
  reference: string;
  userFlow: 'WEB_REDIRECT';
  returnUrl: string;
  paymentDescription: string;
}
/** A modification amount: a number, or relative to what the model says is left. */
type AmountChoice = number | 'all' | 'all+1';
/** An Idempotency-Key from a small shared pool (so keys repeat), or a fresh one. */
type KeyChoice = 'key-a' | 'key-b' | 'key-c' | 'fresh';

type Step =
  | { op: 'create'; ref: number; amount: number; description: 0 | 1; key: KeyChoice }
  | { op: 'approve'; ref: number }
  | { op: 'reject'; ref: number }
  | { op: 'cancel'; ref: number; cancelTransactionOnly: boolean; key: KeyChoice | null }
  | { op: 'capture'; ref: number; amount: AmountChoice; currency: 'NOK' | 'DKK'; key: KeyChoice }
  | { op: 'refund'; ref: number; amount: AmountChoice; currency: 'NOK' | 'DKK'; key: KeyChoice }
  | { op: 'advance'; ms: number };

/** References 0–2 may be created; 3 never is (5090). */
const REFS = 4;
const reference = (i: number) => `model-ref-${i}`;

/** Mostly fresh keys, sometimes one of a small pool, so that keys are reused with the same or another body. */
const keyArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant<KeyChoice>('fresh') },
  { weight: 1, arbitrary: fc.constantFrom<KeyChoice>('key-a', 'key-b', 'key-c') },
);
const refArb = fc.oneof({ weight: 12, arbitrary: fc.nat({ max: REFS - 2 }) }, { weight: 1, arbitrary: fc.constant(REFS - 1) });
const createAmountArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(151, 182, 197, 201, 201, 201, 202, 123, 124, 100, 99, 1, 65_000_000) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 100_000 }) },
);
/** Capture amounts: what is left, one more than that (too high), invalid ones, and ordinary ones. */
const captureAmountArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<AmountChoice>('all', 'all+1', 0, 1, 100, 123, 126, 128, 128, 151, 201, 1000, 65_000_001) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 3000 }) },
);
/** Refund amounts: smaller (there is less to refund), with the magic 123, 124 and 125. */
const refundAmountArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<AmountChoice>('all', 'all', 'all+1', 0, 1, 123, 124, 125, 100, 65_000_001) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 500 }) },
);
const currencyArb = fc.oneof({ weight: 9, arbitrary: fc.constant<'NOK'>('NOK') }, { weight: 1, arbitrary: fc.constant<'DKK'>('DKK') });
/**
 * Clock advances in whole minutes that can never sum to exactly 10 minutes or to exactly 180 or 365
 * days within one run (at most 25 steps), so real time passing during a run (milliseconds) cannot
 * tip a deadline: 3a + 11b ≠ 10; 100, 181 and 400 days (+ 1 minute) reach 180 days only by passing
 * it, and come no nearer to 365 days than 362 days and a few hours.
 */
const advanceArb = fc.constantFrom(3 * MINUTE, 11 * MINUTE, 11 * MINUTE, 100 * DAY + MINUTE, 181 * DAY + MINUTE, 400 * DAY + MINUTE);

const createArb = (ref: fc.Arbitrary<number>) =>
  fc.record({ op: fc.constant('create' as const), ref, amount: createAmountArb, description: fc.constantFrom<0 | 1>(0, 0, 0, 1), key: keyArb });

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: createArb(fc.nat({ max: REFS - 2 })) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('approve' as const), ref: refArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reject' as const), ref: refArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('cancel' as const), ref: refArb, cancelTransactionOnly: fc.boolean(), key: fc.option(keyArb, { nil: null }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('capture' as const), ref: refArb, amount: captureAmountArb, currency: currencyArb, key: keyArb }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('refund' as const), ref: refArb, amount: refundAmountArb, currency: currencyArb, key: keyArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: advanceArb }) },
);

/** Usually starts by creating and approving the payments (so that later steps find them), then anything. */
const PREFIX = 4 * (REFS - 1);
const prefixArb = (ref: number): fc.Arbitrary<Step[]> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<Step[]>([]) },
    { weight: 2, arbitrary: createArb(fc.constant(ref)).map((c): Step[] => [c]) },
    { weight: 3, arbitrary: createArb(fc.constant(ref)).map((c): Step[] => [c, { op: 'approve', ref }]) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(createArb(fc.constant(ref)), captureAmountArb, keyArb)
        .map(([c, amount, key]): Step[] => [c, { op: 'approve', ref }, { op: 'capture', ref, amount, currency: 'NOK', key }]),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(createArb(fc.constant(ref)), captureAmountArb, fc.oneof(fc.constant<AmountChoice>('all'), refundAmountArb), keyArb, keyArb)
        .map(([c, captured, refunded, k1, k2]): Step[] => [
          c,
          { op: 'approve', ref },
          { op: 'capture', ref, amount: captured, currency: 'NOK', key: k1 },
          { op: 'refund', ref, amount: refunded, currency: 'NOK', key: k2 },
        ]),
    },
  );
const sequenceArb: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.tuple(...Array.from({ length: REFS - 1 }, (_, ref) => prefixArb(ref))),
    fc.array(stepArb, { minLength: 1, maxLength: MAX_STEPS - PREFIX, size: 'max' }),
  )
  .map(([prefixes, rest]) => [...prefixes.flat(), ...rest]);

// ───────────────────────────── running a step on both ─────────────────────────────

function engineSnapshot(p: Payment): Snapshot {
  return { state: p.state, authorized: p.authorized, cancelled: p.cancelled, captured: p.captured, refunded: p.refunded };
}

/** The same snapshot, from what the ePayment API answers a capture, refund or cancel. */
function responseSnapshot(r: ModificationResponse): Snapshot {
  const a = r.aggregate;
  return { state: r.state, authorized: a.authorizedAmount.value, cancelled: a.cancelledAmount.value, captured: a.capturedAmount.value, refunded: a.refundedAmount.value };
}

async function outcome<T>(run: () => Promise<T>, toSnapshot: (value: T) => Snapshot | Created): Promise<Result> {
  try {
    return { ok: true, snapshot: toSnapshot(await run()) };
  } catch (err) {
    const code = epaymentCodeOf(err);
    if (code !== null) return fail(epaymentStatusOf(err)!, code);
    throw err;
  }
}

const show = (r: Result) => (r.ok ? `ok ${JSON.stringify(r.snapshot)}` : `${r.status}/${r.code}`);

class Run {
  readonly model = new Model();
  readonly trace: string[] = [];
  private fresh = 0;

  private readonly epayment: EpaymentApi;

  constructor(
    private readonly platform: Platform,
    private readonly runNo: number,
  ) {
    this.epayment = epaymentApi(platform.engine);
  }

  private key(choice: KeyChoice): string {
    return choice === 'fresh' ? `fresh-${this.runNo}-${++this.fresh}` : choice;
  }

  /** 'all' is what the model says is left to capture/refund; both sides get the same number. */
  private amount(choice: AmountChoice, ref: string, op: 'capture' | 'refund'): number {
    if (typeof choice === 'number') return choice;
    const p = this.model.payments.get(ref);
    const left = !p ? 1000 : op === 'capture' ? p.authorized - p.cancelled - p.captured : p.captured - p.refunded;
    return choice === 'all' ? left : left + 1;
  }

  async apply(step: Step): Promise<void> {
    const { engine, clock } = this.platform;
    const api = this.epayment;
    const at = (ref: number) => ({ msn: MSN, reference: reference(ref) });
    let expected: Result | null = null;
    let actual: Result | null = null;
    let label: string;
    switch (step.op) {
      case 'create': {
        const body: CreateBody = {
          amount: { currency: 'NOK', value: step.amount },
          paymentMethod: { type: 'WALLET' },
          reference: reference(step.ref),
          userFlow: 'WEB_REDIRECT',
          returnUrl: 'https://example.com/return',
          paymentDescription: step.description === 0 ? 'Model test' : 'Model test, other body',
        };
        const key = this.key(step.key);
        label = `create ${body.reference} ${step.amount} desc=${step.description} key=${key}`;
        expected = this.model.create(body, key);
        actual = await outcome(() => api.create(MSN, body, key), (c) => ({ reference: c.reference }));
        break;
      }
      case 'approve':
        label = `approve ${reference(step.ref)}`;
        expected = this.model.approve(reference(step.ref));
        actual = await outcome(() => api.forceApprove(MSN, reference(step.ref), {}), engineSnapshot);
        break;
      case 'reject':
        label = `reject ${reference(step.ref)}`;
        expected = this.model.reject(reference(step.ref));
        actual = await outcome(() => engine.reject(at(step.ref)), engineSnapshot);
        break;
      case 'cancel': {
        const key = step.key === null ? null : this.key(step.key);
        label = `cancel ${reference(step.ref)} cancelTransactionOnly=${step.cancelTransactionOnly} key=${key}`;
        expected = this.model.cancel(reference(step.ref), step.cancelTransactionOnly, key);
        actual = await outcome(() => api.cancel(MSN, reference(step.ref), { cancelTransactionOnly: step.cancelTransactionOnly }, key), responseSnapshot);
        break;
      }
      case 'capture':
      case 'refund': {
        const ref = reference(step.ref);
        const amount: Amount = { currency: step.currency, value: this.amount(step.amount, ref, step.op) };
        const key = this.key(step.key);
        label = `${step.op} ${ref} ${amount.value} ${amount.currency} key=${key}`;
        if (step.op === 'capture') {
          expected = this.model.capture(ref, amount, key);
          actual = await outcome(() => api.capture(MSN, ref, amount, key), responseSnapshot);
        } else {
          expected = this.model.refund(ref, amount, key);
          actual = await outcome(() => api.refund(MSN, ref, amount, key), responseSnapshot);
        }
        break;
      }
      case 'advance': {
        label = `advance ${step.ms >= DAY ? `${Math.floor(step.ms / DAY)} days + ${(step.ms % DAY) / MINUTE} min` : `${step.ms / MINUTE} min`}`;
        this.model.advance(step.ms);
        clock.advance(step.ms);
        await engine.settleDuePayments();
        break;
      }
    }
    this.trace.push(`${label!}: model ${expected ? show(expected) : '-'} | engine ${actual ? show(actual) : '-'}`);
    const tallyKey = `${step.op} ${expected === null ? '' : expected.ok ? 'ok' : expected.code}`;
    tally.set(tallyKey, (tally.get(tallyKey) ?? 0) + 1);
    if (expected && actual) assert.deepEqual(actual, expected, this.failure(`outcome of "${label!}" differs`));
    await this.compareAll();
  }

  /** Every payment: state, aggregates and event log agree with the model; the invariants hold. */
  async compareAll(): Promise<void> {
    const api = this.epayment;
    for (let i = 0; i < REFS; i++) {
      const ref = reference(i);
      const m = this.model.payments.get(ref);
      let p: Payment | null = null;
      try {
        p = await api.get(MSN, ref);
      } catch (err) {
        if (epaymentCodeOf(err) !== '5090') throw err;
      }
      if (!m) {
        assert.equal(p, null, this.failure(`${ref} exists in the engine but not in the model`));
        continue;
      }
      assert.ok(p, this.failure(`${ref} exists in the model but not in the engine`));
      assert.deepEqual(engineSnapshot(p), snap(m), this.failure(`${ref}: state or aggregates differ`));
      assert.equal(p.amount, m.amount, this.failure(`${ref}: amount differs`));

      const events = await api.events(MSN, ref);
      assert.deepEqual(
        events.map((e) => ({ name: e.name, amount: e.amount, key: e.idempotencyKey })),
        m.events,
        this.failure(`${ref}: event log differs`),
      );
      assert.ok(events.every((e) => e.success), this.failure(`${ref}: every logged event is successful`));

      // The invariants, from the engine's own data.
      if (p.state === 'TERMINATED') {
        // Cancelled before authorization: nothing authorized, cancelledAmount = amount (§3.4).
        assert.deepEqual([p.authorized, p.captured, p.refunded, p.cancelled], [0, 0, 0, p.amount], this.failure(`${ref}: TERMINATED aggregates`));
      } else {
        assert.ok(p.captured <= p.authorized - p.cancelled, this.failure(`${ref}: captured ${p.captured} > authorized ${p.authorized} − cancelled ${p.cancelled}`));
      }
      assert.ok(p.refunded <= p.captured, this.failure(`${ref}: refunded ${p.refunded} > captured ${p.captured}`));
      const sum = (...names: string[]) => events.filter((e) => names.includes(e.name)).reduce((s, e) => s + e.amount, 0);
      assert.equal(p.authorized, sum('AUTHORIZED'), this.failure(`${ref}: authorized ≠ sum of AUTHORIZED events`));
      assert.equal(p.cancelled, sum('CANCELLED', 'TERMINATED'), this.failure(`${ref}: cancelled ≠ sum of CANCELLED/TERMINATED events`));
      assert.equal(p.captured, sum('CAPTURED'), this.failure(`${ref}: captured ≠ sum of CAPTURED events`));
      assert.equal(p.refunded, sum('REFUNDED'), this.failure(`${ref}: refunded ≠ sum of REFUNDED events`));
      const keyed = events.filter((e) => e.idempotencyKey !== null && e.name !== 'CREATED').map((e) => `${e.name}/${e.idempotencyKey}`);
      assert.equal(new Set(keyed).size, keyed.length, this.failure(`${ref}: one Idempotency-Key produced two events`));
    }
  }

  private failure(what: string): string {
    return `${what}\nsteps so far:\n  ${this.trace.join('\n  ')}`;
  }
}

// ───────────────────────────── stores ─────────────────────────────

/**
 * The store under test: SQLite, or PostgreSQL in npm test's PostgreSQL pass
 * (VIPPS_LOCAL_TEST_STORE=postgres). test-support/test-database.ts makes a fresh database of either.
 */
const STORES = [testStoreKind()];

let runCounter = 0;
/** How often each (operation, outcome) was exercised: printed as a diagnostic, to see the coverage. */
const tally = new Map<string, number>();

for (const kind of STORES) {
  const name = kind === 'postgres' ? 'PostgreSQL' : 'SQLite';
  describe(`engine against the reference model on ${name}`, () => {
    let platform: Platform;
    let db: TestDatabase;

    before(async () => {
      db = await freshTestDatabase(kind);
      platform = await buildPlatform({ ...applyConfigFile(defaultConfig(), { database: db.database }), logLevel: 'silent' });
    });
    after(async () => {
      await platform?.close();
      await db?.remove();
    });

    it(`${NUM_RUNS} random sequences of up to ${MAX_STEPS} operations agree with the model after every step`, async (t) => {
      tally.clear();
      const seed = process.env.MODEL_SEED !== undefined ? Number(process.env.MODEL_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
      const path = process.env.MODEL_PATH;
      const property = fc.asyncProperty(sequenceArb, async (steps) => {
        await platform.reset();
        const run = new Run(platform, ++runCounter);
        for (const step of steps) await run.apply(step);
      });
      try {
        await fc.assert(property, { numRuns: NUM_RUNS, seed, ...(path ? { path } : {}), endOnFailure: false, includeErrorInReport: true });
      } catch (err) {
        (err as Error).message = `MODEL_SEED=${seed} (${name})\n${(err as Error).message}`;
        throw err;
      }
      t.diagnostic(`seed ${seed}; outcomes: ${[...tally].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(', ')}`);
    });
  });
}
