// Writes items behind the requests that made them: items are collected in memory and handed to a
// sink in batches, every `intervalMs` or as soon as `batchSize` are waiting, one batch at a time.
// Memory is bounded: at most `capacity` items wait; when the sink cannot keep up, the oldest waiting
// item is dropped for each new one, and counted. A batch the sink refuses is dropped and counted too
// (the sink is a database: retrying a failing write in a loop would only hold memory longer).

export interface BatchWriterOptions<T> {
  /** Writes one batch; resolves once it is stored. */
  write(items: T[]): Promise<void>;
  /** Reports a batch the sink refused (its items are counted as dropped). */
  onError(err: unknown, items: number): void;
  /** Reports the first item dropped for lack of room, then at most once per `warnEveryMs`. */
  onDrop?(droppedSoFar: number): void;
  /** Most items waiting at once (default 10,000). */
  capacity?: number;
  /** A batch starts once this many wait (default 500). */
  batchSize?: number;
  /** Most items in one batch (default 1,000): a sink that fell behind catches up in a few batches. */
  maxBatch?: number;
  /** A batch starts at least this often while items wait (default 200 ms). */
  intervalMs?: number;
  warnEveryMs?: number;
}

export interface BatchWriter<T> {
  /** Queues an item; never waits and never throws. */
  push(item: T): void;
  /** Writes everything pushed so far (and waits for the batch in progress). */
  flush(): Promise<void>;
  /** Forgets what waits and waits for the batch in progress (reset). */
  discard(): Promise<void>;
  /** Writes what waits, then accepts nothing more. */
  close(): Promise<void>;
  /** Items dropped since start: for lack of room, refused by the sink, or pushed after close. */
  readonly dropped: number;
  /** Items waiting now. */
  readonly pending: number;
}

export function createBatchWriter<T>(options: BatchWriterOptions<T>): BatchWriter<T> {
  const capacity = options.capacity ?? 10_000;
  const batchSize = options.batchSize ?? 500;
  const maxBatch = options.maxBatch ?? 1_000;
  const intervalMs = options.intervalMs ?? 200;
  const warnEveryMs = options.warnEveryMs ?? 60_000;

  // A ring buffer: pushing and dropping the oldest are O(1) whatever the backlog.
  const ring: (T | undefined)[] = new Array(capacity);
  let head = 0;
  let size = 0;
  let dropped = 0;
  let lastWarn = -Infinity;
  let writing: Promise<void> | null = null;
  let soon = false;
  let closed = false;

  const take = (n: number): T[] => {
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = ring[head] as T;
      ring[head] = undefined;
      head = head + 1 === capacity ? 0 : head + 1;
    }
    size -= n;
    return out;
  };

  const drop = (n: number) => {
    dropped += n;
    const now = Date.now();
    if (options.onDrop && now - lastWarn >= warnEveryMs) {
      lastWarn = now;
      options.onDrop(dropped);
    }
  };

  /** Starts one batch unless one is running; when it ends, starts the next if enough wait. */
  const start = (): Promise<void> => {
    if (writing) return writing;
    if (size === 0) return Promise.resolve();
    const items = take(Math.min(size, maxBatch));
    writing = options
      .write(items)
      .catch((err: unknown) => {
        dropped += items.length;
        options.onError(err, items.length);
      })
      .finally(() => {
        writing = null;
        if (size >= batchSize && !closed) void start();
      });
    return writing;
  };

  const timer = setInterval(() => void start(), intervalMs);
  timer.unref();

  return {
    push(item) {
      if (closed) {
        dropped++;
        return;
      }
      if (size === capacity) {
        // Full: the oldest waiting item makes room.
        ring[head] = undefined;
        head = head + 1 === capacity ? 0 : head + 1;
        size--;
        drop(1);
      }
      ring[(head + size) % capacity] = item;
      size++;
      if (size >= batchSize && !writing && !soon) {
        // Not inside the request that pushed it: on a later turn of the event loop.
        soon = true;
        setImmediate(() => {
          soon = false;
          void start();
        });
      }
    },
    async flush() {
      while (writing || size > 0) await start();
    },
    async discard() {
      take(size);
      while (writing) await writing;
    },
    async close() {
      clearInterval(timer);
      while (writing || size > 0) await start();
      closed = true;
    },
    get dropped() {
      return dropped;
    },
    get pending() {
      return size;
    },
  };
}
