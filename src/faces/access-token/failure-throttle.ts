// Brute force on client_secret (issue 16): failed token requests are counted per client address and
// client_id, and per client address; over either count in the window, the address gets the gateway's
// 429 for that client_id (or for all) until the window has passed. The secret is then not checked at
// all, so guessing goes no faster. Successful requests are never counted, and a client on another
// address is not affected. Wall-clock time: advancing the test clock does not lift it.
import type { Limits } from '../../platform/limits.ts';

type ThrottleLimits = Pick<Limits, 'tokenFailuresPerClientId' | 'tokenFailuresPerAddress' | 'tokenFailureWindowMs'>;

/** Most keys remembered; the oldest windows are forgotten first beyond it (memory stays bounded). */
const MAX_KEYS = 10_000;

export interface FailureThrottle {
  /** Seconds until this address may try this client_id again, or 0 when it may now. */
  blockedFor(address: string, clientId: string): number;
  failed(address: string, clientId: string): void;
}

export function createFailureThrottle(limits: ThrottleLimits, now: () => number = Date.now): FailureThrottle {
  // key → { start of the window, failures in it }; a Map keeps insertion order, oldest first.
  const windows = new Map<string, { start: number; count: number }>();
  const current = (key: string) => {
    const w = windows.get(key);
    if (!w) return undefined;
    if (now() - w.start >= limits.tokenFailureWindowMs) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  const remaining = (key: string, max: number) => {
    const w = current(key);
    return w && w.count >= max ? Math.max(1, Math.ceil((w.start + limits.tokenFailureWindowMs - now()) / 1000)) : 0;
  };
  const count = (key: string) => {
    const w = current(key);
    if (w) w.count += 1;
    else {
      windows.set(key, { start: now(), count: 1 });
      while (windows.size > MAX_KEYS) windows.delete(windows.keys().next().value as string);
    }
  };
  const byClient = (address: string, clientId: string) => `c\u0000${address}\u0000${clientId}`;
  const byAddress = (address: string) => `a\u0000${address}`;
  return {
    blockedFor(address, clientId) {
      return Math.max(remaining(byClient(address, clientId), limits.tokenFailuresPerClientId), remaining(byAddress(address), limits.tokenFailuresPerAddress));
    },
    failed(address, clientId) {
      count(byClient(address, clientId));
      count(byAddress(address));
    },
  };
}
