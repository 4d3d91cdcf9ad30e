// QR images for userFlow QR (the platform's qr-image.vipps.no): the code holds the target URL,
// which opens the payment in the phone-app simulator. Formats as the merchant asked in qrFormat.
// A browser that opens the redirectUrl (its Accept prefers text/html to the image's type, or
// ?view=html) gets a page with the code, its link, "Open in simulator" and "Copy" (qr-view.ts);
// everyone else (img tags, curl, fetch, ?view=image) gets the image exactly as before.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { appUrl } from '../faces/links.ts';
import { prefers } from './accept.ts';
import { sendPage } from './layout.ts';
import { notFoundPage } from './landing-views.ts';
import { shopperMessages, type PagesContext } from './pages-context.ts';
import { appPaymentPath } from './paths.ts';
import { merchantNameOf } from './payment-parts.ts';
import { createRenderCache, qrPng, qrSvg } from './qr-render.ts';
import { qrPage } from './qr-view.ts';

// `view`: html (the page) or image; anything else is negotiated, as is its absence.
const QrQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 400 }), view: Type.Optional(Type.String({ maxLength: 20 })) });
const DEFAULT_PNG_SIZE = 1024;
/** The documented range of qrFormat.size (PLATFORM-NOTES §3.2); create refuses others, this only guards. */
const MIN_PNG_SIZE = 100;
const MAX_PNG_SIZE = 2000;

export function qrRoutes(app: FastifyInstance, ctx: PagesContext): void {
  // A PNG of the largest size is about 40 KB: 8 MB holds a couple of hundred.
  const cache = createRenderCache<Buffer | string>(8 * 1024 * 1024);
  app.get<{ Querystring: Static<typeof QrQuery> }>('/qr/v1', { schema: { querystring: QrQuery } }, async (req, reply) => {
    const p = await ctx.face.engine.getPaymentByToken(req.query.token);
    const format = p?.terms.qrFormat ?? { format: 'IMAGE/SVG+XML' as const };
    const imageType = format.format === 'IMAGE/PNG' ? 'image/png' : 'image/svg+xml';
    // TEXT/TARGETURL answers its text whoever asks: that redirectUrl is the simulator link itself.
    const page =
      format.format !== 'TEXT/TARGETURL' &&
      req.query.view !== 'image' &&
      (req.query.view === 'html' || prefers(req.headers.accept, 'text/html', imageType));
    // The answer depends on Accept: a cache must not hand the page to an img tag, or the image to a browser.
    if (format.format !== 'TEXT/TARGETURL' && req.query.view !== 'html' && req.query.view !== 'image') reply.header('vary', 'Accept');
    if (page) {
      const t = shopperMessages(req, reply);
      if (!p) return sendPage(reply, notFoundPage(ctx.face.clock.now(), 'landing', t), 404);
      const imagePath = `/qr/v1?token=${encodeURIComponent(p.token)}&view=image`;
      return sendPage(
        reply,
        qrPage({ p, merchant: merchantNameOf(ctx.face.directory, p), now: ctx.face.clock.now(), imagePath, target: appUrl(ctx.face.baseUrl(), p.token), appPath: appPaymentPath(p.token), t }),
      );
    }
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (!p) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No payment has this QR code.\n');
    // The image never changes for a payment; whether it can still be paid, the app tells.
    reply.header('cache-control', 'private, max-age=600');
    const target = appUrl(ctx.face.baseUrl(), p.token);
    switch (format.format) {
      case 'TEXT/TARGETURL':
        return reply.type('text/plain; charset=utf-8').send(target);
      case 'IMAGE/PNG': {
        const size = Math.min(MAX_PNG_SIZE, Math.max(MIN_PNG_SIZE, format.size ?? DEFAULT_PNG_SIZE));
        const png = await cache.get(`png\u0000${size}\u0000${target}`, () => qrPng(target, size));
        return reply.type('image/png').send(png);
      }
      case 'IMAGE/SVG+XML': {
        const svg = await cache.get(`svg\u0000${target}`, () => qrSvg(target));
        return reply.header('content-security-policy', "default-src 'none'").type('image/svg+xml').send(svg);
      }
    }
  });
}
