// Userinfo API against a real server: a payment with profile.scope, force approved by a test user,
// gives GetPayment's profile.sub; GET /vipps-userinfo-api/userinfo/{sub} then answers that user's
// claims of the consented scopes only. Every response is validated against
// specs/vipps/userinfo/swagger.yaml by the Api client.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Api, errorCode, type ApiResponse, type Credentials } from '../../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B } from '../../../test-support/merchants.ts';
import { useServer } from '../../../test-support/server.ts';
import { specValidator } from '../../../test-support/spec-validator.ts';
import { DEFAULT_TEST_USERS } from '../../platform/config.ts';
import type { TestUser } from '../../domain/test-user.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const [MSN_A1, MSN_A2] = MERCHANT_A.salesUnits as [string, string];
const ADA = DEFAULT_TEST_USERS[0]!;
const NORA: TestUser = {
  phoneNumber: '4791234567',
  firstName: 'Nora Kari',
  lastName: 'Nordmann',
  email: 'nora@example.com',
  birthDate: '1975-05-09',
  nin: '09057517287',
  address: { addressLine1: 'Storgata 1', addressLine2: 'Leilighet H0301', city: 'Oslo', country: 'NO', postCode: '0155' },
};
/** A merchant whose sales unit may ask for nin (allowNin). */
const MERCHANT_NIN = { name: 'NIN Merchant', clientId: 'cccccccc-3333-4333-8333-cccccccccccc', clientSecret: 'secret-c', subscriptionKey: 'subscription-key-c' };
const MSN_NIN = '456789';
const NIN_CREDENTIALS: Credentials = { clientId: MERCHANT_NIN.clientId, clientSecret: MERCHANT_NIN.clientSecret, subscriptionKey: MERCHANT_NIN.subscriptionKey, msn: MSN_NIN };

const SERVER_OPTIONS = {
  merchants: [MERCHANT_A, MERCHANT_B, { ...MERCHANT_NIN, salesUnits: [{ msn: MSN_NIN, allowNin: true }] }],
  testUsers: [ADA, NORA],
};

/** Creates a payment asking for `scope`, force approves it as `phone`, and returns GetPayment's profile.sub. */
async function consentedSub(api: Api, scope: string, phone: string): Promise<string> {
  const reference = await api.created({ profile: { scope } });
  const approved = await api.approve(reference, { customer: { phoneNumber: phone } });
  assert.equal(approved.status, 200, approved.text);
  const payment = await api.getPayment(reference);
  assert.equal(payment.body.state, 'AUTHORIZED');
  const sub = payment.body.profile.sub as string;
  assert.match(sub, UUID);
  return sub;
}

function assertUserinfoError(res: ApiResponse, status: number, detail?: RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.status, String(status));
  if (detail) assert.match(res.body.detail, detail);
}

const adaAddress = {
  street_address: 'Robert Levins gate 5',
  postal_code: '0154',
  region: 'Oslo',
  country: 'NO',
  formatted: 'Robert Levins gate 5\n0154 Oslo\nNO',
  address_type: 'home',
};

describe('the spec validator for the Userinfo API', () => {
  const spec = specValidator();
  const example = {
    sub: 'c06c4afe-d9e1-4c5d-939a-177d752a0944',
    name: 'Ada Lovelace',
    given_name: 'Ada',
    family_name: 'Lovelace',
    email: 'user@example.com',
    email_verified: true,
    phone_number: '4791234567',
    phone_number_verified: true,
    birthdate: '1968-07-16',
    address: { street_address: 'Suburbia 23', postal_code: '2101', region: 'OSLO', country: 'NO', formatted: 'Suburbia 23\n2101 OSLO\nNO', address_type: 'home' },
    other_addresses: [],
  };
  it("accepts the documented example (a 10-digit phone_number, against the spec's 15-digit pattern bug)", () => {
    assert.deepEqual(spec.checkSchema('userinfo', 'Userinfo', example), []);
  });
  it('relaxes nothing else: a phone number that is no MSISDN, an invented claim, a mistyped verified flag and a lower-case country fail', () => {
    for (const bad of [
      { ...example, phone_number: '+4791234567' },
      { ...example, phone_number: '1234567' },
      { ...example, phone_number: '4791234567123456' },
      { ...example, userDetails: {} },
      { ...example, phone_number_verified: 'true' },
      { ...example, address: { ...example.address, country: 'no' } },
    ]) {
      assert.notDeepEqual(spec.checkSchema('userinfo', 'Userinfo', bad), [], JSON.stringify(bad));
    }
  });
  it('UserinfoError has a string status and no invented fields', () => {
    const error = { type: 'https://httpstatuses.io/404', title: 'Not Found', status: '404', detail: 'x', instance: '123e4567-e89b-12d3-a456-426655440000' };
    assert.deepEqual(spec.checkSchema('userinfo', 'UserinfoError', error), []);
    assert.notDeepEqual(spec.checkSchema('userinfo', 'UserinfoError', { ...error, status: 404 }), []);
    assert.notDeepEqual(spec.checkSchema('userinfo', 'UserinfoError', { ...error, traceId: 'x' }), []);
  });
});

