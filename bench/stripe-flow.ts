// The Stripe face's flow for `npm run bench`, beside ePayment's: create a Vipps PaymentIntent
// (stripe-node's wire format, the seed's Stripe-Version), confirm it with a return_url, open the test
// payment page behind next_action and press "Authorize test payment" (with the page's CSRF token and
// cookie, as a browser does). A flow is done when the authorization redirects the shopper back.
import type autocannon from 'autocannon';
import { DEFAULT_MERCHANT } from '../src/platform/config.ts';

const VERSION = '2026-02-25.preview; vipps_preview=v1';
export const STRIPE_FLOW_REQUESTS = 4;

const apiHeaders = {
  authorization: `Bearer ${DEFAULT_MERCHANT.stripeSecretKey}`,
  'content-type': 'application/x-www-form-urlencoded',
  'stripe-version': VERSION,
};

const text = (c: autocannon.Context, key: string) => (typeof c[key] === 'string' ? (c[key] as string) : undefined);

export function stripeFlowRequests(baseUrl: string, amount: number, flowDone: () => void): Array<autocannon.Request & { expectedStatus?: number }> {
  const origin = new URL(baseUrl).origin;
  return [
    {
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: '/v1/payment_intents', headers: apiHeaders, body: `amount=${amount}&currency=nok&payment_method_types[0]=vipps&payment_method_data[type]=vipps` }),
      onResponse: (status, body, context) => {
        context.intent = status === 200 ? (JSON.parse(body) as { id: string }).id : undefined;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const id = text(context, 'intent');
        return id ? { ...req, path: `/v1/payment_intents/${id}/confirm`, headers: apiHeaders, body: 'return_url=https%3A%2F%2Fshop.example%2Freturn' } : null;
      },
      onResponse: (status, body, context) => {
        const url = status === 200 ? (JSON.parse(body) as { next_action?: { redirect_to_url?: { url?: string } } }).next_action?.redirect_to_url?.url : undefined;
        context.page = url ? new URL(url).pathname : undefined;
      },
    },
    {
      method: 'GET',
      setupRequest: (req, context) => {
        const page = text(context, 'page');
        return page ? { ...req, path: page, headers: {} } : null;
      },
      onResponse: (status, body, context, headers) => {
        const cookie = headers['set-cookie'];
        context.cookie = (Array.isArray(cookie) ? cookie : cookie ? [cookie] : []).map((c) => c.split(';')[0]).join('; ');
        context.csrf = status === 200 ? /name="csrf" value="([^"]+)"/.exec(body)?.[1] : undefined;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const page = text(context, 'page');
        const csrf = text(context, 'csrf');
        if (!page || !csrf) return null;
        return { ...req, path: `${page}/authorize`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: text(context, 'cookie') ?? '', origin }, body: `csrf=${encodeURIComponent(csrf)}` };
      },
      expectedStatus: 303,
      onResponse: (status) => {
        if (status === 303) flowDone();
      },
    },
  ];
}
