// A merchant's integration for the go-live check's tests (src/checklist, src/cli/checklist.ts): it
// goes through the platform's checklist over real HTTP, doing everything right unless told to skip
// one thing (`Omission`), so that each item of the check can be seen to pass and to fail.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { VippsLocal } from '../src/index.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

/** What the integration leaves out (or gets wrong), one at a time. */
export type Omission =
  | 'events-endpoint'
  | 'refund'
  | 'poll-after-approval'
  | 'read-after-expiry'
  | 'webhook-registration'
  | 'system-headers-on-capture'
  | 'idempotency-key-on-cancel'
  | 'order-management'
  | 'https-return-url';

export const SYSTEM_HEADERS = {
  'Vipps-System-Name': 'checklist-shop',
  'Vipps-System-Version': '1.0.0',
  'Vipps-System-Plugin-Name': 'checklist-plugin',
  'Vipps-System-Plugin-Version': '2.1.0',
};

export interface ShopRun {
  /** The references of the test orders, by how each ended. */
  references: { captured: string; refunded: string; cancelled: string; aborted: string; expired: string; terminated: string };
  /** The webhook it registered (null with 'webhook-registration'). */
  webhookId: string | null;
}

export class ChecklistShop {
  private token: string | undefined;

  constructor(
    private readonly server: VippsLocal,
    private readonly receiver: WebhookReceiver,
    private readonly skip: Omission | null = null,
  ) {}

  private async call(method: string, path: string, options: { body?: unknown; key?: string | null; systemHeaders?: boolean } = {}): Promise<{ status: number; body: any }> {
    const { credentials } = this.server;
    const headers: Record<string, string> = {
      'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      'Merchant-Serial-Number': credentials.msn,
      ...(options.systemHeaders === false ? {} : SYSTEM_HEADERS),
    };
    if (path === '/accesstoken/get') Object.assign(headers, { client_id: credentials.clientId, client_secret: credentials.clientSecret });
    else headers.Authorization = `Bearer ${await this.accessToken()}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.key) headers['Idempotency-Key'] = options.key;
    const res = await fetch(this.server.url + path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  private async accessToken(): Promise<string> {
    if (!this.token) {
      const res = await this.call('POST', '/accesstoken/get');
      assert.equal(res.status, 200);
      this.token = res.body.access_token as string;
    }
    return this.token;
  }

  private async create(prefix: string): Promise<string> {
    const reference = `${prefix}-${randomUUID().slice(0, 8)}`;
    const returnUrl = this.skip === 'https-return-url' && prefix === 'captured' ? 'http://shop.example/return' : 'https://shop.example/return';
    const res = await this.call('POST', '/epayment/v1/payments', {
      key: randomUUID(),
      body: { amount: { currency: 'NOK', value: 1000 }, paymentMethod: { type: 'WALLET' }, reference, userFlow: 'WEB_REDIRECT', returnUrl, paymentDescription: 'Checklist order' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return reference;
  }

  private async poll(reference: string, state: string): Promise<void> {
    const res = await this.call('GET', `/epayment/v1/payments/${reference}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.state, state);
  }

  private modify(reference: string, what: 'capture' | 'refund', key = randomUUID(), systemHeaders = true) {
    return this.call('POST', `/epayment/v1/payments/${reference}/${what}`, { key, body: { modificationAmount: { currency: 'NOK', value: 1000 } }, systemHeaders });
  }

  /** Goes through the checklist's test orders. */
  async run(): Promise<ShopRun> {
    let webhookId: string | null = null;
    if (this.skip !== 'webhook-registration') {
      const res = await this.call('POST', '/webhooks/v1/webhooks', { body: { url: this.receiver.url('/vipps'), events: ['epayments.payment.authorized.v1', 'epayments.payment.captured.v1'] } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      webhookId = res.body.id as string;
    }

    // Captured in full (retried once with the same key), with a category and a receipt.
    const captured = await this.create('captured');
    await this.server.approve(captured);
    if (this.skip !== 'poll-after-approval') await this.poll(captured, 'AUTHORIZED');
    const key = randomUUID();
    assert.equal((await this.modify(captured, 'capture', key, this.skip !== 'system-headers-on-capture')).status, 200);
    assert.equal((await this.modify(captured, 'capture', key)).status, 200, 'the retry with the same key answers as the first');
    if (this.skip !== 'order-management') {
      const category = await this.call('PUT', `/order-management/v2/ecom/categories/${captured}`, { body: { category: 'ORDER_CONFIRMATION', orderDetailsUrl: 'https://shop.example/order/1' } });
      assert.ok(category.status < 300, JSON.stringify(category.body));
      const receipt = await this.call('POST', `/order-management/v2/ecom/receipts/${captured}`, {
        body: { orderLines: [{ name: 'Socks', id: '1', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500 }], bottomLine: { currency: 'NOK' } },
      });
      assert.ok(receipt.status < 300, JSON.stringify(receipt.body));
    }

    // Captured, then refunded; its events read.
    const refunded = await this.create('refunded');
    await this.server.approve(refunded);
    await this.poll(refunded, 'AUTHORIZED');
    assert.equal((await this.modify(refunded, 'capture')).status, 200);
    if (this.skip !== 'refund') assert.equal((await this.modify(refunded, 'refund')).status, 200);
    if (this.skip !== 'events-endpoint') assert.equal((await this.call('GET', `/epayment/v1/payments/${refunded}/events`)).status, 200);

    // Authorized, then cancelled.
    const cancelled = await this.create('cancelled');
    await this.server.approve(cancelled);
    await this.poll(cancelled, 'AUTHORIZED');
    const cancel = await this.call('POST', `/epayment/v1/payments/${cancelled}/cancel`, { key: this.skip === 'idempotency-key-on-cancel' ? null : randomUUID() });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));

    // Rejected by the shopper, cancelled before approval, expired: each read afterwards.
    const aborted = await this.create('aborted');
    await this.server.reject(aborted);
    await this.poll(aborted, 'ABORTED');
    const terminated = await this.create('terminated');
    assert.equal((await this.call('POST', `/epayment/v1/payments/${terminated}/cancel`, { key: randomUUID() })).status, 200);
    await this.poll(terminated, 'TERMINATED');
    const expired = await this.create('expired');
    await this.server.expire(expired);
    if (this.skip !== 'read-after-expiry') await this.poll(expired, 'EXPIRED');

    return { references: { captured, refunded, cancelled, aborted, expired, terminated }, webhookId };
  }
}

/**
 * Waits until every webhook delivery of the sales unit was delivered, or (`failing`: the receiver
 * answers errors, and later deliveries of a payment wait for the first) until one was answered.
 */
export async function deliveriesSettled(server: VippsLocal, failing = false, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${server.url}/vipps-local/v1/webhook-deliveries?msn=${server.credentials.msn}`, { headers: { 'X-Vipps-Local-Operator-Token': server.operatorToken } });
    const { deliveries } = (await res.json()) as { deliveries: Array<{ status: string; attempts: unknown[] }> };
    if (failing ? deliveries.some((d) => d.attempts.length > 0) : deliveries.every((d) => d.status === 'delivered')) return;
    if (Date.now() > until) throw new Error(`deliveries not settled: ${JSON.stringify(deliveries.map((d) => d.status))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
