// better-sqlite3 is synchronous, but a unit of work awaits between its statements; without this
// lock two requests would interleave inside one BEGIN. Cheap: one promise chain.
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
