// Operator tools for the developer running vipps-local: health, test clock, reset. Who may call
// them: operator-access.ts; a merchant's own view of its deliveries and requests: merchant-view.ts.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { NO_FAULTS, type LoggedDelivery, type WebhookFaults } from '../../store/store.ts';
import type { FaceContext } from '../face-context.ts';
import type { WebhookStore } from '../webhooks/webhook-store.ts';
import { DomainError } from '../../domain/reasons.ts';
import { DEFAULT_APPROVER } from '../../engine/approve-payment.ts';
import { ClockBoundError } from '../../platform/clock.ts';
import { advanceClock } from '../../engine/test-clock.ts';
import type { RequestLog } from '../../platform/request-log/request-log.ts';
import { requestLogQuery, requestLogResponse } from '../../platform/request-log/operator-view.ts';
import { DeliveryQuery, deliveryView, Faults } from './merchant-view.ts';
import { setRegistrationFaults } from '../webhooks/registration-faults.ts';
import { operatorAccessHook, type OperatorAccessOptions } from './operator-access.ts';
import { paymentActionRoutes, salesUnitOf } from './payment-actions.ts';
import { paymentListRoutes } from './payment-list.ts';
import type { Checklist } from '../../checklist/checklist.ts';
import { checklistQuery } from '../../checklist/checklist-query.ts';

export const OPERATOR_PREFIX = '/vipps-local/v1';

const AdvanceClock = Type.Object(
  {
    seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 3600 })),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 60 })),
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 })),
  },
  { additionalProperties: false },
);

const Address = Type.Object(
  {
    addressLine1: Type.String({ minLength: 1, maxLength: 200 }),
    addressLine2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    postCode: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
const ExpressApproval = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 64 }),
    msn: Type.Optional(Type.String({ pattern: '^[0-9]{4,10}$' })),
    phoneNumber: Type.Optional(Type.String({ pattern: '^\\d{9,15}$' })),
    address: Type.Optional(Address),
    shippingOptionId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export interface OperatorOptions {
  testClock: boolean;
  webhooks: WebhookStore;
  /** The outbox's deliveries with their attempts, newest first. */
  deliveryLog(filter: { msn?: string; reference?: string; targetId?: string; limit: number }): Promise<LoggedDelivery[]>;
  /** Every API request, newest first. */
  requestLog: RequestLog;
  reset(): Promise<void>;
  webhookFaults(): WebhookFaults;
  setWebhookFaults(faults: WebhookFaults): void;
  /** Who may call (operator-access.ts). */
  access: OperatorAccessOptions;
  /** The go-live check of a sales unit (checklist/gather-checklist.ts). */
  checklist(msn: string): Promise<Checklist>;
}

