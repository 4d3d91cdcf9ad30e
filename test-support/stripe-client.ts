// stripe-node, the official package unmodified, pointed at a test server: every JSON body it
// receives is validated against the schemas generated from its own types (stripe-validator.ts), so
// a field the face invents, renames or forgets fails the test that made the request.
import Stripe from 'stripe';
import type { VippsLocal } from '../src/index.ts';
import { validateStripeResponse } from './stripe-validator.ts';

/** The Stripe-Version of the seed: Vipps and the pre-endive parameters. */
export const SEED_VERSION = '2026-02-25.preview; vipps_preview=v1';

/** Bodies received, newest last, with their status: for tests that look at a raw answer. */
export interface Received {
  status: number;
  headers: Headers;
  body: unknown;
}

export function stripeFor(server: VippsLocal, options: { apiVersion?: string; key?: string; received?: Received[] } = {}): Stripe {
  const validatingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const text = await res.clone().text();
    const body = JSON.parse(text) as unknown;
    validateStripeResponse(body);
    options.received?.push({ status: res.status, headers: res.headers, body });
    return res;
  };
  return new Stripe(options.key ?? server.stripe!.secretKey, {
    host: '127.0.0.1',
    port: server.port,
    protocol: 'http',
    ...(options.apiVersion ? { apiVersion: options.apiVersion as Stripe.LatestApiVersion } : {}),
    httpClient: Stripe.createFetchHttpClient(validatingFetch),
    maxNetworkRetries: 0,
  });
}

/**
 * The shopper on the test payment page, without a browser: opens `url` (next_action's), presses
 * "Authorize test payment" or "Fail test payment", and follows the redirects to the merchant's
 * return_url, which is returned (not fetched).
 */
export async function decideTestPayment(url: string, decision: 'authorize' | 'fail'): Promise<URL> {
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`test page answered ${page.status}: ${html.slice(0, 200)}`);
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const form = new RegExp(`action="([^"]*/${decision})"[^>]*><input type="hidden" name="csrf" value="([^"]+)"`).exec(html);
  if (!form) throw new Error(`no ${decision} form on the test page`);
  const origin = new URL(url).origin;
  const posted = await fetch(origin + form[1]!.replace(/&amp;/g, '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin },
    body: new URLSearchParams({ csrf: form[2]! }).toString(),
  });
  if (posted.status !== 303) throw new Error(`the ${decision} form answered ${posted.status}: ${await posted.text()}`);
  const back = await fetch(new URL(posted.headers.get('location')!, origin), { redirect: 'manual' });
  if (back.status !== 303) throw new Error(`the return answered ${back.status}: ${await back.text()}`);
  return new URL(back.headers.get('location')!);
}
