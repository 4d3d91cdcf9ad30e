// One line per request an API answered (and per call vipps-local made to a merchant's server), as
// the terminal shows it: `POST /epayment/v1/payments 400 order-123 · The field Amount.Value must be
// of type integer. · trace 00-89ad…`. The same facts go in the JSON record as fields.
import type { Leniency, LeniencyKind } from '../../faces/lenient/leniency.ts';
import type { AnsweredRequest } from '../request-log/request-log.ts';
import type { LogLine } from './log-line.ts';

/** A leniency as the line names it: `lenient: http returnUrl, unknown customer.foo`. */
const LENIENCY_LABELS: Record<LeniencyKind, string> = {
  'path-case': 'path case',
  'path-trailing-slash': 'trailing slash',
  'json-content-type': 'content type',
  'unknown-property': 'unknown',
  'number-as-string': 'number as string',
  'null-as-absent': 'null',
  'customer-without-identifier': 'customer without identifier',
  'http-merchant-url': 'http',
  'unusable-token': 'unusable token',
  more: 'more',
};

/** Leniencies named on one line; the rest are counted. */
const NAMED_LENIENCIES = 3;

export function requestLine(r: AnsweredRequest): LogLine {
  const fields: Record<string, unknown> = {
    api: r.api,
    ...(r.api === 'outbound' ? { purpose: r.route } : { method: r.method }),
    path: r.path,
    status: r.status,
    reference: r.reference,
    msn: r.msn,
    latencyMs: Math.round(r.latencyMs * 10) / 10,
    traceId: r.error?.traceId ?? null,
    errorCode: r.error?.code ?? null,
    error: r.failure ?? r.error?.headline ?? null,
    leniencies: r.leniencies,
  };
  const parts: string[] = [];
  if (r.api === 'outbound') {
    // A call vipps-local made and waited for (Express shipping, makePayment, card callback).
    parts.push(`→ ${r.route ?? 'call'}${r.reference ? ` ${r.reference}` : ''} → ${r.path} ${r.status === 0 ? 'no answer' : r.status}`);
  } else {
    parts.push(`${r.method} ${r.path} ${r.status}${r.reference ? ` ${r.reference}` : ''}`);
  }
  // A path under an API that no route matched (the not-found answer is not read for its message).
  const error = r.failure ?? r.error?.headline ?? (r.route === null && r.api !== 'outbound' && r.status === 404 ? 'no such route' : undefined);
  if (error) parts.push(error);
  if (r.error?.traceId) parts.push(`trace ${r.error.traceId}`);
  if (r.leniencies) parts.push(`lenient: ${leniencies(r.leniencies)}`);
  const failed = r.api === 'outbound' && (r.status === 0 || r.status >= 400);
  return { level: failed ? 'warn' : 'info', message: parts.join(' · '), fields };
}

function leniencies(list: Leniency[]): string {
  const named = list.filter((l) => l.kind !== 'more');
  const more = list.length - named.length > 0 ? Number(/^\d+/.exec(list.at(-1)!.detail)?.[0] ?? '0') : 0;
  const shown = named.slice(0, NAMED_LENIENCIES).map((l) => (l.field ? `${LENIENCY_LABELS[l.kind]} ${l.field}` : LENIENCY_LABELS[l.kind]));
  const rest = named.length - shown.length + more;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
