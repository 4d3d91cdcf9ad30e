// The dashboard for the faces whose paths name their own objects (SQLite and PostgreSQL): a Stripe
// PaymentIntent's and a PSP payment's API calls on their payment's timeline (the request log keeps
// them under the PaymentIntent id and the PSP's orderId), and one webhook registration's faults set
// from the webhooks page, applied to a real receiver's deliveries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useServer } from '../../../test-support/server.ts';
import { MERCHANT_A } from '../../../test-support/merchants.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import { csrfOf, DashboardSession, paymentPathOf } from '../../../test-support/dashboard-session.ts';
import { decideTestPayment, SEED_VERSION, stripeFor } from '../../../test-support/stripe-client.ts';
import { initRequest, PSP_ONE, PspApi, startMakePaymentEndpoint, tokenOf, type MakePaymentEndpoint } from '../../../test-support/test-psp.ts';

const MSN = MERCHANT_A.salesUnits[0]!;

/** The API calls on a payment page's timeline: `METHOD path status`, oldest first. */
function calls(page: string): string[] {
  return [...page.matchAll(/data-kind="request">[\s\S]*?<span class="title">(\w+) <span class="mono">([^<]*)<\/span> → <span class="badge[^"]*">(\d+)</g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

interface LoggedEntry {
  method: string;
  path: string;
  msn: string | null;
  reference: string | null;
  clientId: string | null;
}

describe("the dashboard: Stripe and PSP calls on their payment's timeline; a registration's faults", { timeout: 60_000 }, () => {
  const t = useServer({
    merchants: [{ ...MERCHANT_A, stripe: { secretKey: 'sk_test_dashboard_faces', publishableKey: 'pk_test_dashboard_faces' } }],
    psps: [PSP_ONE],
    webhookPollIntervalMs: 20,
  });
  let session: DashboardSession;
  let endpoint: MakePaymentEndpoint;
  let receiver: WebhookReceiver;
  before(async () => {
    session = new DashboardSession(t.server.url);
    endpoint = await startMakePaymentEndpoint();
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await endpoint?.close();
    await receiver?.close();
  });

  const requestLog = async (reference: string): Promise<LoggedEntry[]> => {
    const res = await fetch(`${t.server.url}/vipps-local/v1/requests?reference=${encodeURIComponent(reference)}`);
    assert.equal(res.status, 200);
    return ((await res.json()) as { requests: LoggedEntry[] }).requests;
  };

  it('a PaymentIntent created, confirmed, authorized and captured with stripe-node: its calls on its payment\'s timeline, under the PaymentIntent and the sales unit', async () => {
    const stripe = stripeFor(t.server, { apiVersion: SEED_VERSION });
    const pi = await stripe.paymentIntents.create({ amount: 4200, currency: 'nok', capture_method: 'manual', payment_method_types: ['vipps'], payment_method_data: { type: 'vipps' } } as never);
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { return_url: 'https://shop.example/done' });
    const testPage = confirmed.next_action!.redirect_to_url!.url!;
    await decideTestPayment(testPage, 'authorize');
    await stripe.paymentIntents.retrieve(pi.id);
    const captured = await stripe.paymentIntents.capture(pi.id);
    assert.equal(captured.status, 'succeeded');
    await stripe.refunds.create({ payment_intent: pi.id, amount: 1000 });
    // A call on another PaymentIntent stays off this one's timeline.
    const other = await stripe.paymentIntents.create({ amount: 300, currency: 'nok', payment_method_types: ['vipps'] } as never);

    const attempt = /\/(pa_[^/?]+)/.exec(new URL(testPage).pathname)![1]!;
    const page = await session.get(await paymentPathOf(session, attempt));
    assert.equal(page.status, 200);
    assert.deepEqual(calls(page.text), [
      'POST /v1/payment_intents 200',
      `POST /v1/payment_intents/${pi.id}/confirm 200`,
      `GET /v1/payment_intents/${pi.id} 200`,
      `POST /v1/payment_intents/${pi.id}/capture 200`,
      'POST /v1/refunds 200',
    ]);
    assert.ok(!page.text.includes(other.id), 'another PaymentIntent\'s calls are not listed');
    const kinds = [...page.text.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1]);
    assert.equal(kinds[0], 'request', 'the create call comes first');
    assert.ok(kinds.includes('event'));

    // The request log keeps them under the PaymentIntent, the Stripe key's sales unit and its merchant.
    const logged = await requestLog(pi.id);
    assert.equal(logged.length, 5);
    for (const e of logged) {
      assert.equal(e.msn, MSN, `${e.method} ${e.path}`);
      assert.equal(e.clientId, MERCHANT_A.clientId);
    }
    // A refused call on the PaymentIntent is listed under it too.
    await assert.rejects(stripe.paymentIntents.capture(pi.id));
    assert.equal((await requestLog(pi.id)).length, 6);
    // A call with a wrong key is tied to no sales unit and no PaymentIntent: the caller is nobody's.
    const wrong = await fetch(`${t.server.url}/v1/payment_intents/${pi.id}`, { headers: { authorization: 'Bearer sk_test_nobody' } });
    assert.equal(wrong.status, 401);
    assert.equal((await requestLog(pi.id)).length, 6);
  });

  it("a PSP payment's init, details, force approve and status updates on its payment's timeline, with the makePayment call", async () => {
    const psp = new PspApi(t.server.url, PSP_ONE, MSN);
    const body = initRequest(endpoint.url, { amount: 9000 });
    const init = await psp.initiated(body);
    const id = init.pspTransactionId;
    assert.equal((await psp.details(id)).status, 200);
    const approved = await psp.approve(id, { customerPhoneNumber: '91234567', token: tokenOf(init.vippsRedirectUrl) });
    assert.equal(approved.status, 200, approved.text);
    assert.equal((await psp.updateStatus([{ pspTransactionId: id, status: 'CAPTURED', amount: 9000 }])).status, 200);
    assert.equal((await psp.updateStatus([{ pspTransactionId: id, status: 'REFUNDED', amount: 500 }])).status, 200);
    // A batch about two payments is listed under neither.
    const second = await psp.initiated(initRequest(endpoint.url));
    assert.equal((await psp.updateStatus([{ pspTransactionId: id, status: 'REFUNDED', amount: 1 }, { pspTransactionId: second.pspTransactionId, status: 'CAPTURED', amount: 1 }])).status, 200);

    const page = await session.get(await paymentPathOf(session, init.merchantOrderId));
    assert.equal(page.status, 200);
    const shown = calls(page.text);
    assert.deepEqual(
      shown.filter((c) => !c.includes('http')),
      [
        'POST /psp/v3/psppayments/init 200',
        `GET /psp/v3/psppayments/${id}/details 200`,
        `POST /psp/v3/integration-test/psppayments/${id}/approve 200`,
        'POST /psp/v3/psppayments/updatestatus 200',
        'POST /psp/v3/psppayments/updatestatus 200',
      ],
    );
    assert.ok(shown.some((c) => c.startsWith(`POST ${endpoint.url}`)), `the makePayment call is there too: ${shown.join(' | ')}`);
    assert.match(page.text, /PSP reported CAPTURED/);
    for (const e of await requestLog(init.merchantOrderId)) assert.equal(e.msn, MSN, `${e.method} ${e.path}`);
  });

  it("a registration's faults saved from the webhooks page apply: duplicate makes the next delivery arrive twice; a cross-site post is refused", async () => {
    const hook = await t.api.registeredWebhook(receiver.url('/faults'), ['epayments.payment.created.v1']);
    try {
      const page = await session.get('/dashboard/webhooks');
      const row = new RegExp(`<tr data-testid="registration" data-webhook-id="${hook.id}">[\\s\\S]*?</tr>`).exec(page.text)?.[0];
      assert.ok(row, 'the registration is listed with its form');
      assert.match(row, /data-testid="registration-faults">none</);
      assert.match(row, new RegExp(`action="/dashboard/webhooks/${hook.id}/faults"`));
      const csrf = csrfOf(page.text);

      const crossSite = await session.post(`/dashboard/webhooks/${hook.id}/faults`, { csrf, duplicate: '1', delayMs: '0' }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.status, 403);
      const forged = await session.post(`/dashboard/webhooks/${hook.id}/faults`, { csrf: 'forged', duplicate: '1', delayMs: '0' });
      assert.equal(forged.status, 403);
      assert.match((await session.get('/dashboard/webhooks')).text, new RegExp(`data-webhook-id="${hook.id}">[\\s\\S]*?data-testid="registration-faults">none<`), 'nothing changed');

      const tooLong = await session.post(`/dashboard/webhooks/${hook.id}/faults`, { csrf, delayMs: '99999999' });
      assert.equal(tooLong.location, '/dashboard/webhooks?error=delay');
      const unknown = await session.post('/dashboard/webhooks/no-such-hook/faults', { csrf, delayMs: '0' });
      assert.equal(unknown.location, '/dashboard/webhooks?error=no-webhook');

      const saved = await session.post(`/dashboard/webhooks/${hook.id}/faults`, { csrf, duplicate: '1', delayMs: '0' });
      assert.equal(saved.status, 303, saved.text.slice(0, 300));
      assert.equal(saved.location, '/dashboard/webhooks?done=faults');
      const after = await session.get(saved.location!);
      assert.match(after.text, /data-testid="notice"[^>]*>The registration(?:'|&#39;)s faults are saved/);
      assert.match(after.text, new RegExp(`data-webhook-id="${hook.id}">[\\s\\S]*?data-testid="registration-faults">duplicate<`));
      const operatorView = await fetch(`${t.server.url}/vipps-local/v1/webhook-deliveries?webhookId=${hook.id}`);
      assert.equal(operatorView.status, 200);

      const reference = await t.api.created();
      await receiver.waitFor(() => receiver.at('/faults').filter((a) => JSON.stringify(a.body).includes(reference)).length >= 2, 'the duplicated delivery');
      assert.equal(receiver.at('/faults').filter((a) => JSON.stringify(a.body).includes(reference)).length, 2);

      // Cleared the same way: the next one arrives once.
      const cleared = await session.post(`/dashboard/webhooks/${hook.id}/faults`, { csrf, delayMs: '0' });
      assert.equal(cleared.location, '/dashboard/webhooks?done=faults');
      const next = await t.api.created();
      await receiver.waitFor(() => receiver.at('/faults').some((a) => JSON.stringify(a.body).includes(next)), 'the next delivery');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(receiver.at('/faults').filter((a) => JSON.stringify(a.body).includes(next)).length, 1);
    } finally {
      await t.api.deleteWebhook(hook.id);
    }
  });
});
