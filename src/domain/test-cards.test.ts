import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { epaymentCodeOf } from '../../test-support/domain-errors.ts';
import { cardApprovalFailure, cardById, DEFAULT_CARD_ID, paymentSource, TEST_CARDS } from './test-cards.ts';

describe('test cards', () => {
  it('the default card exists and works', () => {
    assert.equal(cardApprovalFailure(paymentSource(undefined)), null);
    assert.equal(paymentSource(undefined).id, DEFAULT_CARD_ID);
  });

  it('each failing card fails like its magic amount: 10010 for declines, 10030 for SCA', () => {
    assert.equal(epaymentCodeOf(cardApprovalFailure(cardById('visa-0151')!)), '10010');
    assert.match(cardApprovalFailure(cardById('visa-0151')!)!.detail, /insufficient funds/);
    assert.equal(epaymentCodeOf(cardApprovalFailure(cardById('visa-0186')!)), '10010');
    assert.match(cardApprovalFailure(cardById('visa-0186')!)!.detail, /expired card/);
    assert.equal(epaymentCodeOf(cardApprovalFailure(cardById('mastercard-0202')!)), '10030');
  });

  it('an unknown card answers 10040 Invalid payment source', () => {
    assert.throws(() => paymentSource('amex-0005'), (err: unknown) => epaymentCodeOf(err) === '10040');
  });

  it('card ids are unique and the last four digits match the documented list', () => {
    assert.equal(new Set(TEST_CARDS.map((c) => c.id)).size, TEST_CARDS.length);
    for (const c of TEST_CARDS) assert.ok(c.id.endsWith(c.last4), c.id);
  });
});
