// Table rows → store objects, shared by both stores. Where the dialects differ, the row type says
// so: JSON columns arrive as text from SQLite and parsed from PostgreSQL (jsonb), booleans as 0/1
// from SQLite.
import type { Adjustment, PaymentEvent } from '../domain/payment.ts';
import { NO_FAULTS, type DeliveryAttempt, type DeliveryStatus, type LoggedDelivery, type WebhookDelivery, type WebhookFaults } from './store.ts';

export type Json<T> = string | T;

/** A JSON column as either dialect returns it. */
export function sqlJson<T>(value: Json<T>): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** A boolean column as either dialect returns it. */
export function sqlBool(value: boolean | number): boolean {
  return value === true || value === 1;
}

export interface EventRow {
  payment_id: string | number;
  msn: string;
  reference: string;
  seq: number;
  psp_reference: string;
  name: PaymentEvent['name'];
  currency: PaymentEvent['currency'];
  amount: number;
  ts: number;
  success: boolean | number;
  idempotency_key: string | null;
}

export interface AdjustmentRow {
  payment_id: string | number;
  seq: number;
  kind: Adjustment['kind'];
  amount: number;
  currency: Adjustment['currency'];
  at: number;
  idempotency_key: string | null;
  origin: Adjustment['origin'];
  psp_reference: string;
}

export interface DeliveryRow {
  id: number;
  format: string;
  target_id: string;
  url: string | null;
  secret: string;
  faults: Json<Partial<WebhookFaults>>;
  subject: string;
  msn: string;
  reference: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
}

export interface AttemptRow {
  delivery_id: number;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
  note: string | null;
}

export function toEvent(r: EventRow): PaymentEvent {
  return {
    paymentId: String(r.payment_id),
    msn: r.msn,
    reference: r.reference,
    pspReference: r.psp_reference,
    name: r.name,
    currency: r.currency,
    amount: r.amount,
    timestamp: r.ts,
    success: sqlBool(r.success),
    idempotencyKey: r.idempotency_key,
    seq: r.seq,
  };
}

export function toAdjustment(r: AdjustmentRow): Adjustment {
  const paymentId = String(r.payment_id);
  return {
    id: `${paymentId}:${r.seq}`,
    paymentId,
    seq: r.seq,
    kind: r.kind,
    amount: r.amount,
    currency: r.currency,
    at: r.at,
    idempotencyKey: r.idempotency_key,
    origin: r.origin,
    pspReference: r.psp_reference,
  };
}

function deliveryFields(r: DeliveryRow) {
  return {
    id: r.id,
    format: r.format,
    targetId: r.target_id,
    subject: r.subject,
    msn: r.msn,
    reference: r.reference,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export function toDelivery(r: DeliveryRow): WebhookDelivery {
  return { ...deliveryFields(r), url: r.url ?? '', secret: r.secret, faults: { ...NO_FAULTS, ...sqlJson(r.faults) } };
}

export function toLoggedDelivery(r: DeliveryRow, attemptLog: DeliveryAttempt[]): LoggedDelivery {
  return { ...deliveryFields(r), url: r.url, attemptLog };
}

export function toAttempt(r: AttemptRow): DeliveryAttempt {
  return {
    deliveryId: r.delivery_id,
    attempt: r.attempt,
    at: r.at,
    statusCode: r.status_code,
    error: r.error,
    latencyMs: r.latency_ms,
    responseExcerpt: r.response_excerpt,
    note: r.note,
  };
}