describe('Userinfo API', () => {
  const t = useServer(SERVER_OPTIONS);
  let a1: Api;
  let a2: Api;
  let b: Api;
  let nin: Api;
  before(() => {
    a1 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A1));
    a2 = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A2));
    b = new Api(t.server.url, credentialsOf(MERCHANT_B));
    nin = new Api(t.server.url, NIN_CREDENTIALS);
  });

  it('the quick start: "name phoneNumber address birthDate", force approved by a test user, gives exactly those claims of that user', async () => {
    const sub = await consentedSub(a1, 'name phoneNumber address birthDate', ADA.phoneNumber);
    const res = await a1.userinfo(sub);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
    assert.deepEqual(res.body, {
      sub,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      phone_number: '4712345678',
      phone_number_verified: true,
      birthdate: '1988-12-31',
      address: adaAddress,
      other_addresses: [],
    });
  });

  it('each scope alone gives its own claims and no others', async () => {
    const expected: Record<string, Record<string, unknown>> = {
      name: { name: 'Nora Kari Nordmann', given_name: 'Nora Kari', family_name: 'Nordmann' },
      email: { email: 'nora@example.com', email_verified: true },
      phoneNumber: { phone_number: '4791234567', phone_number_verified: true },
      birthDate: { birthdate: '1975-05-09' },
      address: {
        address: {
          street_address: 'Storgata 1\nLeilighet H0301',
          postal_code: '0155',
          region: 'Oslo',
          country: 'NO',
          formatted: 'Storgata 1\nLeilighet H0301\n0155 Oslo\nNO',
          address_type: 'home',
        },
        other_addresses: [],
      },
    };
    for (const [scope, claims] of Object.entries(expected)) {
      const sub = await consentedSub(a1, scope, NORA.phoneNumber);
      const res = await a1.userinfo(sub);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { sub, ...claims }, scope);
    }
  });

  it('the sub is per user and sales unit; the latest consent at a sales unit decides the claims', async () => {
    const first = await consentedSub(a1, 'email', ADA.phoneNumber);
    const again = await consentedSub(a1, 'name', ADA.phoneNumber);
    assert.equal(again, first, 'the same user at the same sales unit keeps the sub');
    assert.deepEqual((await a1.userinfo(first)).body, { sub: first, name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace' });
    const elsewhere = await consentedSub(a2, 'email', ADA.phoneNumber);
    assert.notEqual(elsewhere, first, 'another sales unit of the same merchant has another sub');
    assert.notEqual(await consentedSub(a1, 'email', NORA.phoneNumber), first, 'another user has another sub');
  });

  it("email_verified is true for configured test users and false for generated ones (acceptAnyUser)", async () => {
    const generated = '4790000017';
    const sub = await consentedSub(a1, 'email name', generated);
    assert.deepEqual((await a1.userinfo(sub)).body, {
      sub,
      name: 'Test User 0017',
      given_name: 'Test',
      family_name: 'User 0017',
      email: `user-${generated}@example.com`,
      email_verified: false,
    });
  });

  it('nin only where the sales unit may ask for it (allowNin) and the user has one; accountNumbers gives no claim', async () => {
    const refused = await a1.createPayment({ profile: { scope: 'name nin' } });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(errorCode(refused), '5030');

    const sub = await consentedSub(nin, 'name nin accountNumbers', NORA.phoneNumber);
    assert.deepEqual((await nin.userinfo(sub)).body, { sub, name: 'Nora Kari Nordmann', given_name: 'Nora Kari', family_name: 'Nordmann', nin: '09057517287' });
    const withoutNin = await consentedSub(nin, 'nin', ADA.phoneNumber);
    assert.deepEqual((await nin.userinfo(withoutNin)).body, { sub: withoutNin }, 'a user without a nin has no nin claim');
  });

  describe('credentials', () => {
    let sub: string;
    before(async () => {
      sub = await consentedSub(a1, 'name', ADA.phoneNumber);
    });

    it('without a token: 401; with a malformed, forged or non-Bearer one: 401', async () => {
      const key = { 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey };
      assertUserinfoError(await a1.userinfo(sub, { bare: true, headers: key }), 401, /Authorization header is missing/);
      assertUserinfoError(await a1.userinfo(sub, { bare: true }), 401);
      assertUserinfoError(await a1.userinfo(sub, { headers: { Authorization: 'Bearer not-a-token' } }), 401, /not valid/);
      assertUserinfoError(await a1.userinfo(sub, { headers: { Authorization: await a1.token() } }), 401, /Bearer/);
    });

    it("the merchant's token works without the subscription key and without Merchant-Serial-Number", async () => {
      const onlyToken = await a1.userinfo(sub, { bare: true, headers: { Authorization: `Bearer ${await a1.token()}` } });
      assert.equal(onlyToken.status, 200, onlyToken.text);
      assert.equal(onlyToken.body.sub, sub);
      const withoutMsn = await a1.userinfo(sub, { withoutMsn: true });
      assert.equal(withoutMsn.status, 200, withoutMsn.text);
      const allHeaders = await a1.userinfo(sub, { headers: { 'Vipps-System-Name': 'woocommerce', 'Vipps-System-Plugin-Name': 'vipps-woocommerce-plugin-name' } });
      assert.equal(allHeaders.status, 200, allHeaders.text);
    });

    it("a subscription key that is not the token's merchant's: 401", async () => {
      assertUserinfoError(await a1.userinfo(sub, { headers: { 'Ocp-Apim-Subscription-Key': MERCHANT_B.subscriptionKey } }), 401, /subscription key/);
      assertUserinfoError(await a1.userinfo(sub, { headers: { 'Ocp-Apim-Subscription-Key': 'no-such-key' } }), 401);
    });

    it("another merchant's credentials, or another sales unit's, get 403", async () => {
      assertUserinfoError(await b.userinfo(sub), 403, /another sales unit/);
      assertUserinfoError(await b.userinfo(sub, { withoutMsn: true }), 403);
      assertUserinfoError(await a2.userinfo(sub), 403, /another sales unit/);
      // A token issued for the other sales unit (requested with Merchant-Serial-Number), sent without the header.
      const issued = await a1.call('POST', '/accesstoken/get', {
        bare: true,
        headers: { client_id: MERCHANT_A.clientId, client_secret: MERCHANT_A.clientSecret, 'Ocp-Apim-Subscription-Key': MERCHANT_A.subscriptionKey, 'Merchant-Serial-Number': MSN_A2 },
      });
      assert.equal(issued.status, 200, issued.text);
      assertUserinfoError(await a1.userinfo(sub, { bare: true, headers: { Authorization: `Bearer ${issued.body.access_token}` } }), 403);
      assertUserinfoError(
        await a1.userinfo(sub, { headers: { Authorization: `Bearer ${issued.body.access_token}`, 'Merchant-Serial-Number': MSN_A1 } }),
        403,
        /not allowed to act for Merchant-Serial-Number/,
      );
    });

    it("a Merchant-Serial-Number the merchant does not own: 403; a malformed one: 400", async () => {
      assertUserinfoError(await a1.userinfo(sub, { headers: { 'Merchant-Serial-Number': '345678' } }), 403, /345678/);
      assertUserinfoError(await a1.userinfo(sub, { headers: { 'Merchant-Serial-Number': 'abc' } }), 400, /Merchant-Serial-Number/);
    });

    it('an unknown sub: 404', async () => {
      assertUserinfoError(await a1.userinfo('c06c4afe-d9e1-4c5d-939a-177d752a0944'), 404, /No user information/);
      assertUserinfoError(await a1.userinfo('not a sub at all'), 404);
    });

    it('a payment without profile.scope gives no sub and no user information', async () => {
      const reference = await a1.authorized();
      const payment = await a1.getPayment(reference);
      assert.deepEqual(payment.body.profile, {});
    });
  });
});

