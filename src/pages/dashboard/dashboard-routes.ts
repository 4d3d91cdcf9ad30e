// The dashboard as one Fastify plugin: `/` (the payments list for a browser, the machine-readable
// index for a program), one payment, webhooks, the request log, the go-live check, clock and faults, the sign-in for
// the operator token, and the live-update stream. Behind dashboard-access.ts; no route is an API
// (the request log leaves this scope out).
import { prefers } from '../accept.ts';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FaceContext } from '../../faces/face-context.ts';
import { createPageSecurity, CrossSiteError } from '../csrf.ts';
import { html } from '../html.ts';
import { createEventStreams } from '../sse.ts';
import { checklistPage } from './checklist-page.ts';
import { clockRoutes } from './clock-page.ts';
import { dashboardVerdict, isOperatorToken, sessionValueOf, signInCookie } from './dashboard-access.ts';
import type { DashboardContext, DashboardOptions } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { paymentActionRoutes } from './payment-actions.ts';
import { NOTICES, renderPaymentPage, type Notice } from './payment-page.ts';
import { paymentsPage } from './payments-page.ts';
import { requestsPage } from './requests-page.ts';
import { SIGN_IN_PATH, SIGN_IN_SCOPE, signInPage } from './sign-in-page.ts';
import { webhookRoutes, webhooksPage } from './webhooks-page.ts';

const SignInBody = Type.Object({ csrf: Type.String({ maxLength: 100 }), token: Type.String({ maxLength: 400 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** A browser asks for a page (Accept prefers text/html); a program's fetch (no Accept, `*\/*`, JSON) gets JSON. */
export function wantsHtml(req: FastifyRequest): boolean {
  return prefers(req.headers.accept, 'text/html', 'application/json');
}

export async function dashboardRoutes(app: FastifyInstance, face: FaceContext, options: DashboardOptions): Promise<void> {
  const secret = await face.engine.pagesSecret();
  const ctx: DashboardContext = {
    ...options,
    face,
    security: createPageSecurity(secret),
    streams: createEventStreams({ perClient: options.limits.eventStreamsPerClient, total: options.limits.eventStreams }),
    sessionValue: sessionValueOf(secret, options.access.token),
  };

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const problem = (reply: FastifyReply, status: number, title: string, text: string) =>
    sendDashboard(reply, { title, section: 'none', now: face.clock.now(), content: html`<div class="panel sign-in"><h1>${title}</h1><p>${text}</p></div>` }, status);

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (path === SIGN_IN_PATH) return;
    if (path === '/' && !wantsHtml(req)) return; // the machine-readable index stays open, as before
    const verdict = dashboardVerdict(req, options.access, ctx.sessionValue);
    if (verdict.ok) return;
    reply.header('cache-control', 'no-store');
    if (verdict.status === 401 && req.method === 'GET' && wantsHtml(req)) return signInPage(ctx, req, reply, verdict.reason, 401);
    if (!wantsHtml(req)) return reply.code(verdict.status).type('application/json').send({ statusCode: verdict.status, message: verdict.reason });
    return problem(reply, verdict.status, verdict.status === 401 ? 'Sign in needed' : 'Request refused', verdict.reason);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof CrossSiteError) {
      req.log.warn({ reason: err.message }, 'cross-site dashboard request refused');
      return problem(reply, 403, 'Request refused', 'This action must be sent from the dashboard itself. Reload the page and try again.');
    }
    if (err.validation || (err.statusCode !== undefined && err.statusCode < 500)) return problem(reply, err.statusCode ?? 400, 'Bad request', err.message);
    req.log.error({ err }, 'dashboard page failed');
    return problem(reply, 500, 'Something went wrong', 'The dashboard could not show this page. Details are in the server log.');
  });

  const unsubscribe = [face.engine.onCommitted(() => changed()), face.engine.onQuietChange(() => changed()), options.deliveries.onAttempt(() => changed())];
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const w of [...watchers]) w();
  };
  app.addHook('preClose', async () => {
    for (const u of unsubscribe) u();
    ctx.streams.closeAll();
  });

  app.get('/', async (req, reply) => {
    if (!wantsHtml(req)) return reply.header('vary', 'Accept').send(options.index());
    reply.header('vary', 'Accept');
    return paymentsPage(ctx, req, reply);
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: { done?: string } }>('/dashboard/payments/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const done = req.query.done;
    const notice = done !== undefined && Object.hasOwn(NOTICES, done) ? (done as Notice) : undefined;
    return renderPaymentPage(ctx, req, reply, req.params.id, notice ? { notice } : {});
  });
  app.get('/dashboard/webhooks', async (req, reply) => webhooksPage(ctx, req, reply));
  app.get('/dashboard/requests', async (req, reply) => requestsPage(ctx, req, reply));
  app.get('/dashboard/checklist', async (req, reply) => checklistPage(ctx, req, reply));
  app.get('/dashboard', async (_req, reply) => reply.redirect('/', 302));

  // "Something changed": each dashboard page then fetches itself again (dashboard-script.ts).
  app.get('/dashboard/events', async (req, reply) => {
    const refused = ctx.streams.open(req, reply, (signal) => {
      watchers.add(signal);
      return () => watchers.delete(signal);
    });
    if (refused) return reply.code(429).header('cache-control', 'no-store').header('retry-after', '10').send({ message: refused.refused });
    return reply;
  });

  app.get(SIGN_IN_PATH, async (req, reply) => signInPage(ctx, req, reply));
  app.post<{ Body: Static<typeof SignInBody> }>(SIGN_IN_PATH, { schema: { body: SignInBody } }, async (req, reply) => {
    ctx.security.checkPost(req, SIGN_IN_SCOPE, req.body.csrf);
    if (!isOperatorToken(options.access, req.body.token)) return signInPage(ctx, req, reply, 'That is not the operator token.', 401);
    signInCookie(req, reply, ctx.sessionValue);
    return reply.redirect('/', 303);
  });
  app.post<{ Body: { csrf?: string } }>('/dashboard/sign-out', async (req, reply) => {
    ctx.security.checkPost(req, SIGN_IN_SCOPE, req.body?.csrf);
    signInCookie(req, reply, null);
    return reply.redirect(SIGN_IN_PATH, 303);
  });

  paymentActionRoutes(app, ctx);
  clockRoutes(app, ctx);
  webhookRoutes(app, ctx);
}
