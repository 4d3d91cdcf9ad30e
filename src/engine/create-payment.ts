import { validateCreatePayment, type CreatePaymentRequest } from '../domain/create-payment-rules.ts';
import { DomainError, ERRORS } from '../domain/error-catalogue.ts';
import { createPayment as createTransition, createdSnapshot, type CreatedPayment } from '../domain/payment.ts';
import { makePaymentToken } from '../domain/payment-token.ts';
import type { EngineDeps } from './deps.ts';
import { once } from './idempotency.ts';
import { recordTransition } from './record.ts';
import { runUnitOfWork } from './unit-of-work.ts';

export async function createPayment(deps: EngineDeps, msn: string, request: CreatePaymentRequest, idempotencyKey: string): Promise<CreatedPayment> {
  const salesUnit = deps.directory.salesUnit(msn);
  if (!salesUnit) throw new DomainError(ERRORS.PAYMENT_CANNOT_BE_CREATED, `Unknown merchant serial number ${msn}.`);
  return runUnitOfWork(deps, async (uow) =>
    once(uow, { msn, operation: 'create', key: idempotencyKey, request }, async () => {
      if (await uow.tx.lockPayment(msn, request.reference)) {
        throw new DomainError(ERRORS.REFERENCE_EXISTS, `A payment with reference "${request.reference}" already exists for merchant serial number ${msn}.`);
      }
      const { terms, expiresAt } = validateCreatePayment(request, {
        now: uow.now,
        salesUnit,
        customerExists: (phone) => deps.directory.user(phone) !== undefined,
      });
      const t = createTransition(
        {
          msn,
          reference: request.reference,
          currency: request.amount.currency,
          amount: request.amount.value,
          token: makePaymentToken(msn, request.reference, deps.ids.token()),
          expiresAt,
          terms,
        },
        { now: uow.now, pspReference: deps.ids.uuid(), idempotencyKey },
      );
      await recordTransition(deps, uow, t, true);
      return createdSnapshot(t.payment);
    }, createdSnapshot),
  );
}
