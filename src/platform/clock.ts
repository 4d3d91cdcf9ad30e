// The only place that reads the wall clock. Everything else gets time from a Clock, so tests and
// the operator's test clock can move time forward without sleeping.
export interface Clock {
  now(): number;
}

/**
 * The latest time the test clock may show: 2200-01-01T00:00:00Z. Every date the platform derives
 * from it (a refund deadline a year on, token expiries, retention) stays a four-digit-year ISO
 * string, a valid JS Date and a value both stores' columns hold (docs/decisions.md, "Bounds").
 */
export const LATEST_CLOCK_TIME_MS = Date.UTC(2200, 0, 1);

export class ClockBoundError extends RangeError {}

/** Wall-clock time plus an offset that only ever grows (time never runs backwards). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock can only be advanced by a non-negative number of milliseconds');
    const target = this.now() + ms;
    if (target > LATEST_CLOCK_TIME_MS) {
      throw new ClockBoundError(
        `The test clock goes no further than ${new Date(LATEST_CLOCK_TIME_MS).toISOString()}: advancing by ${Math.round(ms / 1000)} seconds would take it to ${new Date(Math.min(target, 8.64e15)).toISOString()}. Restart vipps-local to set it back to the real time.`,
      );
    }
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
