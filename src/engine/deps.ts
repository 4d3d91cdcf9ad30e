// What every engine use-case needs. Built once per server by createEngine().
import type { Clock } from '../platform/clock.ts';
import type { Ids } from '../platform/ids.ts';
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import type { Store, StoreTx } from '../store/store.ts';
import type { Directory } from './directory.ts';
import type { ApprovalGate } from './approval-gate.ts';
import type { ShippingSource } from './shipping.ts';
import type { ShopperStepLog } from './shopper-steps.ts';

/**
 * A face's view of the engine's events: runs inside the transaction that records an event and
 * writes that face's rows for it (its own event rows, outbox rows). Returns how many outbox rows it wrote.
 */
export type Projector = (tx: StoreTx, event: PaymentEvent, payment: Payment) => Promise<number>;

export interface EngineDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  directory: Directory;
  /** One per face that reacts to payment events (the Webhooks face's outbox rows, …). */
  projectors: Projector[];
  /** Called after a commit with the events it recorded (live pages, delivery worker wake-up). */
  onCommitted: Array<(events: PaymentEvent[]) => void>;
  /** Called after a commit that wrote outbox rows (the delivery worker's wake-up; most commits write none). */
  onOutboxWritten: Array<() => void>;
  /** Express: asks a merchant's server for shipping options (the ePayment face's callback client). */
  shippingSource?: ShippingSource;
  /** PSP payments: the approval waits for the PSP's answer to makePayment (the PSP face's gate). */
  approvalGate?: ApprovalGate;
  /** Called after a commit that changed a payment without an event (a PSP's decline or 3-D Secure challenge). */
  onQuietChange?: Array<(payment: Payment) => void>;
  /** Failures of work done after a commit (asking the gate), with what was being done. */
  reportError?: (err: unknown, what: string) => void;
  /** Where the shopper's steps that leave no event are kept (shopper-steps.ts); not kept when absent. */
  shopperSteps?: ShopperStepLog;
  /** Times every store transaction of a unit of work (metrics): milliseconds, and whether it committed. */
  onTransaction?: (ms: number, committed: boolean) => void;
}
