// Load tests pick random amounts; the test amounts that fail on purpose (README, "Test amounts") would
// turn a random capture or refund into an expected refusal. These helpers keep them out.
import { CAPTURE_FAILS_ONCE_AMOUNT, CAPTURE_FUNDS_UNAVAILABLE_AMOUNT, REFUND_FAILING_AMOUNTS } from '../src/domain/magic-amounts.ts';

export function failsOnPurpose(op: 'capture' | 'refund' | 'cancel', value: number): boolean {
  if (op === 'capture') return value === CAPTURE_FUNDS_UNAVAILABLE_AMOUNT || value === CAPTURE_FAILS_ONCE_AMOUNT;
  if (op === 'refund') return REFUND_FAILING_AMOUNTS[value] !== undefined;
  return false;
}

/** `value`, or 1 when `value` is a test amount that fails on purpose for `op` (1 never is). */
export function ordinaryAmount(op: 'capture' | 'refund' | 'cancel', value: number): number {
  return failsOnPurpose(op, value) ? 1 : value;
}
