// Content negotiation over an Accept header (RFC 9110 §12.5.1) between two answers, by `negotiator`
// (the jshttp library Express's `accepts` uses).
import Negotiator from 'negotiator';

/**
 * Whether a client prefers `preferred` over `fallback`: a strictly better match. No Accept header,
 * `*\/*` or a tie keep the fallback (curl, fetch and <img> get what they always got).
 */
export function prefers(accept: string | undefined, preferred: string, fallback: string): boolean {
  if (!accept) return false;
  // On equal quality and specificity negotiator keeps the order given: the fallback first wins ties.
  return new Negotiator({ headers: { accept } }).mediaType([fallback, preferred]) === preferred;
}
