// The ePayment API's use-cases: its rules and its idempotency around engine commands, answering in
// ePayment's terms. The routes (routes.ts) are HTTP around these; tests and the conformance driver
// call them directly.
import type { Money } from '../../domain/money.ts';
import type { Payment, PaymentEvent, PaymentKey } from '../../domain/payment.ts';
import { DomainError, type Refusal } from '../../domain/reasons.ts';
import type { NewPaymentBuilder } from '../../engine/create-payment.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Outcome } from '../../engine/idempotency.ts';
import { ApiError, apiErrorOf } from '../api-error.ts';
import { validateCreatePayment, type CreatePaymentRequest } from './create-payment-rules.ts';
import { EPAYMENT_ERROR_MAP, EPAYMENT_ERRORS } from './error-map.ts';
import { answerOf, epaymentGuard, type EpaymentOperation } from './idempotency-policy.ts';
import { createdSnapshot, modificationResponse, type CreatedPayment, type ModificationResponse } from './serialize.ts';

const MODIFICATION_AMOUNT = { value: 'modificationAmount.value', currency: 'modificationAmount.currency' };

/** A refusal in ePayment's words. */
export function epaymentError(error: DomainError): ApiError {
  return apiErrorOf(error, EPAYMENT_ERROR_MAP);
}

const refusal = (outcome: { ok: false; error: Refusal }) => (outcome.error instanceof DomainError ? epaymentError(outcome.error) : (outcome.error as ApiError));

/** Any error of a use-case, with refusals in ePayment's words. */
async function inEpaymentTerms<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof DomainError ? epaymentError(err) : err;
  }
}

/** A modification's stored answer; records kept before the engine was neutral hold the whole payment. */
function modificationOf(stored: ModificationResponse | Payment): ModificationResponse {
  return 'aggregate' in stored ? stored : modificationResponse(stored);
}

/**
 * The engine's new payment from an ePayment create, made once the sales unit is known. (Returned
 * rather than written inline: an inline property function is made, and named, on every request.)
 */
function newPaymentOf(body: CreatePaymentRequest, customerExists: (phone: string) => boolean, psp: CreatingPsp | undefined): NewPaymentBuilder {
  return ({ now, salesUnit }) => {
    const v = validateCreatePayment(body, { now, salesUnit, customerExists, ...(psp ? { psp } : {}) });
    return {
      amount: body.amount.value,
      currency: body.amount.currency,
      terms: v.terms,
      ...(v.expiresAt !== undefined ? { expiresAt: v.expiresAt } : {}),
      attachments: { epayment: v.epayment },
    };
  };
}

/** The PSP a create came from (ePayment with Psp-Id). */
export interface CreatingPsp {
  pspId: string;
  clientId: string;
}

export interface ForceApproveInput {
  phoneNumber?: string;
  token?: string;
}

export function epaymentApi(engine: Engine) {
  const { commands } = engine;
  const ref = (msn: string, reference: string): PaymentKey => ({ msn, reference });
  const customerExists = (phone: string) => engine.directory.user(phone) !== undefined;

  async function modify(
    operation: Exclude<EpaymentOperation, 'create'>,
    msn: string,
    reference: string,
    key: string | null,
    request: unknown,
    change: (uow: Parameters<Parameters<Engine['run']>[0]>[0]) => Promise<Payment>,
  ): Promise<ModificationResponse> {
    if (key === null) return inEpaymentTerms(async () => modificationResponse(await engine.run(change)));
    const guard = epaymentGuard<Payment, ModificationResponse>(operation, msn, reference, key, { reference, request }, modificationResponse, refusal);
    return modificationOf(answerOf(operation, key, await engine.guarded(guard, change)));
  }

  return {
    async create(msn: string, body: CreatePaymentRequest, key: string, psp?: CreatingPsp): Promise<CreatedPayment> {
      const guard = epaymentGuard<Payment, CreatedPayment>('create', msn, body.reference, key, body, createdSnapshot, refusal);
      const build = newPaymentOf(body, customerExists, psp);
      const guarded = await engine.guarded(guard, (uow) => commands.create(uow, { msn, reference: body.reference, idempotencyKey: key, build }));
      return answerOf('create', key, guarded);
    },

    get: (msn: string, reference: string): Promise<Payment> => inEpaymentTerms(() => engine.getPayment(ref(msn, reference))),

    events: (msn: string, reference: string): Promise<PaymentEvent[]> => inEpaymentTerms(() => engine.getPaymentEvents(ref(msn, reference))),

    capture: (msn: string, reference: string, amount: Money, key: string) =>
      modify('capture', msn, reference, key, amount, (uow) =>
        commands.capture(uow, ref(msn, reference), { amount, idempotencyKey: key, names: MODIFICATION_AMOUNT }),
      ),

    refund: (msn: string, reference: string, amount: Money, key: string) =>
      modify('refund', msn, reference, key, amount, (uow) => commands.refund(uow, ref(msn, reference), { amount, idempotencyKey: key, names: MODIFICATION_AMOUNT })),

    cancel: (msn: string, reference: string, options: { cancelTransactionOnly: boolean }, key: string | null) =>
      modify('cancel', msn, reference, key, options, (uow) =>
        commands.cancel(uow, ref(msn, reference), { onlyIfUnauthorized: options.cancelTransactionOnly, idempotencyKey: key }),
      ),

    /** The test API's force approve, which does not support Express: the shopper chooses shipping in the app. */
    forceApprove: (msn: string, reference: string, input: ForceApproveInput): Promise<Payment> =>
      inEpaymentTerms(() =>
        engine.run(async (uow) => {
          const p = await commands.load(uow, ref(msn, reference));
          if (p.terms.shipping) {
            throw new ApiError(
              EPAYMENT_ERRORS.OPERATION_NOT_SUPPORTED,
              'Force approve does not support Express payments: the shopper chooses the address and shipping in the app. Approve it in the app simulator (/app), or with POST /vipps-local/v1/express/approve.',
            );
          }
          return commands.approve(uow, ref(msn, reference), input);
        }),
      ),
  };
}

export type EpaymentApi = ReturnType<typeof epaymentApi>;
export type { Outcome };
