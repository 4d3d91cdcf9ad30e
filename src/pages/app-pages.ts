// The phone-app simulator (/app): log in with a phone number, see incoming payment requests live,
// open one, choose a test card, Pay or Reject; then back to the merchant.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/reasons.ts';
import { pageStatusOf } from './refusal-status.ts';
import type { Payment } from '../domain/payment.ts';
import { DEFAULT_PREFIX, toMsisdn } from '../domain/phone-number.ts';
import { cardById, DEFAULT_CARD_ID } from '../domain/test-cards.ts';
import { INTERCEPT_SUCCESS, tokenFromLink } from '../faces/links.ts';
import { homePage, inboxFragment, otherUserPage, payPage, resultPage, signInPage } from './app-views.ts';
import { sendPage } from './layout.ts';
import { appOrderDetails, historyOrders } from './app-order-details.ts';
import { orderDetailsSection } from './order-details-view.ts';
import { merchantNameOf } from './payment-parts.ts';
import { refusalText, type Messages } from './i18n/messages.ts';
import { paymentOr404, returnUrlOf, shopperMessages, type PagesContext } from './pages-context.ts';
import { appPaymentPath, safeAppPath } from './paths.ts';

const APP_SCOPE = 'app';
const payScope = (phone: string, token: string) => `app-pay\u0000${phone}\u0000${token}`;

const PaymentQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 400 }), done: Type.Optional(Type.String()) });
const InterceptQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 400 }), transactionId: Type.Optional(Type.String({ maxLength: 100 })), responsecode: Type.Optional(Type.String({ maxLength: 40 })) });
const SignInBody = Type.Object({
  csrf: Type.String({ maxLength: 100 }),
  prefix: Type.String({ maxLength: 4 }),
  phone: Type.String({ maxLength: 40 }),
  next: Type.Optional(Type.String({ maxLength: 1000 })),
});
const SignOutBody = Type.Object({ csrf: Type.String({ maxLength: 100 }), next: Type.Optional(Type.String({ maxLength: 1000 })) });
const DecisionBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 400 }),
  csrf: Type.String({ maxLength: 100 }),
  card: Type.Optional(Type.String({ maxLength: 40 })),
  shippingOption: Type.Optional(Type.String({ maxLength: 200 })),
});
const ShippingBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 400 }),
  csrf: Type.String({ maxLength: 100 }),
  address: Type.String({ maxLength: 10 }),
  addressLine1: Type.Optional(Type.String({ maxLength: 200 })),
  postCode: Type.Optional(Type.String({ maxLength: 20 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  country: Type.Optional(Type.String({ maxLength: 2 })),
});
const OpenQuery = Type.Object({ link: Type.Optional(Type.String({ maxLength: 2000 })) });

export function appRoutes(app: FastifyInstance, ctx: PagesContext): void {
  const { engine, directory, clock } = ctx.face;
  const merchantOf = (p: Payment) => merchantNameOf(directory, p);
  const inboxOf = async (phone: string) => {
    const inbox = await engine.paymentsOfPhone(phone);
    return { inbox, orders: await historyOrders(ctx.om, inbox.history) };
  };
  /** Read on every view: a newer category (a RECEIPT after an ORDER_CONFIRMATION) shows on the next load. */
  const orderOf = async (p: Payment, t: Messages) => orderDetailsSection(await appOrderDetails(ctx.om, p), p.currency, p.amount, t);

  const signInScreen = (req: FastifyRequest, reply: FastifyReply, next: string, status = 200, form = { prefix: DEFAULT_PREFIX, phone: '' }, error?: string) =>
    sendPage(
      reply,
      signInPage({
        now: clock.now(),
        csrf: ctx.security.csrfToken(req, reply, APP_SCOPE),
        next,
        testUsers: directory.testUsers,
        acceptAnyUser: directory.acceptAnyUser,
        t: shopperMessages(req, reply),
        ...form,
        ...(error ? { error } : {}),
      }),
      status,
    );

  const home = async (req: FastifyRequest, reply: FastifyReply, phone: string, error?: string, status = 200) => {
    const { inbox, orders } = await inboxOf(phone);
    const now = clock.now();
    const t = shopperMessages(req, reply);
    return sendPage(
      reply,
      homePage({ now, t, user: engine.appUser(phone), phone, csrf: ctx.security.csrfToken(req, reply, APP_SCOPE), inbox: inboxFragment(inbox, merchantOf, now, t, orders), ...(error ? { error } : {}) }),
      status,
    );
  };

  /** The payment screen, or the result when the payment can no longer be decided. */
  const paymentScreen = async (req: FastifyRequest, reply: FastifyReply, p: Payment, phone: string, options: { error?: string; card?: string; justDecided?: boolean; status?: number } = {}) => {
    const now = clock.now();
    const t = shopperMessages(req, reply);
    const merchant = merchantOf(p);
    if (p.customerPhone && p.customerPhone !== phone) {
      return sendPage(reply, otherUserPage(now, p, merchant, phone, ctx.security.csrfToken(req, reply, APP_SCOPE), t), options.status ?? 200);
    }
    if (p.state === 'CREATED' && !p.pendingApproval) {
      const card = options.card && cardById(options.card) ? options.card : DEFAULT_CARD_ID;
      const address = directory.user(phone)?.address;
      const view = {
        now,
        p,
        merchant,
        phone,
        csrf: ctx.security.csrfToken(req, reply, payScope(phone, p.token)),
        card,
        t,
        order: await orderOf(p, t),
        ...(p.terms.shipping ? { addresses: address ? [address] : [] } : {}),
        // A payment provider's decline of the last approval: the shopper sees why and may try again.
        ...(options.error ? { error: options.error } : p.lastDecline ? { error: p.lastDecline } : {}),
      };
      return sendPage(reply, payPage(view), options.status ?? 200);
    }
    const returnUrl = returnUrlOf(p);
    // The best-effort return to the merchant right after a decision on this device. A request that
    // came by push, or from a desktop landing page, has no shop open on this device to return to.
    const returnsHere = options.justDecided && p.terms.userFlow !== 'PUSH_MESSAGE' && p.sentToPhoneAt === undefined && (p.state === 'AUTHORIZED' || p.state === 'ABORTED');
    const view = { now, t, p, merchant, returnUrl, autoReturnUrl: returnsHere ? returnUrl : null, order: await orderOf(p, t), ...(options.error ? { error: options.error } : {}) };
    return sendPage(reply, resultPage(view), options.status ?? 200);
  };

  app.get('/app', async (req, reply) => {
    const phone = ctx.security.signedInPhone(req);
    if (!phone || !directory.user(phone)) return signInScreen(req, reply, '/app');
    return home(req, reply, phone);
  });

  app.post<{ Body: Static<typeof SignInBody> }>('/app/sign-in', { schema: { body: SignInBody } }, async (req, reply) => {
    const { csrf, prefix, phone, next } = req.body;
    ctx.security.checkPost(req, APP_SCOPE, csrf);
    let msisdn: string;
    try {
      msisdn = toMsisdn(prefix, phone);
      engine.appUser(msisdn);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return signInScreen(req, reply, safeAppPath(next), pageStatusOf(err), { prefix, phone }, refusalText(shopperMessages(req, reply), err));
    }
    ctx.security.signIn(req, reply, msisdn);
    return reply.redirect(safeAppPath(next), 303);
  });

  app.post<{ Body: Static<typeof SignOutBody> }>('/app/sign-out', { schema: { body: SignOutBody } }, async (req, reply) => {
    ctx.security.checkPost(req, APP_SCOPE, req.body.csrf);
    ctx.security.signOut(req, reply);
    return reply.redirect(safeAppPath(req.body.next), 303);
  });

  app.get('/app/inbox', async (req, reply) => {
    const phone = ctx.security.signedInPhone(req);
    if (!phone) return reply.code(401).type('text/plain; charset=utf-8').send('Log in first.');
    const { inbox, orders } = await inboxOf(phone);
    const now = clock.now();
    const t = shopperMessages(req, reply);
    const fragment = inboxFragment(inbox, merchantOf, now, t, orders);
    return reply
      .header('cache-control', 'no-store')
      .header('content-language', t.tag)
      .header('vary', 'Accept-Language, Cookie')
      .header('x-content-type-options', 'nosniff')
      .header('x-server-now', String(now))
      .type('text/html; charset=utf-8')
      .send(fragment.value);
  });

  app.get('/app/events', async (req, reply) => {
    const phone = ctx.security.signedInPhone(req);
    if (!phone) return reply.code(401).type('text/plain; charset=utf-8').send('Log in first.');
    const opened = ctx.streams.open(req, reply, (changed) => ctx.hub.watchPhone(phone, changed));
    if (opened) return reply.code(429).header('cache-control', 'no-store').header('retry-after', '10').type('text/plain; charset=utf-8').send(opened.refused);
    return reply;
  });

  app.get<{ Querystring: Static<typeof OpenQuery> }>('/app/open', { schema: { querystring: OpenQuery } }, async (req, reply) => {
    const token = tokenFromLink(req.query.link ?? '');
    if (token && (await engine.getPaymentByToken(token))) return reply.redirect(appPaymentPath(token), 303);
    const phone = ctx.security.signedInPhone(req);
    const t = shopperMessages(req, reply);
    if (!phone) return signInScreen(req, reply, '/app', 404, undefined, t.notALink);
    return home(req, reply, phone, t.notALinkHome, 404);
  });

  app.get<{ Querystring: Static<typeof PaymentQuery> }>('/app/payment', { schema: { querystring: PaymentQuery } }, async (req, reply) => {
    const p = await paymentOr404(ctx, req.query.token, reply, 'app');
    if (!p) return reply;
    const phone = ctx.security.signedInPhone(req);
    if (!phone) {
      const fromMerchant = p.customerPhone ? { prefix: DEFAULT_PREFIX, phone: `+${p.customerPhone}` } : undefined;
      return signInScreen(req, reply, appPaymentPath(p.token), 200, fromMerchant);
    }
    if (req.query.done === undefined) await engine.recordShopperStep(p, 'app-opened', phone);
    return paymentScreen(req, reply, p, phone, { justDecided: req.query.done !== undefined });
  });

  // The picture of the payment's category, for whoever may see the payment screen (the same rule:
  // signed in, and the user the request was sent to). Anything else is a 404, telling nothing.
  app.get<{ Querystring: Static<typeof PaymentQuery> }>('/app/payment/image', { schema: { querystring: PaymentQuery } }, async (req, reply) => {
    const notFound = () => reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No image.');
    const phone = ctx.security.signedInPhone(req);
    const p = phone ? await engine.getPaymentByToken(req.query.token) : null;
    if (!phone || !p || (p.customerPhone && p.customerPhone !== phone)) return notFound();
    const category = (await ctx.om.categories(p.msn, p.reference)).at(-1);
    const image = category?.imageId ? await ctx.om.image(p.msn, category.imageId) : null;
    if (!image || (image.mime !== 'image/png' && image.mime !== 'image/jpeg')) return notFound();
    // The category (and so its picture) can change: never cached.
    return reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').type(image.mime).send(Buffer.from(image.base64, 'base64'));
  });

  // PSP payments: the PSP's 3-D Secure page sends the shopper back to the intercept URL it was given
  // (faces/links.ts `mobileInterceptUrl`), which the app intercepts, as the real app does:
  // responsecode OK sends makePayment again, anything else releases the approval.
  app.get<{ Querystring: Static<typeof InterceptQuery> }>('/app/mobileintercept', { schema: { querystring: InterceptQuery } }, async (req, reply) => {
    const p = await paymentOr404(ctx, req.query.token, reply, 'app');
    if (!p) return reply;
    const succeeded = req.query.responsecode === INTERCEPT_SUCCESS;
    await engine.challengeReturned(p, succeeded, `3-D Secure was not completed (responsecode ${req.query.responsecode ?? 'missing'}). Try again, or choose another card.`);
    return reply.redirect(appPaymentPath(p.token), 303);
  });

  const decision = (kind: 'approve' | 'reject') =>
    async (req: FastifyRequest<{ Body: Static<typeof DecisionBody> }>, reply: FastifyReply) => {
      const { token, csrf, card, shippingOption } = req.body;
      const p = await paymentOr404(ctx, token, reply, 'app');
      if (!p) return reply;
      const phone = ctx.security.signedInPhone(req);
      if (!phone) return signInScreen(req, reply, appPaymentPath(p.token), 401);
      ctx.security.checkPost(req, payScope(phone, p.token), csrf);
      try {
        const after =
          kind === 'approve'
            ? await engine.approve({ id: p.id }, { phoneNumber: phone, token: p.token, ...(card !== undefined ? { card } : {}), ...(shippingOption ? { shippingOptionId: shippingOption } : {}) })
            : await engine.reject({ id: p.id }, { phoneNumber: phone, token: p.token });
        ctx.hub.paymentChanged(after);
        await engine.recordShopperStep(p, kind === 'approve' ? 'app-approved' : 'app-rejected', kind === 'approve' ? `${phone}${card !== undefined ? `, card ${card}` : ''}` : phone);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (kind === 'approve') await engine.recordShopperStep(p, 'app-declined', `${card !== undefined ? `card ${card}: ` : ''}${err.detail}`);
        const current = (await engine.getPaymentByToken(p.token)) ?? p;
        return paymentScreen(req, reply, current, phone, { error: refusalText(shopperMessages(req, reply), err), ...(card !== undefined ? { card } : {}), status: pageStatusOf(err) });
      }
      return reply.redirect(appPaymentPath(p.token, '&done=1'), 303);
    };

  // Express: the shopper chose where to deliver; the shop's options for that address are fetched and shown.
  app.post<{ Body: Static<typeof ShippingBody> }>('/app/payment/shipping', { schema: { body: ShippingBody } }, async (req, reply) => {
    const { token, csrf, address: choice, ...typed } = req.body;
    const p = await paymentOr404(ctx, token, reply, 'app');
    if (!p) return reply;
    const phone = ctx.security.signedInPhone(req);
    if (!phone) return signInScreen(req, reply, appPaymentPath(p.token), 401);
    ctx.security.checkPost(req, payScope(phone, p.token), csrf);
    const own = directory.user(phone)?.address;
    const address =
      choice === 'other'
        ? typed.addressLine1 && typed.postCode && typed.city && /^[A-Za-z]{2}$/.test(typed.country ?? '')
          ? { addressLine1: typed.addressLine1, postCode: typed.postCode, city: typed.city, country: typed.country!.toUpperCase() }
          : undefined
        : own;
    if (!address) return paymentScreen(req, reply, p, phone, { error: shopperMessages(req, reply).fillAddress, status: 400 });
    try {
      await engine.offerShipping({ id: p.id }, address);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const current = (await engine.getPaymentByToken(p.token)) ?? p;
      return paymentScreen(req, reply, current, phone, { error: refusalText(shopperMessages(req, reply), err), status: pageStatusOf(err) });
    }
    return reply.redirect(appPaymentPath(p.token), 303);
  });

  app.post('/app/payment/approve', { schema: { body: DecisionBody } }, decision('approve'));
  app.post('/app/payment/reject', { schema: { body: DecisionBody } }, decision('reject'));
}
