// The request log's batch writer against stub sinks: nothing is lost at close, batches come by
// size and by time, memory stays bounded when the sink is slow (the oldest go, counted), and a
// failing sink costs its batch only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBatchWriter, type BatchWriterOptions } from './batch-writer.ts';

/** A sink that records batches; `hold()` makes writes wait until `release()`. */
function recordingSink() {
  const batches: number[][] = [];
  let started = 0;
  let gate: { promise: Promise<void>; open(): void } | null = null;
  return {
    batches,
    /** Writes begun (a held one included). */
    get started() {
      return started;
    },
    get items() {
      return batches.flat();
    },
    hold() {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
    },
    release() {
      gate?.open();
      gate = null;
    },
    async write(items: number[]) {
      started++;
      if (gate) await gate.promise;
      batches.push(items);
    },
  };
}

const quiet: Pick<BatchWriterOptions<number>, 'onError'> = { onError: () => undefined };

describe('request log batch writer', () => {
  it('loses nothing at close: every pushed item is written, in order, and pushes after close are counted as dropped', async () => {
    const sink = recordingSink();
    const writer = createBatchWriter<number>({ ...quiet, write: (items) => sink.write(items), batchSize: 7, maxBatch: 10, intervalMs: 60_000 });
    for (let i = 0; i < 1234; i++) writer.push(i);
    await writer.close();
    assert.deepEqual(sink.items, Array.from({ length: 1234 }, (_, i) => i));
    assert.ok(sink.batches.every((b) => b.length <= 10), 'no batch above maxBatch');
    assert.equal(writer.dropped, 0);
    writer.push(5000);
    assert.equal(writer.dropped, 1);
    assert.equal(writer.pending, 0);
  });

  it('writes a batch once batchSize items wait, without waiting for the interval, and the rest on the interval', async () => {
    const sink = recordingSink();
    const writer = createBatchWriter<number>({ ...quiet, write: (items) => sink.write(items), batchSize: 5, intervalMs: 50 });
    for (let i = 0; i < 5; i++) writer.push(i);
    assert.deepEqual(sink.batches, [], 'push never writes inside the caller');
    // The writer's setImmediate was queued first: after this one, the full batch is written. (Not a
    // short sleep: on a busy machine a 5 ms timer can fire after the 50 ms interval.)
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    assert.deepEqual(sink.batches, [[0, 1, 2, 3, 4]]);
    writer.push(5);
    await tick();
    assert.equal(sink.batches.length, 1, 'one item waits for the interval');
    await sleep(80);
    assert.deepEqual(sink.batches, [[0, 1, 2, 3, 4], [5]]);
    await writer.close();
  });

  it('holds at most `capacity` items while the sink is slow: the oldest are dropped and counted, the newest written', async () => {
    const sink = recordingSink();
    const drops: number[] = [];
    const writer = createBatchWriter<number>({
      ...quiet,
      write: (items) => sink.write(items),
      onDrop: (n) => drops.push(n),
      capacity: 100,
      batchSize: 10,
      maxBatch: 10,
      intervalMs: 10,
    });
    sink.hold();
    writer.push(-1);
    while (sink.started === 0) await sleep(5); // the first batch ([-1]) is now stuck in the sink
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) writer.push(i);
    assert.ok(performance.now() - started < 200, 'pushing stays cheap while the sink is stuck');
    assert.equal(writer.pending, 100, 'memory is bounded');
    assert.equal(writer.dropped, 10_000 - 100);
    assert.deepEqual(drops, [1], 'the drop is reported once, not per item');
    sink.release();
    await writer.flush();
    assert.deepEqual(sink.items, [-1, ...Array.from({ length: 100 }, (_, i) => 9_900 + i)], 'the newest 100 are written, in order');
    assert.equal(writer.pending, 0);
    await writer.close();
  });

  it('a batch the sink refuses is counted as dropped; the writer goes on', async () => {
    let fail = true;
    const written: number[] = [];
    const errors: number[] = [];
    const writer = createBatchWriter<number>({
      write: async (items) => {
        if (fail) throw new Error('disk full');
        written.push(...items);
      },
      onError: (_err, n) => errors.push(n),
      batchSize: 3,
      intervalMs: 60_000,
    });
    for (let i = 0; i < 3; i++) writer.push(i);
    await writer.flush();
    assert.deepEqual(errors, [3]);
    assert.equal(writer.dropped, 3);
    fail = false;
    writer.push(3);
    await writer.close();
    assert.deepEqual(written, [3]);
  });

  it('discard forgets what waits and waits for the batch in progress', async () => {
    const sink = recordingSink();
    const writer = createBatchWriter<number>({ ...quiet, write: (items) => sink.write(items), batchSize: 2, maxBatch: 2, intervalMs: 60_000 });
    sink.hold();
    for (let i = 0; i < 6; i++) writer.push(i);
    // The writer's setImmediate was queued first, so the first batch is in progress after this one
    // (a timer could fire before it on a busy loop).
    await new Promise((resolve) => setImmediate(resolve));
    let discarded = false;
    const discarding = writer.discard().then(() => (discarded = true));
    await sleep(5);
    assert.equal(discarded, false, 'the batch in progress is waited for');
    sink.release();
    await discarding;
    await writer.close();
    assert.deepEqual(sink.items, [0, 1]);
  });
});
