// The test payment page behind `next_action.redirect_to_url.url` (the seed, "Test the integration"):
// "Authorize test payment" and "Fail test payment", or the real journey instead (vipps-local's
// landing page and phone-app simulator, as live mode does). Either way the shopper ends at
// `/stripe/return/…`, which sends them to the merchant's return_url with `payment_intent`,
// `payment_intent_client_secret`, `redirect_pm_type` and `redirect_status`.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Payment } from '../../domain/payment.ts';
import { DomainError } from '../../domain/reasons.ts';
import { createPageSecurity, CrossSiteError } from '../../pages/csrf.ts';
import { formatAmount } from '../../pages/format.ts';
import { html } from '../../pages/html.ts';
import { landingFrame, sendPage } from '../../pages/layout.ts';
import { problemPage } from '../../pages/landing-views.ts';
import type { FaceContext } from '../face-context.ts';
import { landingUrl } from '../links.ts';
import { stripeAttachmentOf, type IntentInternal } from './intent-model.ts';
import type { PaymentIntentObject } from './objects.ts';
import { STRIPE_PAGES_PREFIX } from './pages-paths.ts';
import type { StripeStore } from './stripe-store.ts';
import { accountIdOf } from './stripe-auth.ts';

const AttemptParams = Type.Object({ account: Type.String({ maxLength: 64 }), attempt: Type.String({ maxLength: 64 }) });
type AttemptParamsT = Static<typeof AttemptParams>;
const Decision = Type.Object({ csrf: Type.String({ maxLength: 100 }) });

