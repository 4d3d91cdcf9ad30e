// Table rows → store objects, shared by both stores. Where the dialects differ, the row type says
// so: JSON columns arrive as text from SQLite and parsed from PostgreSQL (jsonb), booleans as 0/1
// from SQLite.
import type { PaymentEvent } from '../domain/payment.ts';
import { NO_FAULTS, type DeliveryAttempt, type DeliveryStatus, type LoggedDelivery, type WebhookDelivery, type WebhookFaults, type WebhookRegistration } from './store.ts';

type Json<T> = string | T;

function fromJson<T>(value: Json<T>): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

export interface EventRow {
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

export interface WebhookRow {
  id: string;
  client_id: string;
  msn: string | null;
  url: string;
  events: Json<string[]>;
  secret: string;
  created_at: number;
  faults: Json<Partial<WebhookFaults>>;
}

export interface DeliveryRow {
  id: number;
  webhook_id: string;
  msn: string;
  reference: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  url: string;
  secret: string;
  faults: Json<Partial<WebhookFaults>>;
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
    msn: r.msn,
    reference: r.reference,
    pspReference: r.psp_reference,
    name: r.name,
    currency: r.currency,
    amount: r.amount,
    timestamp: r.ts,
    success: r.success === true || r.success === 1,
    idempotencyKey: r.idempotency_key,
    seq: r.seq,
  };
}

export function toWebhook(r: WebhookRow): WebhookRegistration {
  return {
    id: r.id,
    clientId: r.client_id,
    msn: r.msn,
    url: r.url,
    events: fromJson(r.events),
    secret: r.secret,
    createdAt: r.created_at,
    faults: { ...NO_FAULTS, ...fromJson(r.faults) },
  };
}

/** A delivery row as the log reads it: joined to its registration if that still exists. */
export type LoggedDeliveryRow = Omit<DeliveryRow, 'url' | 'secret' | 'faults'> & { url: string | null };

function deliveryFields(r: LoggedDeliveryRow) {
  return {
    id: r.id,
    webhookId: r.webhook_id,
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
  return { ...deliveryFields(r), url: r.url, secret: r.secret, faults: { ...NO_FAULTS, ...fromJson(r.faults) } };
}

export function toLoggedDelivery(r: LoggedDeliveryRow, attemptLog: DeliveryAttempt[]): LoggedDelivery {
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
