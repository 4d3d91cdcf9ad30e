// The dashboard's buttons on a payment and its deliveries: approve (as a chosen test user, with a
// chosen test card), reject, expire (the platform's test clock moves past the payment's deadline:
// docs/decisions.md, "Dashboard (issue 17)"), and resend or retry a webhook delivery now. Each is
// a POST form with the dashboard's CSRF token; the answer redirects back (303) with a fixed notice,
// or shows the page again with the refusal.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/reasons.ts';
import { ClockBoundError } from '../../platform/clock.ts';
import { letDeadlinePass, notWaitingDetail } from '../../engine/test-clock.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { CSRF_SCOPE, renderPaymentPage, type Notice } from './payment-page.ts';
import { pagePath } from './view-parts.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const CsrfBody = Type.Object({ csrf: Type.String({ maxLength: 100 }) });
const ApproveBody = Type.Object({ csrf: Type.String({ maxLength: 100 }), phone: Type.String({ pattern: '^\\d{8,15}$' }), card: Type.String({ maxLength: 40 }) });
const RedeliverParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,15}$' }) });
const RedeliverBody = Type.Object({ csrf: Type.String({ maxLength: 100 }), back: Type.Optional(Type.String({ maxLength: 64 })) });


export function paymentActionRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { engine, clock } = ctx.face;
  const done = (id: string, notice: Notice) => `${pagePath({ id })}?done=${notice}`;

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ApproveBody> }>('/dashboard/payments/:id/approve', { schema: { params: IdParams, body: ApproveBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    try {
      const after = await engine.approve({ id: req.params.id }, { phoneNumber: req.body.phone, card: req.body.card });
      return reply.redirect(done(req.params.id, after.state === 'AUTHORIZED' ? 'approved' : 'approval-held'), 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return renderPaymentPage(ctx, req, reply, req.params.id, { error: `Not approved: ${err.detail}` }, err.reason === 'PAYMENT_NOT_FOUND' ? 404 : 409);
    }
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CsrfBody> }>('/dashboard/payments/:id/reject', { schema: { params: IdParams, body: CsrfBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    try {
      await engine.reject({ id: req.params.id });
      return reply.redirect(done(req.params.id, 'rejected'), 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return renderPaymentPage(ctx, req, reply, req.params.id, { error: `Not rejected: ${err.detail}` }, err.reason === 'PAYMENT_NOT_FOUND' ? 404 : 409);
    }
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CsrfBody> }>('/dashboard/payments/:id/expire', { schema: { params: IdParams, body: CsrfBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    const refuse = (error: string, status: number) => renderPaymentPage(ctx, req, reply, req.params.id, { error }, status);
    if (!ctx.testClock) return refuse('The test clock is disabled (--no-test-clock): the deadline cannot be reached early.', 403);
    const id = req.params.id;
    let outcome;
    try {
      outcome = await letDeadlinePass(engine, clock, { id });
    } catch (err) {
      if (err instanceof DomainError) return refuse(err.detail, 404);
      if (err instanceof ClockBoundError) return refuse(err.message, 409);
      throw err;
    }
    if (!outcome.wasWaiting) return refuse(notWaitingDetail(outcome.state), 409);
    if (outcome.state === 'CREATED') return refuse('The clock moved past the deadline, but the payment is still CREATED.', 500);
    return reply.redirect(outcome.state === 'EXPIRED' ? done(id, 'expired') : pagePath({ id }), 303);
  });

  app.post<{ Params: Static<typeof RedeliverParams>; Body: Static<typeof RedeliverBody> }>('/dashboard/deliveries/:id/redeliver', { schema: { params: RedeliverParams, body: RedeliverBody } }, async (req, reply) => {
    ctx.security.checkPost(req, CSRF_SCOPE, req.body.csrf);
    const outcome = await ctx.deliveries.redeliver(Number(req.params.id));
    const back = req.body.back;
    if (outcome === 'scheduled') return reply.redirect(back ? done(back, 'redelivered') : '/dashboard/webhooks?done=redelivered', 303);
    const error = outcome === 'not-found' ? 'No such delivery (a reset may have removed it).' : 'Its registration is deleted: the delivery has nowhere to go.';
    if (back) return renderPaymentPage(ctx, req, reply, back, { error }, outcome === 'not-found' ? 404 : 409);
    return reply.redirect(`/dashboard/webhooks?error=${outcome}`, 303);
  });
}
