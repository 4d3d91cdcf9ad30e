// One line per webhook delivery attempt, as the terminal shows it:
// `→ epayments.payment.created.v1 order-123 → http://localhost:3000/hook 500 · attempt 2 · next in 2 s`.
// A delivered attempt is info, any other warn; the JSON record carries the same facts as fields.
import type { AttemptResult, WebhookDelivery } from '../../store/store.ts';
import type { LogLine } from './log-line.ts';

export function deliveryLine(d: WebhookDelivery, result: AttemptResult, now: number): LogLine {
  const a = result.attempt;
  const delivered = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
  const parts = [`→ ${d.eventType} ${d.reference} → ${d.url} ${a.statusCode ?? 'no answer'}`];
  if (a.error) parts.push(a.error);
  parts.push(`attempt ${a.attempt}`);
  if (a.note) parts.push(a.note);
  const nextInMs = result.status === 'pending' && !delivered ? Math.max(0, result.nextAttemptAt - now) : null;
  if (nextInMs !== null) parts.push(`next in ${duration(nextInMs)}`);
  else if (result.status === 'failed') parts.push('gave up: no more attempts');
  return {
    level: delivered ? 'info' : 'warn',
    message: parts.join(' · '),
    fields: {
      delivery: d.id,
      event: d.eventType,
      format: d.format,
      msn: d.msn,
      reference: d.reference,
      url: d.url,
      status: a.statusCode,
      error: a.error,
      attempt: a.attempt,
      latencyMs: a.latencyMs,
      outcome: result.status,
      nextInMs,
      ...(a.note ? { note: a.note } : {}),
    },
  };
}

/** `850 ms`, `2 s` (also for 1,996 ms: the time the attempt took is gone), `1.5 s`, `4 min`, `2 h 5 min`. */
export function duration(ms: number): string {
  if (ms < 950) return `${Math.round(ms)} ms`;
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)} s`;
  }
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  const h = Math.floor(ms / 3_600_000);
  const min = Math.round((ms % 3_600_000) / 60_000);
  return min > 0 ? `${h} h ${min} min` : `${h} h`;
}