export async function operatorRoutes(app: FastifyInstance, ctx: FaceContext, options: OperatorOptions): Promise<void> {
  app.addHook('onRequest', operatorAccessHook(options.access));
  const clockState = () => ({ now: new Date(ctx.clock.now()).toISOString(), offsetSeconds: Math.floor(ctx.clock.offset / 1000), testClock: options.testClock });

  await paymentActionRoutes(app, ctx, { testClock: options.testClock });
  await paymentListRoutes(app, ctx);

  app.get('/health', async () => ({ status: 'ok', time: new Date(ctx.clock.now()).toISOString() }));

  app.get('/clock', async () => clockState());

  app.post<{ Body: Static<typeof AdvanceClock> }>('/clock/advance', { schema: { body: AdvanceClock } }, async (req, reply) => {
    if (!options.testClock) return reply.code(403).send({ statusCode: 403, message: 'The test clock is disabled (--no-test-clock).' });
    const { seconds = 0, minutes = 0, days = 0 } = req.body;
    let settled: number;
    try {
      settled = await advanceClock(ctx.engine, ctx.clock, ((days * 24 + 0) * 3600 + minutes * 60 + seconds) * 1000);
    } catch (err) {
      if (!(err instanceof ClockBoundError)) throw err;
      return reply.code(400).send({ statusCode: 400, message: err.message });
    }
    return { ...clockState(), settledPayments: settled };
  });

  // Why did my receiver not get it? Every delivery with every attempt, newest first.
  app.get<{ Querystring: Static<typeof DeliveryQuery> }>(
    '/webhook-deliveries',
    { schema: { querystring: DeliveryQuery } },
    async (req) => {
      const { limit, webhookId, ...filter } = req.query;
      const deliveries = await options.deliveryLog({ ...filter, ...(webhookId !== undefined ? { targetId: webhookId } : {}), limit: Math.min(Number(limit ?? 100), 1000) });
      return { deliveries: deliveries.map(deliveryView) };
    },
  );

  // What did my integration send, and what did it get? Every API request, newest first.
  app.get('/requests', async (req, reply) => {
    const query = requestLogQuery(req.query as Record<string, unknown>);
    if ('error' in query) return reply.code(400).send({ statusCode: 400, message: query.error });
    return requestLogResponse(await options.requestLog.list(query.filter), options.requestLog.dropped);
  });

  // The go-live check: what the integration of a sales unit did, judged against the platform's checklist.
  app.get('/checklist', async (req, reply) => {
    const asked = checklistQuery(req.query as Record<string, unknown>, ctx.directory.merchants.flatMap((m) => m.salesUnits.map((u) => u.msn)), 'operator');
    return 'msn' in asked ? options.checklist(asked.msn) : reply.code(asked.statusCode).send(asked);
  });

  app.get('/webhook-faults', async () => options.webhookFaults());
  app.put<{ Body: Static<typeof Faults> }>('/webhook-faults', { schema: { body: Faults } }, async (req) => {
    options.setWebhookFaults({ ...NO_FAULTS, ...req.body });
    return options.webhookFaults();
  });
  app.put<{ Params: { id: string }; Body: Static<typeof Faults> }>('/webhooks/:id/faults', { schema: { body: Faults } }, async (req, reply) => {
    const faults = { ...NO_FAULTS, ...req.body };
    if (!(await setRegistrationFaults(ctx.engine, options.webhooks, req.params.id, faults))) {
      return reply.code(404).send({ statusCode: 404, message: `No webhook ${req.params.id}.` });
    }
    return faults;
  });

  // Express for test suites: what a shopper does in the app (pick an address, get the shipping
  // options for it, pick one, pay), in one call; force approve does not support Express.
  app.post<{ Body: Static<typeof ExpressApproval> }>('/express/approve', { schema: { body: ExpressApproval } }, async (req, reply) => {
    const { engine, directory } = ctx;
    const msn = salesUnitOf(ctx, req.body.msn);
    if (!msn) return reply.code(400).send({ statusCode: 400, message: 'Name the sales unit: "msn" (several are configured).' });
    const key = { msn, reference: req.body.reference };
    try {
      const payment = await engine.getPayment(key);
      const phone = req.body.phoneNumber ?? payment.customerPhone ?? DEFAULT_APPROVER;
      const address = req.body.address ?? directory.user(phone)?.address;
      if (!address) return reply.code(400).send({ statusCode: 400, message: `Test user ${phone} has no address: send "address".` });
      const offered = await engine.offerShipping(key, address);
      const approved = await engine.approve(key, { phoneNumber: phone, ...(req.body.shippingOptionId !== undefined ? { shippingOptionId: req.body.shippingOptionId } : {}) });
      return { state: approved.state, amount: approved.amount, shippingDetails: approved.shippingDetails ?? null, offered: offered.shippingOffer?.groups ?? [] };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return reply.code(err.reason === 'PAYMENT_NOT_FOUND' ? 404 : 400).send({ statusCode: err.reason === 'PAYMENT_NOT_FOUND' ? 404 : 400, reason: err.reason, message: err.detail });
    }
  });

  app.post('/reset', async () => {
    await options.reset();
    return { status: 'reset' };
  });
}
