// PSP API v3 1.0.21 (spec psp/swagger.yaml): a payment service provider initiates Vipps payments for
// its merchants' sales units, reads their details, reports what it did with its acquirer
// (updatestatus), and in the test environment force approves. The PSP's credentials (psp-auth.ts);
// its transactions in the face's tables (psp-store.ts), the money in the engine's payment.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PspPrincipal } from '../../engine/directory.ts';
import type { UnitOfWork } from '../../engine/unit-of-work.ts';
import type { FaceContext } from '../face-context.ts';
import { landingUrl, redirectUrlOf } from '../links.ts';
import { SystemHeaders } from '../system-headers.ts';
import { DomainError } from '../../domain/reasons.ts';
import { paymentDetails } from './details.ts';
import { PSP_CODES, PSP_CONTENT_TYPE, PspError, pspErrorHandler, pspErrorOf, transactionNotFound } from './error-map.ts';
import { checkInitRequest } from './init-rules.ts';
import { msisdnOf, newPspPaymentOf } from './new-psp-payment.ts';
import { authenticatePsp } from '../psp-auth.ts';
import type { PspPaymentRow, PspStore } from './psp-store.ts';
import { ForceApproveRequest, PaymentStatusRequest, TransactionParams, type ForceApproveRequestT, type PaymentStatusRequestT, type TransactionParamsT } from './schemas.ts';
import { applyStatusUpdate } from './status-update.ts';
import { logRequestAs } from '../../platform/request-log/logged-as.ts';

export const PSP_PREFIX = '/psp';

export interface PspFaceOptions {
  psp: PspStore;
}

declare module 'fastify' {
  interface FastifyRequest {
    pspPrincipal: PspPrincipal | null;
  }
}

const SUCCESS = { responseInfo: { responseCode: '9000', responseMessage: 'SUCCESS' } };

