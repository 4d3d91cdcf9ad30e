// `GET /v3/psppayments/{pspTransactionId}/details`: the summary from the payment's aggregate, and the
// transaction log from its events (the reservation, and every capture, refund and release) together
// with the status updates the PSP reported that were not applied (operationSuccess false).
import { capturable, refundable, type Payment, type PaymentEvent, type PaymentEventName } from '../../domain/payment.ts';
import type { PspOperation, PspPaymentRow, PspStatusUpdate } from './psp-store.ts';

export interface TransactionLogEntry {
  amount: number;
  paymentText?: string;
  timeStamp: string;
  operation: PspOperation;
  operationSuccess: boolean;
}

export interface PaymentDetails {
  pspTransactionId: string;
  merchantOrderId: string;
  transactionSummary: { capturedAmount: number; remainingAmountToCapture: number; refundedAmount: number; remainingAmountToRefund: number };
  transactionLogHistory: TransactionLogEntry[];
}

const OPERATION_OF: Partial<Record<PaymentEventName, PspOperation>> = {
  AUTHORIZED: 'RESERVED',
  CAPTURED: 'CAPTURED',
  REFUNDED: 'REFUNDED',
  CANCELLED: 'CANCELLED',
  TERMINATED: 'CANCELLED',
};

const iso = (ms: number) => new Date(ms).toISOString();

export function paymentDetails(row: PspPaymentRow, payment: Payment, events: PaymentEvent[], updates: PspStatusUpdate[]): PaymentDetails {
  // An applied update's text belongs to the event it made; otherwise the payment's own text.
  const textOfEvent = new Map(updates.filter((u) => u.success && u.eventSeq !== null && u.paymentText !== null).map((u) => [u.eventSeq!, u.paymentText!]));
  const text = (t: string | null | undefined) => (t == null ? {} : { paymentText: t });
  // Ordered by the payment's event seq; a failed report sorts after the events made before it (psp-store.ts).
  const logged: Array<{ seq: number; failed: number; entry: TransactionLogEntry }> = [];
  for (const e of events) {
    const operation = OPERATION_OF[e.name];
    if (!operation) continue;
    logged.push({ seq: e.seq, failed: 0, entry: { amount: e.amount, ...text(textOfEvent.get(e.seq) ?? payment.terms.paymentDescription), timeStamp: iso(e.timestamp), operation, operationSuccess: e.success } });
  }
  for (const u of updates) {
    if (u.success) continue;
    logged.push({ seq: u.eventSeq ?? 0, failed: u.seq, entry: { amount: u.amount, ...text(u.paymentText ?? payment.terms.paymentDescription), timeStamp: iso(u.createdAt), operation: u.status, operationSuccess: false } });
  }
  logged.sort((a, b) => a.seq - b.seq || a.failed - b.failed);
  return {
    pspTransactionId: row.pspTransactionId,
    merchantOrderId: row.merchantOrderId,
    transactionSummary: {
      capturedAmount: payment.captured,
      remainingAmountToCapture: payment.state === 'AUTHORIZED' ? capturable(payment) : 0,
      refundedAmount: payment.refunded,
      remainingAmountToRefund: refundable(payment),
    },
    transactionLogHistory: logged.map((l) => l.entry),
  };
}
