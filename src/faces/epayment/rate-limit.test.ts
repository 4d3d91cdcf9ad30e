// The opt-in test-environment rate limits (config `rateLimits: "test-environment"`): the documented
// ePayment limits, answered as Azure API Management answers them, counted on the platform clock.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ApiResponse } from '../../../test-support/api-client.ts';
import { useServer } from '../../../test-support/server.ts';
import { WindowCounters } from './rate-limit.ts';

/** A 429 in APIM's shape, with a Retry-After of 1..60 seconds that the message repeats; returns it. */
function assertRateLimited(res: ApiResponse): number {
  assert.equal(res.status, 429, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers.get('retry-after')}`);
  assert.deepEqual(res.body, { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` });
  return retryAfter;
}

describe('rateLimits: "test-environment"', () => {
  const t = useServer({ rateLimits: 'test-environment' });

  it('5 captures of one payment pass, the 6th is 429 and changes nothing; another reference and refunds are unaffected', async () => {
    const { api } = t;
    const reference = await api.authorized({ amount: { currency: 'NOK', value: 10_000 } });
    const other = await api.authorized({ amount: { currency: 'NOK', value: 10_000 } });
    for (let i = 1; i <= 5; i++) assert.equal((await api.capture(reference, 100)).status, 200, `capture ${i}`);

    const refusedKey = randomUUID();
    assertRateLimited(await api.capture(reference, 100, refusedKey));
    assert.equal((await api.getPayment(reference)).body.aggregate.capturedAmount.value, 500, 'the refused capture captured nothing');

    assert.equal((await api.capture(other, 100)).status, 200, 'another reference has its own counter');
    assert.equal((await api.refund(reference, 100)).status, 200, 'refund has its own counter');

    // A minute later on the test clock the window has renewed; the refused call's key was never
    // remembered, so retrying it with the same key captures.
    await t.server.advanceClock(60_000);
    const retried = await api.capture(reference, 100, refusedKey);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.body.aggregate.capturedAmount.value, 600);
  });

  it('calls the API refuses count too; Retry-After counts down to the end of the window begun by the first call', async () => {
    const { api } = t;
    const reference = await api.authorized({ amount: { currency: 'NOK', value: 10_000 } });
    // Nothing is captured, so each refund is refused (6150), and still counted, as the gateway counts.
    for (let i = 1; i <= 5; i++) assert.equal((await api.refund(reference, 1)).status, 400, `refund ${i}`);
    assert.ok(assertRateLimited(await api.refund(reference, 1)) >= 59);
    await t.server.advanceClock(45_000);
    const later = assertRateLimited(await api.refund(reference, 1));
    assert.ok(later >= 14 && later <= 15, `Retry-After ${later} after 45 s`);
    await t.server.advanceClock(15_000);
    assert.notEqual((await api.refund(reference, 1)).status, 429);
  });

  it('create is counted on the body reference + MSN, replays included', async () => {
    const { api } = t;
    const reference = `rate-${randomUUID()}`;
    const key = randomUUID();
    for (let i = 1; i <= 5; i++) assert.equal((await api.createPayment({ reference }, key)).status, 201, `create ${i} (a replay after the first)`);
    assertRateLimited(await api.createPayment({ reference }, key));
    assert.equal((await api.createPayment()).status, 201, 'another reference is unaffected');
  });

  it('cancel has its own counter of 5', async () => {
    const { api } = t;
    const reference = await api.authorized();
    for (let i = 1; i <= 5; i++) assert.equal((await api.cancel(reference)).status, 200, `cancel ${i}`);
    assertRateLimited(await api.cancel(reference));
  });

  it('GetPayment: 120 a minute pass, the 121st is 429; the event log counts separately', async () => {
    const { api } = t;
    const reference = await api.created();
    for (let i = 1; i <= 120; i++) {
      const res = await api.getPayment(reference);
      assert.equal(res.status, 200, `get ${i}: ${res.text}`);
    }
    assertRateLimited(await api.getPayment(reference));
    assert.equal((await api.events(reference)).status, 200, 'the event log has its own counter');
    await t.server.advanceClock(60_000);
    assert.equal((await api.getPayment(reference)).status, 200, 'a minute later');
  });

  it('the event log: 120 a minute pass, the 121st is 429', async () => {
    const { api } = t;
    const reference = await api.created();
    for (let i = 1; i <= 120; i++) assert.equal((await api.events(reference)).status, 200, `events ${i}`);
    assertRateLimited(await api.events(reference));
  });
});

describe('rate limits are off by default', () => {
  const t = useServer();

  it('7 captures and 125 gets of one payment all pass', async () => {
    const { api } = t;
    const reference = await api.authorized({ amount: { currency: 'NOK', value: 10_000 } });
    for (let i = 1; i <= 7; i++) assert.equal((await api.capture(reference, 100)).status, 200, `capture ${i}`);
    for (let i = 1; i <= 125; i++) assert.equal((await api.getPayment(reference)).status, 200, `get ${i}`);
  });
});

describe('WindowCounters', () => {
  const fakeClock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };

  it('expires the counters of past windows, so memory stays bounded', () => {
    const clock = fakeClock();
    const counters = new WindowCounters(clock, 60_000);
    for (let i = 0; i < 1000; i++) counters.hit(`key-${i}`, 5);
    assert.equal(counters.size, 1000);
    clock.advance(60_000);
    counters.hit('fresh', 5);
    assert.equal(counters.size, 1, 'the thousand expired counters were swept');
  });

  it('never holds more than its cap', () => {
    const clock = fakeClock();
    const counters = new WindowCounters(clock, 60_000, 100);
    for (let i = 0; i < 1000; i++) counters.hit(`key-${i}`, 5);
    assert.ok(counters.size <= 100, `size ${counters.size}`);
  });

  it('a clock that runs backwards starts a new window', () => {
    let now = 1_000_000;
    const counters = new WindowCounters({ now: () => now }, 60_000);
    for (let i = 0; i < 5; i++) assert.equal(counters.hit('k', 5), 0);
    assert.equal(counters.hit('k', 5), 60);
    now -= 1000;
    assert.equal(counters.hit('k', 5), 0);
  });
});
