// The scenarios every face must pass, whatever its wire format (the pattern of Hono's shared router
// cases): one catalogue, run through a driver per face (drivers/). A driver that cannot run one says
// so, with its reason, in its `skips`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isRefused, type FaceDriver, type NeutralPayment, type ScenarioName } from './driver.ts';

export interface Scenario {
  name: ScenarioName;
  title: string;
  run(driver: FaceDriver): Promise<void>;
}

function ok<T>(answer: T | { refused: true; status: number; code: string }, what: string): T {
  assert.ok(!isRefused(answer), `${what} was refused: ${JSON.stringify(answer)}`);
  return answer as T;
}

const money = (p: NeutralPayment) => ({ state: p.state, authorized: p.authorized, captured: p.captured, refunded: p.refunded, cancelled: p.cancelled });

async function authorized(driver: FaceDriver, amount: number): Promise<string> {
  const payment = ok(await driver.create(amount), 'create');
  ok(await driver.approve(payment), 'approve');
  return payment;
}

async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'lifecycle',
    title: 'create → approve → partial capture → refund → cancel leaves exactly what the operations add up to',
    async run(driver) {
      const payment = await authorized(driver, 1000);
      assert.deepEqual(money(await driver.read(payment)), { state: 'AUTHORIZED', authorized: 1000, captured: 0, refunded: 0, cancelled: 0 });
      assert.deepEqual(money(ok(await driver.capture(payment, 300, randomUUID()), 'capture')), { state: 'AUTHORIZED', authorized: 1000, captured: 300, refunded: 0, cancelled: 0 });
      assert.deepEqual(money(ok(await driver.refund(payment, 100, randomUUID()), 'refund')), { state: 'AUTHORIZED', authorized: 1000, captured: 300, refunded: 100, cancelled: 0 });
      assert.deepEqual(money(ok(await driver.cancel(payment), 'cancel')), { state: 'AUTHORIZED', authorized: 1000, captured: 300, refunded: 100, cancelled: 700 });
      const refused = await driver.capture(payment, 1, randomUUID());
      assert.ok(isRefused(refused), 'nothing is left to capture');
      assert.deepEqual(money(await driver.read(payment)), { state: 'AUTHORIZED', authorized: 1000, captured: 300, refunded: 100, cancelled: 700 });
    },
  },
  {
    name: 'expiry',
    title: 'a payment nobody approves expires when its time is up, and can then be neither approved nor captured',
    async run(driver) {
      const payment = ok(await driver.create(1000), 'create');
      await driver.advanceClock(11 * 60 * 1000);
      assert.equal((await driver.read(payment)).state, 'EXPIRED');
      assert.ok(isRefused(await driver.approve(payment)), 'an expired payment cannot be approved');
      assert.ok(isRefused(await driver.capture(payment, 100, randomUUID())), 'an expired payment cannot be captured');
    },
  },
  {
    name: 'idempotent-replay',
    title: 'a request repeated with its key is answered the same and has one effect',
    async run(driver) {
      const createKey = randomUUID();
      const first = ok(await driver.create(1000, createKey), 'create');
      const again = ok(await driver.create(1000, createKey), 'create, repeated');
      assert.equal(again, first, 'the repeated create names the same payment');
      ok(await driver.approve(first), 'approve');
      const key = randomUUID();
      const captured = ok(await driver.capture(first, 400, key), 'capture');
      const replayed = ok(await driver.capture(first, 400, key), 'capture, repeated');
      assert.deepEqual(money(replayed), money(captured));
      assert.equal((await driver.read(first)).captured, 400, 'captured once');
    },
  },
  {
    name: 'concurrent-captures',
    title: 'captures racing on one payment never capture more than was authorized',
    async run(driver) {
      const payment = await authorized(driver, 1000);
      const answers = await Promise.all(Array.from({ length: 10 }, () => driver.capture(payment, 300, randomUUID())));
      const accepted = answers.filter((a) => !isRefused(a)).length;
      assert.equal(accepted, 3, `three captures of 300 fit in 1000: ${JSON.stringify(answers.filter(isRefused))}`);
      for (const a of answers) if (isRefused(a)) assert.ok(a.status < 500, `a refusal, not a failure: ${JSON.stringify(a)}`);
      assert.equal((await driver.read(payment)).captured, 900);
    },
  },
  {
    name: 'events-delivered-once',
    title: 'every event of a payment reaches the registered receiver once, in the face\'s format and signed',
    async run(driver) {
      const received = await driver.receiveEvents();
      const payment = await authorized(driver, 1000);
      ok(await driver.capture(payment, 250, randomUUID()), 'capture');
      ok(await driver.cancel(payment), 'cancel');
      const expected = [
        ['CREATED', 1000],
        ['AUTHORIZED', 1000],
        ['CAPTURED', 250],
        ['CANCELLED', 750],
      ];
      await eventually(() => received().filter((e) => e.payment === payment).length >= expected.length, 'the payment\'s events');
      await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would arrive by now
      const mine = received().filter((e) => e.payment === payment);
      assert.deepEqual(mine.map((e) => [e.name, e.amount]), expected, 'each event once, in order');
      assert.ok(mine.every((e) => e.signed), 'every delivery is signed in the face\'s scheme');
    },
  },
];
