// The HTTP status a page answers with when the engine refuses what the shopper did: the page shows
// the refusal's detail; the status tells a browser test (or a crawler) what kind of failure it was.
import type { DomainError, Reason } from '../domain/reasons.ts';

const NOT_400: Partial<Record<Reason, number>> = {
  PAYMENT_NOT_FOUND: 404,
  PAYMENT_BUSY: 423,
};

export function pageStatusOf(error: DomainError): number {
  return NOT_400[error.reason] ?? 400;
}