export async function stripeTestPageRoutes(app: FastifyInstance, face: FaceContext, stripe: StripeStore): Promise<void> {
  const security = createPageSecurity(await face.engine.pagesSecret());
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler((err, req, reply) => {
    const now = face.clock.now();
    if (err instanceof CrossSiteError) return sendPage(reply, problemPage(now, 'Request refused', 'This action must be started from the vipps-local page itself. Reload the page and try again.'), 403);
    if ((err as { validation?: unknown }).validation) return sendPage(reply, problemPage(now, 'Bad request', 'The link is incomplete. Start again from the shop.'), 400);
    req.log.error({ err }, 'Stripe test page failed');
    return sendPage(reply, problemPage(now, 'Something went wrong', 'vipps-local could not show this page. Details are in the server log.'), 500);
  });

  /** The attempt's engine payment, found by its account and `pa_…` id (the engine reference). */
  async function attemptOf(account: string, attempt: string): Promise<{ payment: Payment; intent: PaymentIntentObject; internal: IntentInternal } | null> {
    const merchant = face.directory.merchants.find((m) => m.stripe && accountMatches(m.stripe.secretKey, account));
    if (!merchant?.stripe) return null;
    const payment = await face.engine.findPayment({ msn: merchant.stripe.msn, reference: attempt }).catch(() => null);
    const attachment = payment ? stripeAttachmentOf(payment) : undefined;
    if (!payment || !attachment || attachment.account !== account) return null;
    const settled = await face.engine.getPayment({ id: payment.id });
    const intent = await stripe.get<PaymentIntentObject, IntentInternal>(attachment.paymentIntent);
    return intent ? { payment: settled, intent: intent.data, internal: intent.internal } : null;
  }

  const notFound = (reply: FastifyReply) => sendPage(reply, problemPage(face.clock.now(), 'Payment not found', 'This test payment does not exist. Start again from the shop.'), 404);

  app.get<{ Params: AttemptParamsT }>(`${STRIPE_PAGES_PREFIX}/authorize/:account/:attempt`, { schema: { params: AttemptParams } }, async (req, reply) => {
    const found = await attemptOf(req.params.account, req.params.attempt);
    if (!found) return notFound(reply);
    const { payment, intent, internal } = found;
    const base = `${STRIPE_PAGES_PREFIX}/authorize/${encodeURIComponent(req.params.account)}/${encodeURIComponent(req.params.attempt)}`;
    if (payment.state !== 'CREATED') return reply.redirect(returnPath(req.params.account, req.params.attempt), 303);
    const csrf = security.csrfToken(req, reply, req.params.attempt);
    const content = html`<div class="stack-lg">
  <div class="stack">
    <p class="muted">Stripe test mode · Vipps</p>
    <h1>Test payment</h1>
    <p>${intent.description ?? 'A payment'} of <b data-testid="amount">${formatAmount('NOK', intent.amount)}</b>, made by the shop through Stripe.</p>
    <p class="muted">In test mode you decide what happens. In live mode the shopper would confirm in the Vipps app.</p>
  </div>
  <form method="post" action="${base}/authorize" class="stack"><input type="hidden" name="csrf" value="${csrf}">
    <button class="btn btn-primary" type="submit" data-testid="authorize">Authorize test payment</button>
  </form>
  <form method="post" action="${base}/fail" class="stack"><input type="hidden" name="csrf" value="${csrf}">
    <button class="btn btn-secondary" type="submit" data-testid="fail">Fail test payment</button>
  </form>
  <p class="center"><a href="${landingUrl('', payment.token)}" data-testid="journey">Go through the Vipps journey instead</a> (landing page and phone-app simulator)</p>
</div>`;
    // The buttons' forms end, through the return, at the merchant's return_url: its origin is a form target.
    const targets = internal.returnUrl ? [new URL(internal.returnUrl).origin] : [];
    return sendPage(reply, { title: 'Test payment · Vipps through Stripe', now: face.clock.now(), content: landingFrame(content) }, 200, targets);
  });

  for (const decision of ['authorize', 'fail'] as const) {
    app.post<{ Params: AttemptParamsT; Body: Static<typeof Decision> }>(
      `${STRIPE_PAGES_PREFIX}/authorize/:account/:attempt/${decision}`,
      { schema: { params: AttemptParams, body: Decision } },
      async (req, reply) => {
        security.checkPost(req, req.params.attempt, req.body.csrf);
        const found = await attemptOf(req.params.account, req.params.attempt);
        if (!found) return notFound(reply);
        try {
          if (decision === 'authorize') await face.engine.approve({ id: found.payment.id }, {});
          else await face.engine.reject({ id: found.payment.id }, {});
        } catch (err) {
          // Decided already (another tab, the 5 minutes ran out): the return page tells how it ended.
          if (!(err instanceof DomainError)) throw err;
        }
        return reply.redirect(returnPath(req.params.account, req.params.attempt), 303);
      },
    );
  }

  app.get<{ Params: AttemptParamsT }>(`${STRIPE_PAGES_PREFIX}/return/:account/:attempt`, { schema: { params: AttemptParams } }, async (req, reply) => {
    const found = await attemptOf(req.params.account, req.params.attempt);
    if (!found) return notFound(reply);
    const { intent, internal } = found;
    if (!internal.returnUrl) return sendPage(reply, problemPage(face.clock.now(), 'Payment finished', 'The shop gave no address to return to. You can close this page.'));
    return reply.redirect(merchantReturnUrl(internal.returnUrl, intent), 303);
  });
}

export const returnPath = (account: string, attempt: string) => `${STRIPE_PAGES_PREFIX}/return/${encodeURIComponent(account)}/${encodeURIComponent(attempt)}`;

/** The merchant's return_url with what Stripe appends, its own query kept (STRIPE-NOTES §2.2). */
export function merchantReturnUrl(returnUrl: string, pi: PaymentIntentObject): string {
  const url = new URL(returnUrl);
  url.searchParams.set('payment_intent', pi.id);
  url.searchParams.set('payment_intent_client_secret', pi.client_secret);
  url.searchParams.set('redirect_pm_type', 'vipps');
  url.searchParams.set('redirect_status', pi.status === 'succeeded' || pi.status === 'requires_capture' ? 'succeeded' : 'failed');
  return url.toString();
}

const accountMatches = (secretKey: string, account: string) => accountIdOf(secretKey) === account;
