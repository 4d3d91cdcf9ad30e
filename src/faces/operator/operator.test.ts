import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useServer } from '../../../test-support/server.ts';

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('operator API', () => {
  const t = useServer();

  it('health answers ok with the platform time', async () => {
    const res = await fetch(`${t.server.url}/vipps-local/v1/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; time: string };
    assert.equal(body.status, 'ok');
    assert.ok(Math.abs(Date.parse(body.time) - Date.now()) < 60_000);
  });

  it('advancing the clock by 11 minutes expires an unapproved payment at once, with an EXPIRED event', async () => {
    const ref = await t.api.created();
    const before = await fetch(`${t.server.url}/vipps-local/v1/clock`).then((r) => r.json() as Promise<{ offsetSeconds: number }>);
    const res = await post(`${t.server.url}/vipps-local/v1/clock/advance`, { minutes: 11 });
    assert.equal(res.status, 200);
    assert.equal(res.body.offsetSeconds, before.offsetSeconds + 660);
    assert.ok(res.body.settledPayments >= 1);
    t.api.forgetToken();
    assert.equal((await t.api.getPayment(ref)).body.state, 'EXPIRED');
    assert.deepEqual((await t.api.events(ref)).body.map((e: any) => e.name), ['CREATED', 'EXPIRED']);
  });

  it('the clock cannot be moved backwards or by a malformed amount', async () => {
    assert.equal((await post(`${t.server.url}/vipps-local/v1/clock/advance`, { minutes: -1 })).status, 400);
    assert.equal((await post(`${t.server.url}/vipps-local/v1/clock/advance`, { hours: 1 })).status, 400);
  });

  it('an idempotency key still replays after 25 hours (keys are kept at least 24 hours)', async () => {
    t.api.forgetToken();
    const ref = await t.api.authorized({ amount: { currency: 'NOK', value: 1000 } });
    const first = await t.api.capture(ref, 100, 'kept-key');
    assert.equal(first.status, 200);
    await post(`${t.server.url}/vipps-local/v1/clock/advance`, { minutes: 25 * 60 });
    t.api.forgetToken();
    const again = await t.api.capture(ref, 100, 'kept-key');
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await t.api.getPayment(ref)).body.aggregate.capturedAmount.value, 100);
  });

  it('reset forgets every payment', async () => {
    t.api.forgetToken();
    const ref = await t.api.created();
    assert.equal((await post(`${t.server.url}/vipps-local/v1/reset`, {})).status, 200);
    assert.equal((await t.api.getPayment(ref)).status, 404);
  });
});

describe('operator API with the test clock disabled', () => {
  const t = useServer({ testClock: false });

  it('refuses to move the clock with 403', async () => {
    assert.equal((await post(`${t.server.url}/vipps-local/v1/clock/advance`, { minutes: 1 })).status, 403);
  });
});
