// What every page route needs: the face context (engine, directory, clock) and the pages' services.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Payment } from '../domain/payment.ts';
import { isAcceptableMerchantUrl } from '../domain/url-rules.ts';
import type { FaceContext } from '../faces/face-context.ts';
import type { OmReader } from '../faces/order-management/om-store.ts';
import type { PageSecurity } from './csrf.ts';
import { isSafeHref } from './html.ts';
import { requestLanguage } from './i18n/language.ts';
import { messagesFor, type Messages } from './i18n/messages.ts';
import { sendPage } from './layout.ts';
import { notFoundPage } from './landing-views.ts';
import type { LiveHub } from './live-hub.ts';
import type { EventStreams } from './sse.ts';

export interface PagesContext {
  face: FaceContext;
  security: PageSecurity;
  hub: LiveHub;
  streams: EventStreams;
  /** Order Management's categories, receipts and images, read-only: the app shows them. */
  om: OmReader;
}

const chosen = new WeakMap<FastifyRequest, Messages>();

/** The texts in the shopper's language for this request (worked out once per request: `?lang` sets a cookie). */
export function shopperMessages(req: FastifyRequest, reply: FastifyReply): Messages {
  let t = chosen.get(req);
  if (!t) {
    t = messagesFor(requestLanguage(req, reply));
    chosen.set(req, t);
  }
  return t;
}

/** The payment a token opens, or null after answering 404 (as a page of `where`). */
export async function paymentOr404(ctx: PagesContext, token: string, reply: FastifyReply, where: 'landing' | 'app'): Promise<Payment | null> {
  const p = await ctx.face.engine.getPaymentByToken(token);
  if (!p) sendPage(reply, notFoundPage(ctx.face.clock.now(), where, shopperMessages(reply.request, reply)), 404);
  return p;
}

/** The merchant's returnUrl, when it may be followed: validated at create time, and checked again here. */
export function returnUrlOf(p: Payment): string | null {
  const url = p.terms.returnUrl;
  return url && isAcceptableMerchantUrl(url) && isSafeHref(url) ? url : null;
}

/** A mobile browser (the landing page goes straight to the app), or the ?mobile=1 / ?desktop=1 switch. */
export function isMobile(req: FastifyRequest, query: { mobile?: string; desktop?: string }): boolean {
  if (query.mobile !== undefined && query.mobile !== '0') return true;
  if (query.desktop !== undefined && query.desktop !== '0') return false;
  return /Android|iPhone|iPad|iPod|Mobile|Windows Phone/i.test(req.headers['user-agent'] ?? '');
}
