// The config declares each face's credentials: merchants (with an optional Stripe account) and PSPs.
// Every credential names one holder, and every reference points at something configured.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyConfigFile, ConfigError, DEFAULT_MERCHANT, defaultConfig, readConfigFile, type ConfigFile } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SHOP = { name: 'Shop', clientId: 'client-shop', clientSecret: 's', subscriptionKey: 'key-shop', salesUnits: ['111111', '222222'] };
const PSP = { name: 'PSP', pspId: 'psp-1', clientId: 'client-psp', clientSecret: 's', subscriptionKey: 'key-psp', merchantSerialNumbers: ['222222'] };

const apply = (file: ConfigFile) => applyConfigFile(defaultConfig(), file);

/** Reads `content` as a config file would be read (schema included). */
function fromFile(content: unknown): ConfigFile {
  const path = join(dir, `${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(content));
  return readConfigFile(path);
}

describe('config: principals', () => {
  it('the default merchant has a Stripe test account on its sales unit, and there are no PSPs', () => {
    const config = defaultConfig();
    assert.deepEqual(config.merchants[0]!.stripe, { secretKey: 'sk_test_vippslocal', publishableKey: 'pk_test_vippslocal', msn: DEFAULT_MERCHANT.msn });
    assert.deepEqual(config.psps, []);
  });

  it("a merchant's Stripe account takes the first sales unit unless it names one of the merchant's", () => {
    const first = apply({ merchants: [{ ...SHOP, stripe: { secretKey: 'sk_test_a', publishableKey: 'pk_test_a' } }] });
    assert.equal(first.merchants[0]!.stripe!.msn, '111111');
    const named = apply({ merchants: [{ ...SHOP, stripe: { secretKey: 'sk_test_a', publishableKey: 'pk_test_a', salesUnit: '222222' } }] });
    assert.equal(named.merchants[0]!.stripe!.msn, '222222');
    assert.throws(() => apply({ merchants: [{ ...SHOP, stripe: { secretKey: 'sk_test_a', publishableKey: 'pk_test_a', salesUnit: '333333' } }] }), /stripe.salesUnit 333333 is not one of its salesUnits/);
  });

  it('Stripe keys must look like test keys (sk_test_…, pk_test_…)', () => {
    assert.throws(() => fromFile({ merchants: [{ ...SHOP, stripe: { secretKey: 'sk_live_a', publishableKey: 'pk_test_a' } }] }), ConfigError);
    assert.throws(() => fromFile({ merchants: [{ ...SHOP, stripe: { secretKey: 'sk_test_a', publishableKey: 'sk_test_b' } }] }), ConfigError);
  });

  it("a PSP is read with its credentials and the merchants' sales units it acts for", () => {
    const config = apply({ merchants: [SHOP], psps: [PSP] });
    assert.deepEqual(config.psps, [{ name: 'PSP', pspId: 'psp-1', clientId: 'client-psp', clientSecret: 's', subscriptionKeys: ['key-psp'], msns: ['222222'] }]);
  });

  it('a PSP acting for a sales unit no merchant has is refused', () => {
    assert.throws(() => apply({ merchants: [SHOP], psps: [{ ...PSP, merchantSerialNumbers: ['999999'] }] }), /merchantSerialNumbers 999999 are not sales units/);
    assert.throws(() => apply({ psps: [{ ...PSP, merchantSerialNumbers: ['111111'] }] }), ConfigError, 'checked against the default merchant too');
  });

  it('client ids, subscription keys, Stripe keys and Psp-Ids each name one holder, across merchants and PSPs', () => {
    assert.throws(() => apply({ merchants: [SHOP], psps: [{ ...PSP, clientId: 'client-shop' }] }), /clientId "client-shop" appears more than once/);
    assert.throws(() => apply({ merchants: [SHOP], psps: [{ ...PSP, subscriptionKey: ['key-psp', 'key-shop'] }] }), /subscriptionKey "key-shop"/);
    assert.throws(() => apply({ merchants: [SHOP], psps: [PSP, { ...PSP, clientId: 'c2', subscriptionKey: 'k2' }] }), /pspId "psp-1"/);
    const other = { ...SHOP, name: 'Other', clientId: 'c3', subscriptionKey: 'k3', salesUnits: ['333333'] };
    assert.throws(
      () => apply({ merchants: [{ ...SHOP, stripe: { secretKey: 'sk_test_a', publishableKey: 'pk_test_a' } }, { ...other, stripe: { secretKey: 'sk_test_a', publishableKey: 'pk_test_b' } }] }),
      /Stripe key "sk_test_a"/,
    );
  });
});
