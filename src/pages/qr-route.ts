// QR images for userFlow QR (the platform's qr-image.vipps.no): the code holds the target URL,
// which opens the payment in the phone-app simulator. Formats as the merchant asked in qrFormat.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { appUrl } from '../faces/links.ts';
import type { PagesContext } from './pages-context.ts';
import { createRenderCache, qrPng, qrSvg } from './qr-render.ts';

const QrQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 400 }) });
const DEFAULT_PNG_SIZE = 1024;
/** The documented range of qrFormat.size (PLATFORM-NOTES §3.2); create refuses others, this only guards. */
const MIN_PNG_SIZE = 100;
const MAX_PNG_SIZE = 2000;

export function qrRoutes(app: FastifyInstance, ctx: PagesContext): void {
  // A PNG of the largest size is about 40 KB: 8 MB holds a couple of hundred.
  const cache = createRenderCache<Buffer | string>(8 * 1024 * 1024);
  app.get<{ Querystring: Static<typeof QrQuery> }>('/qr/v1', { schema: { querystring: QrQuery } }, async (req, reply) => {
    const p = await ctx.face.engine.getPaymentByToken(req.query.token);
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (!p) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No payment has this QR code.\n');
    // The image never changes for a payment; whether it can still be paid, the app tells.
    reply.header('cache-control', 'private, max-age=600');
    const target = appUrl(ctx.face.baseUrl(), p.token);
    const format = p.terms.qrFormat ?? { format: 'IMAGE/SVG+XML' as const };
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
