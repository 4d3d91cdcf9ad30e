// What a shopper or time does to a payment, for scripts and the CLI (`vipps-local approve|reject|expire`):
//   POST /vipps-local/v1/payments/approve   { reference, msn?, phoneNumber?, card? }
//   POST /vipps-local/v1/payments/reject    { reference, msn?, phoneNumber? }
//   POST /vipps-local/v1/payments/expire    { reference, msn? }
// Each answers { msn, reference, state } with the payment's state afterwards. The same engine
// commands as the phone-app simulator's buttons; `msn` may be left out when one sales unit exists.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DomainError } from '../../domain/reasons.ts';
import { letDeadlinePass, notWaitingDetail } from '../../engine/test-clock.ts';
import { ClockBoundError } from '../../platform/clock.ts';
import type { FaceContext } from '../face-context.ts';

const Target = {
  reference: Type.String({ minLength: 1, maxLength: 100 }),
  msn: Type.Optional(Type.String({ pattern: '^[0-9]{4,10}$' })),
};
const Approve = Type.Object(
  { ...Target, phoneNumber: Type.Optional(Type.String({ pattern: '^\\d{9,15}$' })), card: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);
const Reject = Type.Object({ ...Target, phoneNumber: Type.Optional(Type.String({ pattern: '^\\d{9,15}$' })) }, { additionalProperties: false });
const Expire = Type.Object(Target, { additionalProperties: false });

/** An action that cannot be taken on this payment now (409). */
class Refused extends Error {}

/** The sales unit a call names, or the only one configured; undefined when it must be named. */
export function salesUnitOf(ctx: FaceContext, msn: string | undefined): string | undefined {
  const units = ctx.directory.merchants.flatMap((m) => m.salesUnits);
  return msn ?? (units.length === 1 ? units[0]!.msn : undefined);
}

export async function paymentActionRoutes(app: FastifyInstance, ctx: FaceContext, options: { testClock: boolean }): Promise<void> {
  const { engine } = ctx;
  const act = async (reply: FastifyReply, body: { reference: string; msn?: string }, action: (key: { msn: string; reference: string }) => Promise<unknown>) => {
    const msn = salesUnitOf(ctx, body.msn);
    if (!msn) return reply.code(400).send({ statusCode: 400, message: 'Name the sales unit: "msn" (several are configured).' });
    const key = { msn, reference: body.reference };
    try {
      await action(key);
      return { msn, reference: body.reference, state: (await engine.getPayment(key)).state };
    } catch (err) {
      if (err instanceof Refused) return reply.code(409).send({ statusCode: 409, message: err.message });
      if (!(err instanceof DomainError)) throw err;
      const status = err.reason === 'PAYMENT_NOT_FOUND' ? 404 : 409;
      return reply.code(status).send({ statusCode: status, reason: err.reason, message: err.detail });
    }
  };

  app.post<{ Body: Static<typeof Approve> }>('/payments/approve', { schema: { body: Approve } }, async (req, reply) => {
    const { phoneNumber, card } = req.body;
    return act(reply, req.body, (key) => engine.approve(key, { ...(phoneNumber ? { phoneNumber } : {}), ...(card ? { card } : {}) }));
  });
  app.post<{ Body: Static<typeof Reject> }>('/payments/reject', { schema: { body: Reject } }, async (req, reply) => {
    const { phoneNumber } = req.body;
    return act(reply, req.body, (key) => engine.reject(key, phoneNumber ? { phoneNumber } : {}));
  });
  app.post<{ Body: Static<typeof Expire> }>('/payments/expire', { schema: { body: Expire } }, async (req, reply) => {
    if (!options.testClock) return reply.code(403).send({ statusCode: 403, message: 'The test clock is disabled (--no-test-clock): a payment cannot be made to expire early.' });
    return act(reply, req.body, async (key) => {
      let outcome;
      try {
        outcome = await letDeadlinePass(engine, ctx.clock, key);
      } catch (err) {
        throw err instanceof ClockBoundError ? new Refused(err.message) : err;
      }
      if (!outcome.wasWaiting) throw new Refused(notWaitingDetail(outcome.state));
    });
  });
}
