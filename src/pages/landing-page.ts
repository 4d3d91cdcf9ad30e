// The landing page behind a WEB_REDIRECT redirectUrl: the shopper enters a phone number, the
// request goes to that phone's app (the simulator), and the page waits for the decision.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/reasons.ts';
import { pageStatusOf } from './refusal-status.ts';
import type { Payment } from '../domain/payment.ts';
import { DEFAULT_PREFIX, NORDIC_PREFIXES, splitMsisdn, toMsisdn } from '../domain/phone-number.ts';
import { landingTimedOut } from '../domain/shopper-journey.ts';
import { readCookies, setCookie } from './cookies.ts';
import { donePage, entryPage, sentAgainPage, waitPage, type EntryForm, type LandingContext } from './landing-views.ts';
import { sendPage } from './layout.ts';
import { merchantNameOf } from './payment-parts.ts';
import { refusalText } from './i18n/messages.ts';
import { isMobile, paymentOr404, returnUrlOf, shopperMessages, type PagesContext } from './pages-context.ts';
import { appPaymentPath, landingPaths } from './paths.ts';

const REMEMBER_COOKIE = 'vl_phone';
const REMEMBER_SECONDS = 365 * 24 * 3600;

export const TokenQuery = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 400 }),
  mobile: Type.Optional(Type.String()),
  desktop: Type.Optional(Type.String()),
});
const SendBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 400 }),
  csrf: Type.String({ maxLength: 100 }),
  prefix: Type.String({ maxLength: 4 }),
  phone: Type.String({ maxLength: 40 }),
  remember: Type.Optional(Type.String({ maxLength: 5 })),
});
const CancelBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 400 }),
  csrf: Type.String({ maxLength: 100 }),
  reason: Type.Optional(Type.Union([Type.Literal('cancel'), Type.Literal('back')])),
});

export function landingRoutes(app: FastifyInstance, ctx: PagesContext): void {
  const { engine, directory, clock } = ctx.face;

  const context = (req: FastifyRequest, reply: FastifyReply, p: Payment): LandingContext => ({
    p,
    merchant: merchantNameOf(directory, p),
    now: clock.now(),
    csrf: ctx.security.csrfToken(req, reply, p.token),
    t: shopperMessages(req, reply),
  });

  /** Where a payment that is no longer at the phone-number step belongs. */
  const elsewhere = (p: Payment, now: number): string | null => {
    const paths = landingPaths(p.token);
    if (p.state !== 'CREATED' || landingTimedOut(p, now)) return paths.done;
    if (p.pendingApproval) return paths.wait;
    return null;
  };

  const entryForm = (req: FastifyRequest, p: Payment): EntryForm => {
    const remembered = readCookies(req)[REMEMBER_COOKIE];
    const [prefix, phone] = remembered?.split(':') ?? [];
    if (prefix && phone && NORDIC_PREFIXES.some((x) => x.code === prefix) && /^\d{4,12}$/.test(phone)) return { prefix, phone, remember: true };
    const fromMerchant = p.customerPhone ? splitMsisdn(p.customerPhone) : null;
    return fromMerchant ? { prefix: fromMerchant.prefix, phone: fromMerchant.national, remember: false } : { prefix: DEFAULT_PREFIX, phone: '', remember: false };
  };

  app.get<{ Querystring: Static<typeof TokenQuery> }>('/landing', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const p = await paymentOr404(ctx, req.query.token, reply, 'landing');
    if (!p) return reply;
    // On a phone (and for the flows that have no landing page) the app opens at once.
    if (p.terms.userFlow !== 'WEB_REDIRECT' || isMobile(req, req.query)) return reply.redirect(appPaymentPath(p.token), 303);
    const now = clock.now();
    const away = elsewhere(p, now);
    if (away) return reply.redirect(away, 303);
    await engine.recordShopperStep(p, 'landing-opened');
    if (p.sentToPhoneAt !== undefined) return sendPage(reply, sentAgainPage(context(req, reply, p)));
    return sendPage(reply, entryPage(context(req, reply, p), entryForm(req, p)));
  });

  app.post<{ Body: Static<typeof SendBody> }>('/landing/send', { schema: { body: SendBody } }, async (req, reply) => {
    const { token, csrf, prefix, phone, remember } = req.body;
    const p = await paymentOr404(ctx, token, reply, 'landing');
    if (!p) return reply;
    ctx.security.checkPost(req, p.token, csrf);
    let sent: Payment;
    try {
      sent = await engine.sendPaymentToPhone(p.token, toMsisdn(prefix, phone));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await engine.recordShopperStep(p, 'number-refused', `${prefix} ${phone}: ${err.detail}`);
      const now = clock.now();
      const current = (await engine.getPaymentByToken(p.token)) ?? p;
      const away = elsewhere(current, now);
      if (away) return reply.redirect(away, 303);
      const form = { prefix, phone, remember: remember !== undefined, error: refusalText(shopperMessages(req, reply), err) };
      return sendPage(reply, entryPage(context(req, reply, current), form), pageStatusOf(err));
    }
    ctx.hub.paymentChanged(sent);
    await engine.recordShopperStep(p, 'number-entered', sent.customerPhone ?? null);
    const split = splitMsisdn(sent.customerPhone!);
    const secure = req.protocol === 'https';
    if (remember !== undefined && split) setCookie(reply, REMEMBER_COOKIE, `${split.prefix}:${split.national}`, { sameSite: 'Lax', maxAge: REMEMBER_SECONDS, secure });
    else if (readCookies(req)[REMEMBER_COOKIE]) setCookie(reply, REMEMBER_COOKIE, '', { sameSite: 'Lax', maxAge: 0, secure });
    return reply.redirect(landingPaths(p.token).wait, 303);
  });

  app.post<{ Body: Static<typeof CancelBody> }>('/landing/cancel', { schema: { body: CancelBody } }, async (req, reply) => {
    const p = await paymentOr404(ctx, req.body.token, reply, 'landing');
    if (!p) return reply;
    ctx.security.checkPost(req, p.token, req.body.csrf);
    try {
      const aborted = await engine.reject({ id: p.id }, { token: p.token });
      ctx.hub.paymentChanged(aborted);
      await engine.recordShopperStep(p, 'landing-cancelled', req.body.reason === 'back' ? 'went back from the waiting page' : null);
    } catch (err) {
      // Already approved, expired or cancelled: the result page tells which.
      if (!(err instanceof DomainError)) throw err;
    }
    return reply.redirect(landingPaths(p.token).done, 303);
  });

  app.get<{ Querystring: Static<typeof TokenQuery> }>('/landing/wait', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const p = await paymentOr404(ctx, req.query.token, reply, 'landing');
    if (!p) return reply;
    if (p.state !== 'CREATED') return reply.redirect(landingPaths(p.token).done, 303);
    if (p.sentToPhoneAt === undefined && !p.pendingApproval) return reply.redirect(landingPaths(p.token).entry, 303);
    return sendPage(reply, waitPage(context(req, reply, p)));
  });

  app.get<{ Querystring: Static<typeof TokenQuery> }>('/landing/done', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const p = await paymentOr404(ctx, req.query.token, reply, 'landing');
    if (!p) return reply;
    const now = clock.now();
    if (p.state === 'CREATED' && !landingTimedOut(p, now)) {
      const paths = landingPaths(p.token);
      return reply.redirect(p.sentToPhoneAt !== undefined || p.pendingApproval ? paths.wait : paths.entry, 303);
    }
    const decided = p.state === 'AUTHORIZED' || p.state === 'ABORTED';
    return sendPage(reply, donePage(context(req, reply, p), returnUrlOf(p), decided));
  });
}
