// For unit tests of pure rules: which catalogue code an operation answers.
import { DomainError } from '../src/domain/error-catalogue.ts';

/** The DomainError code `fn` throws, or 'no error'. Any other exception propagates. */
export function errorCodeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.entry.code ?? 'no code';
    throw err;
  }
  return 'no error';
}