describe('Userinfo API: 168 hours on the platform clock', () => {
  const t = useServer(SERVER_OPTIONS);
  let api: Api;
  before(() => {
    api = new Api(t.server.url, credentialsOf(MERCHANT_A, MSN_A1));
  });
  /** Moves the test clock; access tokens expire with it (after 1 h), so a new one is fetched. */
  async function advance(minutes: number): Promise<void> {
    const res = await api.call('POST', '/vipps-local/v1/clock/advance', { bare: true, body: { minutes } });
    assert.equal(res.status, 200, res.text);
    api.forgetToken();
  }

  it('answers for 168 hours after the authorization, then 403 saying the time is up; a new consent gives access again', async () => {
    const sub = await consentedSub(api, 'birthDate', ADA.phoneNumber);
    await advance(167 * 60);
    const within = await api.userinfo(sub);
    assert.equal(within.status, 200, within.text);
    assert.deepEqual(within.body, { sub, birthdate: ADA.birthDate });
    await advance(61);
    assertUserinfoError(await api.userinfo(sub), 403, /168 hours after the payment was authorized/);

    assert.equal(await consentedSub(api, 'name', ADA.phoneNumber), sub);
    assert.deepEqual((await api.userinfo(sub)).body, { sub, name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace' });
  });

  it('an approval whose result is unknown for an hour (test amount 201) gives the consent when it is authorized', async () => {
    const reference = await api.created({ amount: { currency: 'NOK', value: 201 }, profile: { scope: 'email' } });
    assert.equal((await api.approve(reference, { customer: { phoneNumber: NORA.phoneNumber } })).status, 200);
    assert.deepEqual((await api.getPayment(reference)).body.profile, {}, 'no sub before the authorization');
    await advance(61);
    const payment = await api.getPayment(reference);
    assert.equal(payment.body.state, 'AUTHORIZED');
    const sub = payment.body.profile.sub as string;
    assert.deepEqual((await api.userinfo(sub)).body, { sub, email: NORA.email, email_verified: true });
  });
});
