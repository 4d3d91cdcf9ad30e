// The shopper pages as one Fastify plugin: landing page, phone-app simulator, QR images, and the
// live-update endpoints they share. Pages call engine use-cases only, never the store.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { openDeadline } from '../domain/shopper-journey.ts';
import type { FaceContext } from '../faces/face-context.ts';
import type { OmReader } from '../faces/order-management/om-store.ts';
import { appRoutes } from './app-pages.ts';
import { createPageSecurity, CrossSiteError } from './csrf.ts';
import { landingRoutes } from './landing-page.ts';
import { problemPage } from './landing-views.ts';
import { sendPage } from './layout.ts';
import { shopperMessages } from './pages-context.ts';
import { createLiveHub } from './live-hub.ts';
import { viewOf } from './payment-parts.ts';
import type { PagesContext } from './pages-context.ts';
import { qrRoutes } from './qr-route.ts';
import { createEventStreams } from './sse.ts';
import type { Limits } from '../platform/limits.ts';

const TokenQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 400 }) });

export async function pagesRoutes(app: FastifyInstance, face: FaceContext, om: OmReader, limits: Pick<Limits, 'eventStreams' | 'eventStreamsPerClient'>): Promise<void> {
  const security = createPageSecurity(await face.engine.pagesSecret());
  const hub = createLiveHub(
    async (id) => face.engine.getPayment({ id }),
    (err, what) => app.log.error({ err }, `live page updates: ${what} failed`),
  );
  const streams = createEventStreams({ perClient: limits.eventStreamsPerClient, total: limits.eventStreams });
  const ctx: PagesContext = { face, security, hub, streams, om };

  const unsubscribe = face.engine.onCommitted((events) => hub.eventsCommitted(events));
  const unsubscribeQuiet = face.engine.onQuietChange((p) => hub.paymentChanged(p));
  app.addHook('preClose', async () => {
    unsubscribe();
    unsubscribeQuiet();
    streams.closeAll();
  });

  // Forms post application/x-www-form-urlencoded; only the pages accept it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const now = face.clock.now();
    const t = shopperMessages(req, reply);
    if (err instanceof CrossSiteError) {
      req.log.warn({ reason: err.message }, 'cross-site page request refused');
      return sendPage(reply, problemPage(now, t.refusedTitle, t.refusedText, t), 403);
    }
    if (err.validation || (err.statusCode !== undefined && err.statusCode < 500)) {
      return sendPage(reply, problemPage(now, t.badRequestTitle, t.badRequestText, t), err.statusCode ?? 400);
    }
    req.log.error({ err }, 'page failed');
    return sendPage(reply, problemPage(now, t.failedTitle, t.failedText, t), 500);
  });

  // What a page needs to know to stay current (polled, and fetched after each server-sent event).
  app.get<{ Querystring: Static<typeof TokenQuery> }>('/payment/status', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const p = await face.engine.getPaymentByToken(req.query.token);
    if (!p) return reply.code(404).send({ message: 'No payment has this token.' });
    const now = face.clock.now();
    return { state: p.state, version: p.version, view: viewOf(p, now), now, expiresAt: p.expiresAt, openDeadline: openDeadline(p) };
  });

  app.get<{ Querystring: Static<typeof TokenQuery> }>('/payment/events', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const p = await face.engine.getPaymentByToken(req.query.token);
    if (!p) return reply.code(404).header('cache-control', 'no-store').send({ message: 'No payment has this token.' });
    const opened = streams.open(req, reply, (changed) => hub.watchPayment(p.id, changed));
    if (opened) return reply.code(429).header('cache-control', 'no-store').header('retry-after', '10').send({ message: opened.refused });
    return reply;
  });

  landingRoutes(app, ctx);
  appRoutes(app, ctx);
  qrRoutes(app, ctx);
}
