// One line per webhook delivery, as `vipps-local deliveries` and `listen` print it, and the
// follower that prints a delivery again each time its status or attempts change.

/** A delivery as the operator API (/vipps-local/v1/webhook-deliveries) and the merchant view answer it. */
export interface DeliveryView {
  id: number;
  status: string;
  eventType: string;
  msn: string;
  reference: string;
  url: string | null;
  webhookId: string;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt: string | null;
  attempts: { attempt: number; at: string; statusCode: number | null; error: string | null; latencyMs: number }[];
}

const MARK: Record<string, string> = { delivered: '✔', failed: '✘', pending: '…' };

/** `04:40:01 ✔ delivered epayments.payment.created.v1 order-123 → http://localhost:3000/hook · 200 in 3 ms · attempt 1` */
export function deliveryLine(d: DeliveryView, now: number): string {
  const last = d.attempts[d.attempts.length - 1];
  const time = (last?.at ?? d.createdAt).slice(11, 19);
  const parts = [`${time} ${MARK[d.status] ?? '?'} ${d.status.padEnd(9)} ${d.eventType} ${d.reference} → ${d.url ?? '(registration deleted)'}`];
  if (last) parts.push(`${last.statusCode ?? last.error ?? 'no answer'}${last.statusCode !== null ? ` in ${last.latencyMs} ms` : ''}`, `attempt ${last.attempt}`);
  else parts.push('not attempted yet');
  if (d.status === 'pending') {
    const wait = Math.max(0, Math.round((Date.parse(d.nextAttemptAt) - now) / 1000));
    parts.push(wait > 0 ? `next in ${wait} s` : 'next now');
  }
  return parts.join(' · ');
}

/** Remembers what was printed; `changed` gives the deliveries (oldest first) that are new or moved on. */
export function deliveryFollower() {
  const seen = new Map<number, string>();
  return {
    changed(deliveries: DeliveryView[]): DeliveryView[] {
      const out: DeliveryView[] = [];
      for (const d of [...deliveries].sort((a, b) => a.id - b.id)) {
        const mark = `${d.status}/${d.attempts.length}`;
        if (seen.get(d.id) === mark) continue;
        seen.set(d.id, mark);
        out.push(d);
      }
      return out;
    },
  };
}