export async function pspRoutes(app: FastifyInstance, ctx: FaceContext, options: PspFaceOptions): Promise<void> {
  const { psp } = options;
  const { engine } = ctx;
  app.decorateRequest('pspPrincipal', null);
  app.setErrorHandler(pspErrorHandler(ctx.ids));
  // Authentication runs before the body is read: a caller without credentials learns nothing else.
  app.addHook('onRequest', async (req) => {
    req.pspPrincipal = authenticatePsp(req, ctx.directory, ctx.tokens);
  });
  const principal = (req: FastifyRequest) => req.pspPrincipal!;
  const repo = (uow: UnitOfWork) => psp.in(uow.tx.sql);

  /** The PSP's transaction of this sales unit; another PSP's, or another sales unit's, is not found. */
  async function transaction(req: FastifyRequest, pspTransactionId: string): Promise<PspPaymentRow> {
    const { psp: who, msn } = principal(req);
    const row = await psp.payment(who.pspId, pspTransactionId);
    if (!row || row.msn !== msn) throw transactionNotFound(pspTransactionId);
    // The request log lists the call under the payment's reference (its merchantOrderId), as init's.
    logRequestAs(req, { reference: row.merchantOrderId });
    return row;
  }

  app.post('/v3/psppayments/init', { schema: { headers: SystemHeaders } }, async (req, reply) => {
    const r = checkInitRequest(req.body);
    // The engine's reference of a PSP payment is its merchantOrderId: the request log keeps it, as ePayment's create.
    logRequestAs(req, { reference: r.merchantOrderId });
    const { psp: who, msn } = principal(req);
    const payment = await engine
      .run(async (uow) => {
        // Checked before the engine writes anything: a refusal commits the unit (engine/unit-of-work.ts).
        if (await repo(uow).payment(who.pspId, r.pspTransactionId)) throw duplicateTransaction(r.pspTransactionId);
        const p = await engine.commands.create(uow, { msn, reference: r.merchantOrderId, idempotencyKey: null, build: newPspPaymentOf(who.pspId, r) });
        const added = await repo(uow).addPayment({ pspId: who.pspId, pspTransactionId: r.pspTransactionId, paymentId: p.id, msn, merchantOrderId: r.merchantOrderId, createdAt: uow.now });
        // A concurrent init with the same id won the race: not a Refusal, so the payment is rolled back too.
        if (!added) throw new DuplicateRace(r.pspTransactionId);
        return p;
      })
      .catch((err: unknown) => {
        if (err instanceof DuplicateRace) throw duplicateTransaction(err.pspTransactionId);
        if (err instanceof DomainError) throw pspErrorOf(err.reason === 'REFERENCE_EXISTS' ? new DomainError(err.reason, `OrderId already exists: merchantOrderId ${r.merchantOrderId} is taken for Merchant-Serial-Number ${msn}.`) : err);
        throw err;
      });
    // A push has no redirect of its own: the landing page still opens it (and carries the token force approve takes).
    const vippsRedirectUrl = redirectUrlOf(ctx.baseUrl(), payment) ?? landingUrl(ctx.baseUrl(), payment.token);
    return reply.code(200).type(PSP_CONTENT_TYPE).send({ pspTransactionId: r.pspTransactionId, merchantOrderId: r.merchantOrderId, vippsRedirectUrl });
  });

  app.get<{ Params: TransactionParamsT }>('/v3/psppayments/:pspTransactionId/details', { schema: { params: TransactionParams, headers: SystemHeaders } }, async (req, reply) => {
    const row = await transaction(req, req.params.pspTransactionId);
    const key = { id: row.paymentId };
    const [payment, events, updates] = await Promise.all([engine.getPayment(key), engine.getPaymentEvents(key), psp.updates(row.pspId, row.pspTransactionId)]);
    return reply.type('application/json').send(paymentDetails(row, payment, events, updates));
  });

  app.post<{ Body: PaymentStatusRequestT }>('/v3/psppayments/updatestatus', { schema: { body: PaymentStatusRequest, headers: SystemHeaders } }, async (req, reply) => {
    const { psp: who, msn } = principal(req);
    const orders = new Set<string>();
    for (const t of req.body.transactions) {
      const row = await psp.payment(who.pspId, t.pspTransactionId);
      if (!row || row.msn !== msn) {
        // Nothing to attach it to: the batch would skip it too. The request log keeps the call.
        req.log.info({ pspTransactionId: t.pspTransactionId }, 'updatestatus: unknown pspTransactionId, skipped');
        continue;
      }
      orders.add(row.merchantOrderId);
      await applyStatusUpdate(engine, repo, who.pspId, row.paymentId, t);
    }
    // The request log keeps one reference: a batch about one payment is listed under it; one about
    // several under none (each payment's page shows its updates all the same).
    if (orders.size === 1) logRequestAs(req, { reference: [...orders][0]! });
    return reply.code(200).type('application/json').send(SUCCESS);
  });

  app.post<{ Params: TransactionParamsT; Body: ForceApproveRequestT }>(
    '/v3/integration-test/psppayments/:pspTransactionId/approve',
    { schema: { params: TransactionParams, body: ForceApproveRequest, headers: SystemHeaders } },
    async (req, reply) => {
      const row = await transaction(req, req.params.pspTransactionId);
      await engine.run((uow) => engine.commands.approve(uow, { id: row.paymentId }, { phoneNumber: msisdnOf(req.body.customerPhoneNumber), token: req.body.token }));
      // The approval waits for the PSP's answer to makePayment; the answer to this call waits too
      // (at most makePaymentTimeoutMs), so that a test reading details next sees its outcome.
      await engine.whenAnswered(row.paymentId);
      return reply.code(200).send();
    },
  );
}

const duplicateTransaction = (id: string) => new PspError(400, PSP_CODES.TRANSACTION_EXISTS, `PSP Transaction ID already exists: ${id}.`);

class DuplicateRace extends Error {
  constructor(readonly pspTransactionId: string) {
    super(`pspTransactionId ${pspTransactionId} was taken by a concurrent init`);
  }
}
