// For unit tests of pure rules: which ePayment code an operation answers. Refusals are reasons in
// the domain; the ePayment face's error map names their codes (the codes the tests were written in).
import { DomainError } from '../src/domain/reasons.ts';
import { ApiError } from '../src/faces/api-error.ts';
import { EPAYMENT_ERROR_MAP } from '../src/faces/epayment/error-map.ts';

/** The ePayment code of a refusal (a DomainError through the error map, or the face's own ApiError), or null for anything else. */
export function epaymentCodeOf(err: unknown): string | null {
  if (err instanceof DomainError) return EPAYMENT_ERROR_MAP[err.reason].code ?? 'no code';
  if (err instanceof ApiError) return err.entry.code ?? 'no code';
  return null;
}

/** The ePayment HTTP status of a refusal, or null for anything else. */
export function epaymentStatusOf(err: unknown): number | null {
  if (err instanceof DomainError) return EPAYMENT_ERROR_MAP[err.reason].status;
  if (err instanceof ApiError) return err.entry.status;
  return null;
}

/** The code `fn` throws, or 'no error'. Any other exception propagates. */
export function errorCodeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    const code = epaymentCodeOf(err);
    if (code !== null) return code;
    throw err;
  }
  return 'no error';
}

/** The code a promise rejects with, or 'no error'. Any other exception propagates. */
export async function errorCodeOfAsync(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const code = epaymentCodeOf(err);
    if (code !== null) return code;
    throw err;
  }
  return 'no error';
}
