// When a failed webhook delivery is tried again (webhooks api-guide, 2026): about 2 s for the first
// four attempts, then 60 s, then 120 s, then hourly up to attempt 29, then daily; dropped after 7 days.
export const GIVE_UP_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

export function platformRetryDelayMs(failedAttempts: number): number {
  if (failedAttempts <= 4) return 2_000;
  if (failedAttempts === 5) return 60_000;
  if (failedAttempts === 6) return 120_000;
  if (failedAttempts <= 29) return 3_600_000;
  return 86_400_000;
}

/** The delay after `failedAttempts` failures: from an explicit list (the config's, for tests), else the format's schedule. */
export function retryDelayMs(failedAttempts: number, override: readonly number[] | undefined, schedule: (failedAttempts: number) => number = platformRetryDelayMs): number {
  if (override && override.length > 0) return override[Math.min(failedAttempts, override.length) - 1]!;
  return schedule(failedAttempts);
}
