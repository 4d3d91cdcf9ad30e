// The one storage interface. Two implementations (SQLite, PostgreSQL) pass one contract suite
// (store-contract.ts). Repositories hold only queries; rules live in domain/ and engine/.
//
// What is here is what every face shares: payments, their events and adjustments, idempotency
// records, the outbox, settings. A face's own tables are declared by the face (migrations per
// dialect, applied through `applyMigrations`) and queried by its repository through `tx.sql`
// inside a unit of work, or `store.sql` outside one.
import type { Adjustment, Payment, PaymentEvent, PaymentId, PaymentKey } from '../domain/payment.ts';

/** What a face answered the first time a request with this key ran, kept so that a retry answers the same. */
export interface IdempotencyRecord {
  /** Who may see this key: a face, an operation and the object it acts on (`epayment/capture/123456/order-1`). */
  scope: string;
  key: string;
  /** Hash of everything that makes two requests "the same". */
  requestHash: string;
  /** The face's stored response (JSON). */
  response: unknown;
  createdAt: number;
}

export interface WebhookFaults {
  /** Send every delivery a second time after it succeeded. */
  duplicate: boolean;
  /** Hold every delivery back this long after its event. */
  delayMs: number;
  /** Ignore the per-subject order: later events may arrive before earlier ones. */
  outOfOrder: boolean;
}

export const NO_FAULTS: WebhookFaults = { duplicate: false, delayMs: 0, outOfOrder: false };

/**
 * An outbox row: one message to send to one target. It says what to send, where, signed how and in
 * which order: every row a delivery needs, so that the worker joins no face's table.
 */
export interface NewDelivery {
  /** How the row is signed and retried (delivery/formats.ts): `vipps-webhook`, … */
  format: string;
  /** The registration (endpoint) it goes to; its pending rows go when it is deleted. */
  targetId: string;
  url: string;
  /** The signing secret of the target. */
  secret: string;
  /** The target's fault settings when the row was written (kept up to date while it is pending). */
  faults: WebhookFaults;
  /** Rows of one target and subject are sent in order (a payment's events, per registration). */
  subject: string;
  /** The sales unit and reference of the payment it is about (the operator's log filters on them). */
  msn: string;
  reference: string;
  eventType: string;
  /** The exact body that is sent (and signed). */
  payload: string;
  /** When the event happened (latency is measured from here). */
  createdAt: number;
  nextAttemptAt: number;
}

/** How a claim shares out: what it leaves out (the worker's busy targets and sales units), and how many rows one target may get. */
export interface ClaimFairness {
  /** Rows of these targets (registrations, endpoints) are not claimed. */
  excludeTargets?: readonly string[];
  /** Rows of these sales units are not claimed. */
  excludeMsns?: readonly string[];
  /** At most this many rows per target; the claim's limit when absent. */
  perTarget?: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery extends NewDelivery {
  /** Store-assigned, increasing in insertion order: the order rows of one subject are sent in. */
  id: number;
  status: DeliveryStatus;
  attempts: number;
  deliveredAt: number | null;
}

/** A delivery as the operator's log shows it. Deliveries outlive their target: then `url` is null. */
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
  targetId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  /** Keyset paging: only deliveries older than this id (the last one of the previous page). */
  before?: number;
  limit: number;
}

/** What a delivery became when it was put back in the queue (the dashboard's resend and retry now). */
export type RedeliverOutcome = 'scheduled' | 'not-found' | 'no-target';

/** The dashboard's payment list: every filter optional, newest first, paged by a keyset cursor. */
export interface PaymentListFilter {
  msn?: string;
  state?: string;
  reference?: string;
  customerPhone?: string;
  /** Keyset paging: only payments older than this one (the `next` of the previous page). */
  before?: string;
  limit: number;
}

export interface PaymentPage {
  payments: Payment[];
  /** The cursor of the next page (`before`), or null when this page is the last. */
  next: string | null;
}

/**
 * SQL for a face's repository, in the subset both dialects share: `?` placeholders (numbered for
 * PostgreSQL by the store), values bound, never spliced. Booleans and JSON are bound as the dialect
 * stores them (0/1 and text on SQLite, boolean and jsonb on PostgreSQL); `sqlJson` and `sqlBool`
 * in rows.ts read them back.
 */
export interface SqlTx {
  readonly dialect: 'sqlite' | 'postgres';
  /** Rows of a statement. */
  query<R>(sql: string, values?: readonly unknown[]): Promise<R[]>;
  /** A write whose rows are not needed; PostgreSQL sends it with the next query or the commit. */
  execute(sql: string, values?: readonly unknown[]): Promise<void>;
}

/** Statements outside a unit of work (a face's reads and lone writes). */
export interface SqlStore {
  readonly dialect: 'sqlite' | 'postgres';
  query<R>(sql: string, values?: readonly unknown[]): Promise<R[]>;
  /** A lone write; resolves with the number of rows it changed. */
  execute(sql: string, values?: readonly unknown[]): Promise<number>;
}

/** A face's migration, in each dialect. Versions are numbered per module; applied ones are never edited. */
export interface ModuleMigration {
  version: number;
  sqlite: string;
  postgres: string;
}

