// GET /vipps-local/v1/payments?msn=&state=&reference=&phone=&limit=&before= : payments, newest first,
// one page at a time (`next` is the `before` of the following page). What `vipps-local payments`
// prints; the dashboard's list reads the same engine query.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Payment } from '../../domain/payment.ts';
import type { FaceContext } from '../face-context.ts';
import { faceOf } from '../payment-face.ts';

const ListQuery = Type.Object(
  {
    msn: Type.Optional(Type.String({ pattern: '^[0-9]{4,10}$' })),
    state: Type.Optional(Type.String({ pattern: '^[A-Z_]{1,20}$' })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    phone: Type.Optional(Type.String({ pattern: '^\\d{8,15}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** A payment as the list shows it: amounts in minor units, times as ISO strings. */
export function paymentListView(p: Payment) {
  return {
    id: p.id,
    msn: p.msn,
    reference: p.reference,
    state: p.state,
    face: faceOf(p),
    userFlow: p.terms.userFlow,
    currency: p.currency,
    amount: p.amount,
    authorized: p.authorized,
    captured: p.captured,
    refunded: p.refunded,
    cancelled: p.cancelled,
    customerPhone: p.customerPhone ?? null,
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

export async function paymentListRoutes(app: FastifyInstance, ctx: FaceContext): Promise<void> {
  app.get<{ Querystring: Static<typeof ListQuery> }>('/payments', { schema: { querystring: ListQuery } }, async (req) => {
    const { msn, state, reference, phone, limit, before } = req.query;
    const page = await ctx.engine.listPayments({
      limit: Math.min(Math.max(Number(limit ?? 50), 1), 1000),
      ...(msn ? { msn } : {}),
      ...(state ? { state } : {}),
      ...(reference ? { reference } : {}),
      ...(phone ? { customerPhone: phone } : {}),
      ...(before ? { before } : {}),
    });
    return { payments: page.payments.map(paymentListView), next: page.next };
  });
}
