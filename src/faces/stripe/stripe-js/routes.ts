// Serves vipps-local's Stripe.js (stripe-js.js beside this file) at /stripe-js/v3, the path a
// merchant page puts in its <script src> instead of https://js.stripe.com/v3 (README-section.md).
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const STRIPE_JS_PATH = '/stripe-js/v3';

export async function stripeJsRoutes(app: FastifyInstance): Promise<void> {
  // Read once: the file is part of the installed package and does not change while running.
  const script = await readFile(new URL('./stripe-js.js', import.meta.url), 'utf8');
  const send = async (_req: unknown, reply: FastifyReply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      // Short: a developer who upgrades vipps-local gets the new script within a minute.
      .header('cache-control', 'public, max-age=60')
      .header('x-content-type-options', 'nosniff')
      // A classic <script> needs no CORS, but `crossorigin` or a module import of it does.
      .header('access-control-allow-origin', '*')
      .send(script);
  app.get(STRIPE_JS_PATH, send);
  // Without strict paths the router already matches the trailing slash; with them it needs its own route.
  if (!app.findRoute({ method: 'GET', url: `${STRIPE_JS_PATH}/` })) app.get(`${STRIPE_JS_PATH}/`, send);
}
