// One entry of `POST /v3/psppayments/updatestatus`: a capture, refund or release the PSP made with its
// acquirer (or a reservation it confirms), applied at once rather than in the platform's nightly
// batch, within the aggregate's rules. Each entry is its own unit of work and is recorded with its
// outcome: one that breaks a rule, or that the PSP reports FAILED, stays in the transaction log as a
// failed operation and changes no money; the others are not held back by it.
import type { Payment } from '../../domain/payment.ts';
import { amountOf } from '../../domain/payment.ts';
import { DomainError } from '../../domain/reasons.ts';
import type { Engine } from '../../engine/engine.ts';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import type { PspOperation, PspRepository, PspStatusUpdate } from './psp-store.ts';

export interface TransactionInfo {
  pspTransactionId: string;
  status: PspOperation;
  amount: number;
  currency?: string;
  paymentText?: string;
  operationStatus?: 'SUCCESS' | 'FAILED';
}

type Outcome = { success: true; eventSeq: number | null } | { success: false; failure: string };

/** What the update does to the payment (locked by the caller); a refusal is an outcome, not an error. */
async function apply(engine: Engine, uow: UnitOfWork, p: Payment, t: TransactionInfo): Promise<Outcome> {
  if (t.operationStatus === 'FAILED') return { success: false, failure: 'Reported FAILED by the PSP.' };
  if (t.currency !== undefined && t.currency !== p.currency) return { success: false, failure: `The currency ${t.currency} is not the payment's (${p.currency}).` };
  const key = { id: p.id };
  const amount = amountOf(p, t.amount);
  const made = (after: Payment): Outcome => ({ success: true, eventSeq: after.version });
  try {
    switch (t.status) {
      case 'RESERVED':
        // The reservation is Vipps's own record (the makePayment answer); confirming it changes nothing.
        if (p.state === 'AUTHORIZED') return { success: true, eventSeq: null };
        return { success: false, failure: `The payment is ${p.state}: only an approved payment is reserved.` };
      case 'CAPTURED':
        return made(await engine.commands.recordExternal(uow, key, { kind: 'capture', amount, idempotencyKey: null }));
      case 'REFUNDED':
        return made(await engine.commands.recordExternal(uow, key, { kind: 'refund', amount, idempotencyKey: null }));
      case 'CANCELLED':
        // Before the shopper approved, the PSP's cancel stops the payment; after, it releases the amount reported.
        if (p.state === 'CREATED') return made(await engine.commands.cancel(uow, key, { onlyIfUnauthorized: false, idempotencyKey: null }));
        return made(await engine.commands.recordExternal(uow, key, { kind: 'cancel', amount, idempotencyKey: null }));
    }
  } catch (err) {
    if (err instanceof DomainError) return { success: false, failure: err.detail };
    throw err;
  }
}

export async function applyStatusUpdate(engine: Engine, repo: (uow: UnitOfWork) => PspRepository, pspId: string, paymentId: string, t: TransactionInfo): Promise<PspStatusUpdate> {
  return engine.run(async (uow) => {
    const p = await engine.commands.load(uow, { id: paymentId });
    const outcome = await apply(engine, uow, p, t);
    return repo(uow).addUpdate({
      pspId,
      pspTransactionId: t.pspTransactionId,
      status: t.status,
      amount: t.amount,
      paymentText: t.paymentText ?? null,
      success: outcome.success,
      failure: outcome.success ? null : outcome.failure,
      eventSeq: outcome.success ? outcome.eventSeq : p.version,
      createdAt: uow.now,
    });
  });
}
