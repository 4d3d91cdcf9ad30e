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
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: all of its writes commit together or not at all. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  getPayment(msn: string, reference: string): Promise<Payment | null>;
  listEvents(msn: string, reference: string): Promise<PaymentEvent[]>;
  /** CREATED payments whose deadline (expiry or pending approval) is at or before `now`. */
  listDuePayments(now: number, limit: number): Promise<PaymentRef[]>;
  /** Removes idempotency records created before `before`. Returns how many. */
  pruneIdempotency(before: number): Promise<number>;
  getSetting(key: string): Promise<string | null>;
  /** Sets a value only if none is stored yet; returns the value that is stored afterwards. */
  initSetting(key: string, value: string): Promise<string>;
  /** Deletes all payments, events and idempotency records (settings such as the signing secret stay). */
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
