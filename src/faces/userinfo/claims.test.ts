// Claims per scope, without a server: the cases a running server's config cannot reach in one run
// (a sales unit that lost allowNin after the consent, a user without an address).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSalesUnit } from '../../domain/sales-unit.ts';
import type { TestUser } from '../../domain/test-user.ts';
import { userinfoClaims } from './claims.ts';

const SUB = 'c06c4afe-d9e1-4c5d-939a-177d752a0944';
const user: TestUser = { phoneNumber: '4791234567', firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com', birthDate: '1985-05-17', nin: '17058512345' };
const withNin = { ...defaultSalesUnit('223345', 'Outlet'), allowNin: true };
const withoutNin = defaultSalesUnit('223344', 'Shop');

describe('userinfo claims', () => {
  it('sub alone when no scope was consented', () => {
    assert.deepEqual(userinfoClaims(SUB, [], { user, configured: true }, withNin), { sub: SUB });
  });

  it('nin only while the sales unit may ask for it, checked when the data is fetched', () => {
    assert.equal(userinfoClaims(SUB, ['nin'], { user, configured: true }, withNin).nin, '17058512345');
    assert.deepEqual(userinfoClaims(SUB, ['nin'], { user, configured: true }, withoutNin), { sub: SUB });
    assert.deepEqual(userinfoClaims(SUB, ['nin'], { user, configured: true }, undefined), { sub: SUB }, 'a sales unit no longer configured');
  });

  it('address without an address on file gives only the empty other_addresses; accountNumbers gives nothing', () => {
    assert.deepEqual(userinfoClaims(SUB, ['address', 'accountNumbers'], { user, configured: true }, withNin), { sub: SUB, other_addresses: [] });
  });

  it('email_verified follows whether the user is a configured test user', () => {
    assert.equal(userinfoClaims(SUB, ['email'], { user, configured: true }, withNin).email_verified, true);
    assert.equal(userinfoClaims(SUB, ['email'], { user, configured: false }, withNin).email_verified, false);
  });
});
