import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Payment, PaymentEvent } from '../domain/payment.ts';
import { samplePayment } from '../store/store-contract.ts';
import { tokenFromLink, deepLinkUrl } from '../faces/links.ts';
import { createLiveHub } from './live-hub.ts';
import { safeAppPath } from './paths.ts';

const event = (reference: string): PaymentEvent => ({
  paymentId: `id-${reference}`, msn: '123456', reference, pspReference: 'p', name: 'CREATED', currency: 'NOK', amount: 100, timestamp: 1, success: true, idempotencyKey: null, seq: 1,
});

describe('live hub', () => {
  it('tells the watchers of a payment, once per payment per commit, until they stop watching', () => {
    const hub = createLiveHub(async () => null);
    let heard = 0;
    const stop = hub.watchPayment('id-order-1', () => heard++);
    hub.eventsCommitted([event('order-1'), event('order-1'), event('order-2')]);
    assert.equal(heard, 1);
    stop();
    hub.eventsCommitted([event('order-1')]);
    assert.equal(heard, 1);
  });

  it('tells the watchers of the phone a committed payment belongs to', async () => {
    const payments: Record<string, Payment> = { 'id-order-ada': samplePayment({ id: 'id-order-ada', reference: 'order-ada', customerPhone: '4712345678' }) };
    const hub = createLiveHub(async (id) => payments[id] ?? null);
    const heard: string[] = [];
    hub.watchPhone('4712345678', () => heard.push('ada'));
    hub.watchPhone('4798765432', () => heard.push('bob'));
    hub.eventsCommitted([event('order-ada'), event('order-unknown')]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(heard, ['ada']);
    hub.paymentChanged(payments['id-order-ada']!);
    assert.deepEqual(heard, ['ada', 'ada']);
  });
});

describe('links a shopper pastes into the simulator', () => {
  it('a target URL, a QR image URL, a deep link or a bare token all name the payment', () => {
    const token = 'MTIzNDU2Om9yZGVyLTE.abc_DEF-123';
    assert.equal(tokenFromLink(`http://127.0.0.1:8787/app/payment?token=${token}`), token);
    assert.equal(tokenFromLink(` https://vipps.example/qr/v1?token=${token} `), token);
    assert.equal(tokenFromLink(deepLinkUrl(token)), token);
    assert.equal(tokenFromLink(token), token);
    assert.equal(tokenFromLink('https://example.com/?token=abc'), null);
    assert.equal(tokenFromLink('javascript:alert(1)'), null);
  });

  it('after sign-in the simulator only ever goes to one of its own paths', () => {
    assert.equal(safeAppPath('/app/payment?token=x'), '/app/payment?token=x');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', '/landing', undefined, '/application', '/app\r\nSet-Cookie: x=1', '/app\u0000', '/app/\u00e9', '/app x']) assert.equal(safeAppPath(bad), '/app', String(bad));
  });
});

describe('live hub failures are said, not swallowed', () => {
  it('a watcher that throws, and a payment that cannot be read for its phone, are reported; other watchers still hear', async () => {
    const reported: string[] = [];
    const hub = createLiveHub(async () => {
      throw new Error('store closed');
    }, (err, what) => reported.push(`${what}: ${(err as Error).message}`));
    let heard = 0;
    hub.watchPayment('id-order-1', () => {
      throw new Error('broken watcher');
    });
    hub.watchPayment('id-order-1', () => heard++);
    hub.watchPhone('4712345678', () => heard++);
    hub.eventsCommitted([event('order-1')]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(heard, 1);
    assert.deepEqual(reported, ['notifying a page watcher: broken watcher', 'reading payment id-order-1 for its phone\'s watchers: store closed']);
  });
});