/** Operations that run inside one transaction. */
export interface StoreTx {
  /** A new payment id (no round trip): the store decides its form. */
  newPaymentId(): string;
  /** Reads a payment and locks it until the transaction ends; by reference, also a reference that has no payment yet (a create). */
  lockPayment(key: PaymentKey): Promise<Payment | null>;
  insertPayment(payment: Payment): Promise<void>;
  /** Writes a changed payment; fails if its stored version is not `fromVersion` (by default `payment.version - 1`; a transition of several events moves it further). */
  updatePayment(payment: Payment, fromVersion?: number): Promise<void>;
  appendEvent(event: PaymentEvent): Promise<void>;
  insertAdjustment(adjustment: Adjustment): Promise<void>;
  /** The record of a key, or null; waits for a concurrent transaction that holds the same key. */
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  insertDelivery(delivery: NewDelivery): Promise<void>;
  /** Applies new fault settings to a target's pending deliveries. */
  setPendingDeliveryFaults(targetId: string, faults: WebhookFaults): Promise<void>;
  /** A target is gone: its pending deliveries are dropped, its past ones lose their address. */
  forgetTarget(targetId: string): Promise<void>;
  /** The same transaction, for a face's own tables. */
  readonly sql: SqlTx;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: all of its writes commit together or not at all. `fn` may be run
   * more than once before it commits (SQLite reruns a shared transaction when another unit in it
   * throws), so it must do nothing but read and write through `tx`.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  getPayment(key: PaymentKey): Promise<Payment | null>;
  listEvents(id: PaymentId): Promise<PaymentEvent[]>;
  listAdjustments(id: PaymentId): Promise<Adjustment[]>;
  /** Payments whose deadline (domain `dueAt`: an expiry, a pending approval, the end of a hold) is at or before `now`. */
  listDuePayments(now: number, limit: number): Promise<PaymentId[]>;
  /** Payments whose `customerPhone` is `phone`, newest (`createdAt`) first: the app simulator's list. */
  listPaymentsByCustomerPhone(phone: string, limit: number): Promise<Payment[]>;
  /**
   * Claims up to `limit` pending deliveries that are due, for `leaseMs`: each is the oldest pending
   * delivery of its (target, subject), unless its faults say outOfOrder or `ignoreOrder`, and none
   * is claimed by another claimer whose lease still runs. Safe with several instances. Fair across
   * targets: every target's oldest due row comes before any target's second (then by due time), so
   * one target's backlog neither fills the claim nor is scanned to reach another target's rows.
   */
  claimDueDeliveries(now: number, limit: number, claimer: string, leaseMs: number, ignoreOrder?: boolean, fairness?: ClaimFairness): Promise<WebhookDelivery[]>;
  /** Gives up `claimer`'s claims on these deliveries unsent (the worker had no room for them). */
  releaseClaims(ids: readonly number[], claimer: string): Promise<void>;
  /** Records an attempt and the delivery's new state, and releases the claim. */
  completeAttempt(result: AttemptResult): Promise<void>;
  /** The earliest time a pending delivery is due, or null: lets the worker sleep until then. */
  nextDeliveryDue(): Promise<number | null>;
  listDeliveries(filter: DeliveryFilter): Promise<LoggedDelivery[]>;
  /**
   * Puts a delivery back in the queue, due at `now`: a pending one is tried now instead of at its
   * next retry; a delivered or failed one becomes pending again (its attempts so far are kept). A
   * delivery whose target is gone cannot be sent again ('no-target').
   */
  redeliver(id: number, now: number): Promise<RedeliverOutcome>;
  /** Payments, newest first (insertion order), filtered and paged by a keyset cursor (the dashboard's list). */
  listPayments(filter: PaymentListFilter): Promise<PaymentPage>;
  /** Removes idempotency records created before `before`. Returns how many. */
  pruneIdempotency(before: number): Promise<number>;
  /** How many payments are in each state (states with none are absent), and how many deliveries are pending: what /metrics shows. */
  counts(): Promise<{ paymentsByState: Record<string, number>; pendingDeliveries: number }>;
  getSetting(key: string): Promise<string | null>;
  /** Sets a value only if none is stored yet; returns the value that is stored afterwards. */
  initSetting(key: string, value: string): Promise<string>;
  /** Applies a face's migrations that are not applied yet (safe when several instances start together). */
  applyMigrations(module: string, migrations: readonly ModuleMigration[]): Promise<void>;
  /** Registers a table that `reset` empties too (a face's own). */
  resetsTable(table: string): void;
  /**
   * Calls `listener` whenever what the process remembers of the tables may be stale (a rollback,
   * another connection's commit). Returns false when the store cannot tell (several instances on
   * PostgreSQL): then nothing may be remembered across transactions.
   */
  onStale(listener: () => void): boolean;
  readonly sql: SqlStore;
  /** Deletes all payments, events, adjustments, idempotency records, deliveries and faces' registered tables (settings stay). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export class VersionConflictError extends Error {
  constructor(p: { id: string }) {
    super(`payment ${p.id} was changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

export class DuplicatePaymentError extends Error {
  constructor(p: { msn: string; reference: string }) {
    super(`payment ${p.msn}/${p.reference} already exists`);
    this.name = 'DuplicatePaymentError';
  }
}
