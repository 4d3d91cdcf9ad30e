// Vipps-System-* headers are accepted at any length, the same on every endpoint (decisions.md,
// "Access token errors, rate limits and system headers"). The values are what real callers send.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newReference, type ApiResponse } from '../../test-support/api-client.ts';
import { useServer } from '../../test-support/server.ts';

const SYSTEMS: Array<[string, Record<string, string>]> = [
  // The platform's own access-token guide: a 33-character system name.
  ['the access-token guide', { 'Vipps-System-Name': 'Acme Enterprises Ecommerce DeLuxe', 'Vipps-System-Version': '3.1.2', 'Vipps-System-Plugin-Name': 'acme-webshop', 'Vipps-System-Plugin-Version': '4.5.6' }],
  // WooCommerce (payment/VippsApi.class.php): WordPress and WooCommerce versions joined by a slash.
  ['WooCommerce', { 'Vipps-System-Name': 'woocommerce', 'Vipps-System-Version': '6.8.1/9.9.5', 'Vipps-System-Plugin-Name': 'woo-vipps', 'Vipps-System-Plugin-Version': '4.0.11' }],
  // The official SDK without system settings sends all four, empty.
  ['the official SDK, unconfigured', { 'Vipps-System-Name': '', 'Vipps-System-Version': '', 'Vipps-System-Plugin-Name': '', 'Vipps-System-Plugin-Version': '' }],
  ['long values', {
    'Vipps-System-Name': 'Magento 2 Commerce Cloud Enterprise Edition',
    'Vipps-System-Version': '2.4.7-p3-build-2026-01-01T00:00:00Z',
    'Vipps-System-Plugin-Name': 'vipps-mobilepay-woocommerce-express-checkout',
    'Vipps-System-Plugin-Version': 'x'.repeat(200),
  }],
];

describe('Vipps-System-* headers are accepted at any length on every endpoint', () => {
  const t = useServer();

  for (const [who, system] of SYSTEMS) {
    it(`${who}: token, create, get, events, approve, capture, refund, cancel, webhooks register/list/delete`, async () => {
      const { api } = t;
      const expect = (res: ApiResponse, status: number, what: string) => assert.equal(res.status, status, `${what}: ${res.text.slice(0, 300)}`);
      const token = await api.call('POST', '/accesstoken/get', {
        bare: true,
        headers: { client_id: api.credentials.clientId, client_secret: api.credentials.clientSecret, 'Ocp-Apim-Subscription-Key': api.credentials.subscriptionKey, ...system },
      });
      expect(token, 200, 'token');

      const reference = newReference();
      const body = { amount: { currency: 'NOK', value: 1000 }, paymentMethod: { type: 'WALLET' }, reference, userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com/r' };
      expect(await api.call('POST', '/epayment/v1/payments', { body, idempotencyKey: `c-${reference}`, headers: system }), 201, 'create');
      expect(await api.call('GET', `/epayment/v1/payments/${reference}`, { headers: system }), 200, 'get');
      expect(await api.call('GET', `/epayment/v1/payments/${reference}/events`, { headers: system }), 200, 'events');
      expect(await api.call('POST', `/epayment/v1/test/payments/${reference}/approve`, { body: {}, headers: system }), 200, 'approve');
      const amount = { modificationAmount: { currency: 'NOK', value: 400 } };
      expect(await api.call('POST', `/epayment/v1/payments/${reference}/capture`, { body: amount, idempotencyKey: `k-${reference}`, headers: system }), 200, 'capture');
      expect(await api.call('POST', `/epayment/v1/payments/${reference}/refund`, { body: amount, idempotencyKey: `r-${reference}`, headers: system }), 200, 'refund');
      expect(await api.call('POST', `/epayment/v1/payments/${reference}/cancel`, { headers: system }), 200, 'cancel');

      const registered = await api.call('POST', '/webhooks/v1/webhooks', { body: { url: 'https://example.com/hook', events: ['epayments.payment.captured.v1'] }, headers: system });
      expect(registered, 201, 'register webhook');
      expect(await api.call('GET', '/webhooks/v1/webhooks', { headers: system }), 200, 'list webhooks');
      expect(await api.call('DELETE', `/webhooks/v1/webhooks/${registered.body.id}`, { headers: system }), 204, 'delete webhook');
    });
  }
});
