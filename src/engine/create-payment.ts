// Creating a payment. The face decides what the payment is (its rules, in its order) once the
// reference is known to be free; the engine then checks the rules every payment obeys and writes it.
import type { Currency } from '../domain/money.ts';
import { checkNewPayment } from '../domain/new-payment-rules.ts';
import { createPayment as createTransition, DEFAULT_EXPIRY_MS, type Payment, type PaymentTerms } from '../domain/payment.ts';
import { makePaymentToken } from '../domain/payment-token.ts';
import { DomainError } from '../domain/reasons.ts';
import type { SalesUnit } from '../domain/sales-unit.ts';
import type { EngineDeps } from './deps.ts';
import { recordTransition } from './record.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** What a face asks for. */
export interface NewPaymentSpec {
  amount: number;
  currency: Currency;
  terms: PaymentTerms;
  /** For a long-living payment (terms.longLiving): when it expires. */
  expiresAt?: number;
  /** The face's own record of the request (payment.attachments[face]). */
  attachments?: Record<string, unknown>;
}

/** A face's rules for a new payment, run once the reference is known to be free. */
export type NewPaymentBuilder = (context: { now: number; salesUnit: SalesUnit }) => NewPaymentSpec;

export interface CreateInput {
  msn: string;
  reference: string;
  /** The key of the request, which the AUTHORIZED event carries too; null when the face has none. */
  idempotencyKey: string | null;
  build: NewPaymentBuilder;
}

export async function createPayment(deps: EngineDeps, uow: UnitOfWork, input: CreateInput): Promise<Payment> {
  const salesUnit = deps.directory.salesUnit(input.msn);
  if (!salesUnit) throw new DomainError('UNKNOWN_SALES_UNIT', `Unknown merchant serial number ${input.msn}.`);
  if (await uow.tx.lockPayment({ msn: input.msn, reference: input.reference })) {
    throw new DomainError('REFERENCE_EXISTS', `A payment with reference "${input.reference}" already exists for merchant serial number ${input.msn}.`);
  }
  const spec = input.build({ now: uow.now, salesUnit });
  const expiresAt = spec.terms.longLiving && spec.expiresAt !== undefined ? spec.expiresAt : uow.now + Math.min(spec.terms.approvalWindowMs ?? DEFAULT_EXPIRY_MS, DEFAULT_EXPIRY_MS);
  checkNewPayment({ now: uow.now, salesUnit, amount: spec.amount, currency: spec.currency, terms: spec.terms, expiresAt, userExists: (phone) => deps.directory.user(phone) !== undefined });
  const id = uow.tx.newPaymentId();
  const t = createTransition(
    {
      id,
      msn: input.msn,
      reference: input.reference,
      currency: spec.currency,
      amount: spec.amount,
      token: makePaymentToken(id, deps.ids.token()),
      expiresAt,
      terms: spec.terms,
      ...(spec.attachments ? { attachments: spec.attachments } : {}),
    },
    { now: uow.now, pspReference: deps.ids.uuid(), idempotencyKey: input.idempotencyKey },
  );
  await recordTransition(deps, uow, t, null);
  return t.payment;
}
