// The only place that reads the wall clock. Everything else gets time from a Clock, so tests and
// the operator's test clock can move time forward without sleeping.
export interface Clock {
  now(): number;
}

/** Wall-clock time plus an offset that only ever grows (time never runs backwards). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock can only be advanced by a non-negative number of milliseconds');
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
