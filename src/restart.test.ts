// Durability: everything a merchant can observe survives a restart on the same database (a SQLite
// file, or a PostgreSQL database in npm test's PostgreSQL pass) — payments, event logs, idempotency
// records and the access-token signing secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type VippsLocal } from './index.ts';
import { Api, errorCode, paymentRequest, type ApiResponse } from '../test-support/api-client.ts';
import { freshTestDatabase, type TestDatabase } from '../test-support/test-database.ts';

/** An API client that always sends one given access token instead of fetching its own. */
class FixedTokenApi extends Api {
  constructor(
    baseUrl: string,
    credentials: Api['credentials'],
    private readonly fixedToken: string,
  ) {
    super(baseUrl, credentials);
  }
  override async token(): Promise<string> {
    return this.fixedToken;
  }
}

/**
 * Waits until this process's HTTP client has no pooled keep-alive connection left to `url`. The
 * stopped server closed them, but fetch may not have noticed yet, and would send the next request
 * (to the new server on the same port) down a dead socket. A request on a stale socket fails with
 * "other side closed" and evicts it; a fresh one is refused.
 */
async function dropStaleConnections(url: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      await fetch(`${url}/`);
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return;
    }
  }
  throw new Error(`the stopped server at ${url} still answers`);
}

interface Snapshot {
  payment: ApiResponse;
  events: ApiResponse;
}

describe('restart on the same database', () => {
  let db: TestDatabase | undefined;
  let otherDb: TestDatabase | undefined;
  let database: string;
  let first: VippsLocal | undefined;
  let second: VippsLocal | undefined;
  let other: VippsLocal | undefined;
  let firstToken: string;
  let api2: Api;

  const refs = {} as Record<'created' | 'settled' | 'terminated' | 'authorizedCancelled', string>;
  const before1 = new Map<string, Snapshot>();
  const createKey = 'restart-create-key-1';
  const captureKey = 'restart-capture-key-1';
  const createBody = paymentRequest({ amount: { currency: 'NOK', value: 1000 } });
  let createResponse: ApiResponse;
  let captureResponse: ApiResponse;

  before(async () => {
    db = await freshTestDatabase();
    database = db.database;
    first = await startServer({ database });
    const api1 = new Api(first.url, first.credentials);
    firstToken = await api1.token();

    createResponse = await api1.call('POST', '/epayment/v1/payments', { body: createBody, idempotencyKey: createKey });
    assert.equal(createResponse.status, 201, createResponse.text);
    refs.created = createResponse.body.reference;

    refs.settled = await api1.authorized({ amount: { currency: 'NOK', value: 2000 } });
    captureResponse = await api1.capture(refs.settled, 1500, captureKey);
    assert.equal(captureResponse.status, 200, captureResponse.text);
    assert.equal((await api1.refund(refs.settled, 400, 'restart-refund-key-1')).status, 200);

    refs.terminated = await api1.created({ amount: { currency: 'NOK', value: 3000 } });
    assert.equal((await api1.cancel(refs.terminated)).status, 200);

    refs.authorizedCancelled = await api1.authorized({ amount: { currency: 'NOK', value: 4000 } });
    assert.equal((await api1.capture(refs.authorizedCancelled, 1000)).status, 200);
    assert.equal((await api1.cancel(refs.authorizedCancelled)).status, 200);

    for (const ref of Object.values(refs)) {
      before1.set(ref, { payment: await api1.getPayment(ref), events: await api1.events(ref) });
    }
    const { port, url } = first;
    await first.close();
    first = undefined;
    await dropStaleConnections(url);

    // Same database, same port (so the URLs handed out are the same), new process state.
    second = await startServer({ database, port });
    api2 = new FixedTokenApi(second.url, second.credentials, firstToken);
  });

  after(async () => {
    await first?.close();
    await second?.close();
    await other?.close();
    await db?.remove();
    await otherDb?.remove();
  });

  it('the payments were in the intended states before the restart', () => {
    const state = (ref: string) => before1.get(ref)!.payment.body.state;
    assert.equal(state(refs.created), 'CREATED');
    assert.equal(state(refs.settled), 'AUTHORIZED');
    assert.equal(state(refs.terminated), 'TERMINATED');
    assert.equal(state(refs.authorizedCancelled), 'AUTHORIZED');
    assert.equal(before1.get(refs.authorizedCancelled)!.payment.body.aggregate.cancelledAmount.value, 3000);
  });

  it('an access token issued by the first server is accepted by the second (the signing secret is in the database)', async () => {
    const res = await api2.getPayment(refs.created);
    assert.equal(res.status, 200, res.text);
  });

  it('GetPayment returns identical bodies after the restart, for created, captured+refunded, terminated and cancelled payments', async () => {
    for (const [ref, snap] of before1) {
      const res = await api2.getPayment(ref);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, snap.payment.body, ref);
    }
  });

  it('event logs are identical after the restart', async () => {
    for (const [ref, snap] of before1) {
      const res = await api2.events(ref);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, snap.events.body, ref);
    }
  });

  it('replaying a capture with the same Idempotency-Key and body after the restart returns the same 200 body and adds no event', async () => {
    const res = await api2.capture(refs.settled, 1500, captureKey);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, captureResponse.body);
    const events = await api2.events(refs.settled);
    assert.deepEqual(events.body, before1.get(refs.settled)!.events.body);
    const payment = await api2.getPayment(refs.settled);
    assert.equal(payment.body.aggregate.capturedAmount.value, 1500);
  });

  it('reusing the capture Idempotency-Key with a different body after the restart answers 409', async () => {
    const res = await api2.capture(refs.settled, 100, captureKey);
    assert.equal(res.status, 409, res.text);
    assert.equal(errorCode(res), '4010');
    const events = await api2.events(refs.settled);
    assert.deepEqual(events.body, before1.get(refs.settled)!.events.body);
  });

  it('replaying the create with the same Idempotency-Key after the restart answers 201 with the same body and no new payment', async () => {
    const res = await api2.call('POST', '/epayment/v1/payments', { body: createBody, idempotencyKey: createKey });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body, createResponse.body);
    const events = await api2.events(refs.created);
    assert.deepEqual(events.body, before1.get(refs.created)!.events.body);
  });

  it('the second server keeps working: the created payment can be approved and captured', async () => {
    assert.equal((await api2.approve(refs.created)).status, 200);
    const capture = await api2.capture(refs.created, 1000);
    assert.equal(capture.status, 200, capture.text);
    assert.equal(capture.body.aggregate.capturedAmount.value, 1000);
  });

  it('a server on a different database rejects the first server’s token with 401', async () => {
    otherDb = await freshTestDatabase();
    other = await startServer({ database: otherDb.database });
    const api3 = new FixedTokenApi(other.url, other.credentials, firstToken);
    const res = await api3.getPayment(refs.created);
    assert.equal(res.status, 401, res.text);
    assert.match(res.body.message, /token/);
    // …while its own tokens work.
    const own = await new Api(other.url, other.credentials).getPayment(refs.created);
    assert.equal(own.status, 404, own.text);
  });
});
