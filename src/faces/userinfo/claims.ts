// The Userinfo API's body (spec userinfo/swagger.yaml `Userinfo`): OpenID Connect claims of the
// user's current profile, only those of the consented scopes. Which claims each scope gives is the
// current reference page's list (PLATFORM-NOTES-ADDENDUM §1, UI-REF); decisions in docs/decisions.md.
import type { SalesUnit } from '../../domain/sales-unit.ts';
import type { TestUser } from '../../domain/test-user.ts';

export interface UserinfoAddress {
  street_address: string;
  postal_code: string;
  region: string;
  country: string;
  formatted: string;
  address_type: 'home' | 'work' | 'other';
}

export interface Userinfo {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  birthdate?: string;
  address?: UserinfoAddress;
  other_addresses?: UserinfoAddress[];
  nin?: string;
}

/** The user as Userinfo sees them: the test user, and whether the config named them (their email counts as verified). */
export interface ProfileOwner {
  user: TestUser;
  configured: boolean;
}

function addressOf(a: NonNullable<TestUser['address']>): UserinfoAddress {
  // OIDC's street_address may span lines; the platform's `formatted` is street, "postcode city", country.
  const street = a.addressLine2 ? `${a.addressLine1}\n${a.addressLine2}` : a.addressLine1;
  return {
    street_address: street,
    postal_code: a.postCode,
    region: a.city,
    country: a.country,
    formatted: `${street}\n${a.postCode} ${a.city}\n${a.country}`,
    address_type: 'home',
  };
}

/** The claims of `scopes` for `owner`, as sales unit `unit` may see them. `sub` is always there. */
export function userinfoClaims(sub: string, scopes: readonly string[], owner: ProfileOwner, unit: SalesUnit | undefined): Userinfo {
  const { user } = owner;
  const claims: Userinfo = { sub };
  const has = (s: string) => scopes.includes(s);
  if (has('name')) {
    claims.name = `${user.firstName} ${user.lastName}`;
    claims.given_name = user.firstName;
    claims.family_name = user.lastName;
  }
  if (has('email')) {
    claims.email = user.email;
    // The test environment verifies no email; configured test users count as verified, generated
    // ones (acceptAnyUser) do not, so both branches of a merchant's account linking can be tested.
    claims.email_verified = owner.configured;
  }
  if (has('phoneNumber')) {
    claims.phone_number = user.phoneNumber;
    claims.phone_number_verified = true;
  }
  if (has('birthDate')) claims.birthdate = user.birthDate;
  if (has('address')) {
    if (user.address) claims.address = addressOf(user.address);
    // Test users have one address, their home address: no others.
    claims.other_addresses = [];
  }
  // nin needs the sales unit's permission (allowNin), checked again here: the config may have changed since.
  if (has('nin') && unit?.allowNin && user.nin) claims.nin = user.nin;
  // accountNumbers: the `accounts` claim is deprecated and no longer documented for any scope: never sent.
  return claims;
}
