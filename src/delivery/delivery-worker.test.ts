// The delivery worker's wake-ups, against a stub store whose claims the test answers by hand: a
// wake-up must never be lost, whatever moment it comes at, or a fresh event waits for the next poll.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdjustableClock } from '../platform/clock.ts';
import { NO_FAULTS, type Store, type WebhookDelivery } from '../store/store.ts';
import { sampleDelivery } from '../store/store-contract.ts';
import { eventually, WebhookReceiver } from '../../test-support/webhook-receiver.ts';
import { startDeliveryWorker } from './delivery-worker.ts';

/** A store that records claims and lets the test decide when and with what each one answers. */
function stubStore() {
  const claims: Array<(rows: WebhookDelivery[]) => void> = [];
  const store = {
    claimDueDeliveries: () => new Promise<WebhookDelivery[]>((resolve) => claims.push(resolve)),
    completeAttempt: async () => undefined,
  } as unknown as Store;
  return { store, claims };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('delivery worker wake-ups', () => {
  it('a wake-up that comes while a claim round is finishing starts another round at once', async () => {
    const { store, claims } = stubStore();
    const worker = startDeliveryWorker({ store, clock: new AdjustableClock(), instanceId: 'test', timeoutMs: 1_000, pollIntervalMs: 60_000, serverFaults: () => NO_FAULTS });
    try {
      worker.wake();
      await settle();
      assert.equal(claims.length, 1, 'the first wake-up claims');
      // The claim answers "nothing due"; in the same turn, just after the round has looked at its
      // wake-up flag for the last time, a commit wakes the worker (as runUnitOfWork's listeners do).
      claims[0]!([]);
      queueMicrotask(() => worker.wake());
      await settle();
      assert.equal(claims.length, 2, 'the late wake-up was not lost: a second claim round ran without waiting for the poll');
      claims[1]!([]);
    } finally {
      await worker.stop();
    }
  });

  it('wake-ups during a round are folded into one more round', async () => {
    const { store, claims } = stubStore();
    const worker = startDeliveryWorker({ store, clock: new AdjustableClock(), instanceId: 'test', timeoutMs: 1_000, pollIntervalMs: 60_000, serverFaults: () => NO_FAULTS });
    try {
      worker.wake();
      await settle();
      worker.wake();
      worker.wake();
      worker.wake();
      claims[0]!([]);
      await settle();
      assert.equal(claims.length, 2);
      claims[1]!([]);
      await settle();
      assert.equal(claims.length, 2, 'no round without a reason');
    } finally {
      await worker.stop();
    }
  });
});

describe('delivery worker failures are said, not swallowed', () => {
  it('a claim the store fails is reported with what was being done, and the next wake-up claims again', async () => {
    let calls = 0;
    const store = {
      claimDueDeliveries: async () => {
        calls++;
        if (calls === 1) throw new Error('database is locked');
        return [];
      },
      completeAttempt: async () => undefined,
    } as unknown as Store;
    const reported: string[] = [];
    const worker = startDeliveryWorker({
      store,
      clock: new AdjustableClock(),
      instanceId: 'test',
      timeoutMs: 1_000,
      pollIntervalMs: 60_000,
      serverFaults: () => NO_FAULTS,
      onError: (err, what) => reported.push(`${what}: ${(err as Error).message}`),
    });
    try {
      worker.wake();
      await settle();
      await settle();
      assert.deepEqual(reported, ['claiming due deliveries: database is locked']);
      worker.wake();
      await settle();
      assert.equal(calls, 2);
      assert.equal(reported.length, 1);
    } finally {
      await worker.stop();
    }
  });
});

/**
 * A store whose claims and attempt records wait until the test answers them (`claims`, `completions`),
 * so a test can order the worker's steps as a slow database would. `release()` answers everything held,
 * and everything later at once, so a regression fails instead of hanging.
 */
function heldStore() {
  const claims: Array<(rows: WebhookDelivery[]) => void> = [];
  const completions: Array<() => void> = [];
  let released = false;
  const store = {
    claimDueDeliveries: () => (released ? Promise.resolve([]) : new Promise<WebhookDelivery[]>((resolve) => claims.push(resolve))),
    completeAttempt: () => (released ? Promise.resolve() : new Promise<void>((resolve) => completions.push(resolve))),
  } as unknown as Store;
  const release = () => {
    released = true;
    for (const claim of claims.splice(0)) claim([]);
    for (const complete of completions.splice(0)) complete();
  };
  return { store, claims, completions, release };
}

describe('delivery worker: a retry claimed while the last attempt is still being wound up', () => {
  it('is sent, not left leased: the claim shows the attempt was recorded, so it is a new one', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.answer = () => 500;
    const { store, claims, completions, release } = heldStore();
    const worker = startDeliveryWorker({ store, clock: new AdjustableClock(), instanceId: 'test', timeoutMs: 1_000, pollIntervalMs: 60_000, serverFaults: () => NO_FAULTS });
    const row = (attempts: number): WebhookDelivery => ({ ...sampleDelivery({ url: receiver.url('/hook') }), id: 7, status: 'pending', attempts, deliveredAt: null });
    try {
      worker.wake();
      await settle();
      claims.shift()!([row(0)]);
      await eventually(async () => completions.length === 1, 'the first attempt is being recorded');
      worker.wake();
      await settle();
      // The store answers both at once, as one group commit does: the attempt is recorded, and the
      // next claim (the retry fell due meanwhile) already holds the delivery with one attempt.
      completions.shift()!();
      claims.shift()!([row(1)]);
      await eventually(async () => receiver.arrivals.length === 2, 'the retry is sent');
      assert.equal(receiver.arrivals.length, 2);
      await eventually(async () => completions.length === 1, 'the retry is being recorded');
      completions.shift()!();
    } finally {
      release();
      await worker.stop();
      await receiver.close();
    }
  });
});

describe('delivery worker: the duplicate fault', () => {
  it('sends the duplicate before the delivery is recorded, so the next event of its payment cannot overtake it', async () => {
    const receiver = await WebhookReceiver.start();
    const { store, claims, completions, release } = heldStore();
    const worker = startDeliveryWorker({ store, clock: new AdjustableClock(), instanceId: 'test', timeoutMs: 1_000, pollIntervalMs: 60_000, serverFaults: () => ({ ...NO_FAULTS, duplicate: true }) });
    try {
      worker.wake();
      await settle();
      claims.shift()!([{ ...sampleDelivery({ url: receiver.url('/hook') }), id: 8, status: 'pending', attempts: 0, deliveredAt: null }]);
      await eventually(async () => completions.length === 1, 'the delivery is being recorded');
      assert.equal(receiver.arrivals.length, 2, 'the original and its duplicate were both sent before the delivery was recorded');
      completions.shift()!();
      await eventually(async () => completions.length === 1, 'the duplicate is being recorded');
      completions.shift()!();
    } finally {
      release();
      await worker.stop();
      await receiver.close();
    }
  });
});
