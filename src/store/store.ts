// The one storage interface. Two implementations (SQLite now, PostgreSQL later) pass one contract
// suite (store-contract.ts). Repositories hold only queries; rules live in domain/ and engine/.
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import type { StoredError } from '../domain/error-catalogue.ts';

export type IdempotentOperation = 'create' | 'capture' | 'refund' | 'cancel' | 'approve';

/** What an idempotent operation answered the first time, kept so that a retry answers the same. */
export interface IdempotencyRecord {
  msn: string;
  operation: IdempotentOperation;
  key: string;
  /** Hash of everything that identifies the request (path + body). */
  requestHash: string;
  outcome: { ok: true; value: unknown } | { ok: false; error: StoredError };
  createdAt: number;
}

export interface WebhookFaults {
  /** Send every delivery a second time after it succeeded. */
  duplicate: boolean;
  /** Hold every delivery back this long after its event. */
  delayMs: number;
  /** Ignore the per-payment order: later events may arrive before earlier ones. */
  outOfOrder: boolean;
}

export const NO_FAULTS: WebhookFaults = { duplicate: false, delayMs: 0, outOfOrder: false };

export interface WebhookRegistration {
  id: string;
  /** The merchant (client_id) that registered it. */
  clientId: string;
  /** The sales unit it was registered for; null: every sales unit of the merchant. */
  msn: string | null;
  url: string;
  events: string[];
  secret: string;
  createdAt: number;
  faults: WebhookFaults;
}

/** An outbox row: one event to send to one registration. */
export interface NewDelivery {
  webhookId: string;
  msn: string;
  reference: string;
  eventType: string;
  /** The exact body that is sent (and signed). */
  payload: string;
  /** When the event happened (latency is measured from here). */
  createdAt: number;
  nextAttemptAt: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery extends NewDelivery {
  /** Store-assigned, increasing in insertion order: the order events of one payment are sent in. */
  id: number;
  status: DeliveryStatus;
  attempts: number;
  deliveredAt: number | null;
  /** Filled by claimDueDeliveries: where and how to send it. */
  url: string;
  secret: string;
  faults: WebhookFaults;
}

/**
 * A delivery as the operator's log shows it. Deliveries outlive their registration (only pending
 * ones go with it): then `url` is null.
 */
export interface LoggedDelivery extends Omit<WebhookDelivery, 'url' | 'secret' | 'faults'> {
  url: string | null;
  attemptLog: DeliveryAttempt[];
}

export interface DeliveryAttempt {
  deliveryId: number;
  attempt: number;
  at: number;
  /** The receiver's HTTP status, or null when no answer came (refused, timeout). */
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
  /** Why this attempt was made outside the normal course (e.g. a fault-injected duplicate). */
  note: string | null;
}

export interface AttemptResult {
  attempt: DeliveryAttempt;
  /** The delivery's new state after this attempt. */
  status: DeliveryStatus;
  /** For a delivery still pending: when to try again. */
  nextAttemptAt: number;
  /** Counts toward the retry schedule (a fault-injected duplicate does not). */
  countsAsAttempt: boolean;
}

export interface DeliveryFilter {
  msn?: string;
  reference?: string;
  webhookId?: string;
  limit: number;
}

export interface PaymentRef {
  msn: string;
  reference: string;
}

/** Operations that run inside one transaction. */
export interface StoreTx {
  /** Reads a payment and, where the store supports it, locks it until the transaction ends. */
  lockPayment(msn: string, reference: string): Promise<Payment | null>;
  insertPayment(payment: Payment): Promise<void>;
  /** Writes a changed payment; fails if its stored version is not `payment.version - 1`. */
  updatePayment(payment: Payment): Promise<void>;
  appendEvent(event: PaymentEvent): Promise<void>;
  getIdempotency(msn: string, operation: IdempotentOperation, key: string): Promise<IdempotencyRecord | null>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  /** Registrations of one merchant (clientId) for one sales unit (or, with null, for all of them). */
  listWebhooks(clientId: string, msn: string | null): Promise<WebhookRegistration[]>;
  /** Registrations that receive events of sales unit `msn`: its own and its merchant's all-unit ones. */
  webhooksReceiving(clientId: string, msn: string): Promise<WebhookRegistration[]>;
  insertWebhook(registration: WebhookRegistration): Promise<void>;
  /** Deletes a registration of that merchant and scope, with its undelivered deliveries. Returns whether it existed. */
  deleteWebhook(clientId: string, msn: string | null, id: string): Promise<boolean>;
  insertDelivery(delivery: NewDelivery): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: all of its writes commit together or not at all. `fn` may be run
   * more than once before it commits (SQLite reruns a shared transaction when another unit in it
   * throws), so it must do nothing but read and write through `tx`.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  getPayment(msn: string, reference: string): Promise<Payment | null>;
  listEvents(msn: string, reference: string): Promise<PaymentEvent[]>;
  /** CREATED payments whose deadline (expiry or pending approval) is at or before `now`. */
  listDuePayments(now: number, limit: number): Promise<PaymentRef[]>;
  /** Payments whose `customerPhone` is `phone`, newest (`createdAt`) first: the app simulator's list. */
  listPaymentsByCustomerPhone(phone: string, limit: number): Promise<Payment[]>;
  /**
   * Claims up to `limit` pending deliveries that are due, for `leaseMs`: each is the oldest pending
   * delivery of its (registration, payment), unless that registration asks for outOfOrder, and
   * none is claimed by another claimer whose lease still runs. Safe with several instances.
   */
  claimDueDeliveries(now: number, limit: number, claimer: string, leaseMs: number, ignoreOrder?: boolean): Promise<WebhookDelivery[]>;
  /** Records an attempt and the delivery's new state, and releases the claim. */
  completeAttempt(result: AttemptResult): Promise<void>;
  /** The earliest time a pending delivery is due, or null: lets the worker sleep until then. */
  nextDeliveryDue(): Promise<number | null>;
  listDeliveries(filter: DeliveryFilter): Promise<LoggedDelivery[]>;
  setWebhookFaults(id: string, faults: WebhookFaults): Promise<boolean>;
  /** Removes idempotency records created before `before`. Returns how many. */
  pruneIdempotency(before: number): Promise<number>;
  getSetting(key: string): Promise<string | null>;
  /** Sets a value only if none is stored yet; returns the value that is stored afterwards. */
  initSetting(key: string, value: string): Promise<string>;
  /** Deletes all payments, events, idempotency records, webhooks and deliveries (settings such as the signing secret stay). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export class VersionConflictError extends Error {
  constructor(ref: PaymentRef) {
    super(`payment ${ref.msn}/${ref.reference} was changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

export class DuplicatePaymentError extends Error {
  constructor(ref: PaymentRef) {
    super(`payment ${ref.msn}/${ref.reference} already exists`);
    this.name = 'DuplicatePaymentError';
  }
}
