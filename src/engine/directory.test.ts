// The directory resolves each face's credentials to a merchant and sales unit: the merchant APIs'
// client ids and subscription keys, Stripe API keys, and a PSP's Psp-Id with the MSN it acts for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSalesUnit } from '../domain/sales-unit.ts';
import { buildDirectory, type Merchant, type Psp } from './directory.ts';

const SHOP: Merchant = {
  name: 'Shop',
  clientId: 'client-shop',
  clientSecret: 'secret-shop',
  subscriptionKeys: ['key-shop'],
  salesUnits: [defaultSalesUnit('111111', 'Shop'), defaultSalesUnit('222222', 'Shop outlet')],
  stripe: { secretKey: 'sk_test_shop', publishableKey: 'pk_test_shop', msn: '222222' },
};
const CAFE: Merchant = { name: 'Cafe', clientId: 'client-cafe', clientSecret: 'secret-cafe', subscriptionKeys: ['key-cafe'], salesUnits: [defaultSalesUnit('333333', 'Cafe')] };
const PSP: Psp = { name: 'PSP', pspId: 'psp-1', clientId: 'client-psp', clientSecret: 'secret-psp', subscriptionKeys: ['key-psp'], msns: ['333333'] };

const directory = buildDirectory({ merchants: [SHOP, CAFE], psps: [PSP], testUsers: [], acceptAnyUser: false });

describe('directory: principals per face', () => {
  it("a Stripe secret key and publishable key resolve to the merchant and the Stripe account's sales unit, each with its kind", () => {
    assert.deepEqual(directory.stripeKey('sk_test_shop'), { merchant: SHOP, msn: '222222', kind: 'secret' });
    assert.deepEqual(directory.stripeKey('pk_test_shop'), { merchant: SHOP, msn: '222222', kind: 'publishable' });
  });

  it('an unknown Stripe key, or a merchant API credential used as one, resolves to nothing', () => {
    assert.equal(directory.stripeKey('sk_test_other'), undefined);
    assert.equal(directory.stripeKey('key-shop'), undefined);
    assert.equal(directory.stripeKey('secret-shop'), undefined);
  });

  it('client ids and subscription keys resolve to a merchant or a PSP, and the merchant lookups never return a PSP', () => {
    assert.deepEqual(directory.clientById('client-psp'), { kind: 'psp', psp: PSP });
    assert.deepEqual(directory.clientBySubscriptionKey('key-psp'), { kind: 'psp', psp: PSP });
    assert.deepEqual(directory.clientById('client-cafe'), { kind: 'merchant', merchant: CAFE });
    assert.equal(directory.merchantByClientId('client-psp'), undefined);
    assert.equal(directory.merchantBySubscriptionKey('key-psp'), undefined);
    assert.equal(directory.merchantBySubscriptionKey('key-cafe'), CAFE);
  });

  it("a PSP's request with its Psp-Id, its own token and a sales unit it acts for resolves to that sales unit's merchant", () => {
    assert.deepEqual(directory.pspPrincipal({ pspId: 'psp-1', tokenClientId: 'client-psp', msn: '333333' }), { psp: PSP, merchant: CAFE, msn: '333333' });
  });

  it('a PSP request is refused for an unknown Psp-Id, a token of another client, or a sales unit the PSP does not act for', () => {
    assert.deepEqual(directory.pspPrincipal({ pspId: 'psp-2', tokenClientId: 'client-psp', msn: '333333' }), { refused: 'unknown-psp-id' });
    assert.deepEqual(directory.pspPrincipal({ pspId: 'psp-1', tokenClientId: 'client-cafe', msn: '333333' }), { refused: 'psp-id-not-the-token-client' });
    assert.deepEqual(directory.pspPrincipal({ pspId: 'psp-1', tokenClientId: 'client-psp', msn: '111111' }), { refused: 'msn-not-the-psp' });
    assert.deepEqual(directory.pspPrincipal({ pspId: 'psp-1', tokenClientId: 'client-psp', msn: '999999' }), { refused: 'msn-not-the-psp' });
  });
});
