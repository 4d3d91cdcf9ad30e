// A Vipps app user as the test environment knows them. Test users come from the config; any other
// valid MSISDN gets a generated user unless the config turns that off.
import type { UserDetails } from './payment.ts';

export interface TestUser {
  phoneNumber: string;
  firstName: string;
  lastName: string;
  email: string;
  /** YYYY-MM-DD */
  birthDate: string;
  nin?: string;
  address?: { addressLine1: string; addressLine2?: string; city: string; country: string; postCode: string };
}

export function generatedUser(phoneNumber: string): TestUser {
  return {
    phoneNumber,
    firstName: 'Test',
    lastName: `User ${phoneNumber.slice(-4)}`,
    email: `user-${phoneNumber}@example.com`,
    birthDate: '1990-01-01',
    address: { addressLine1: 'Robert Levins gate 5', city: 'Oslo', country: 'NO', postCode: '0154' },
  };
}

export function ageOn(birthDate: string, now: number): number {
  const born = new Date(`${birthDate}T00:00:00Z`);
  const today = new Date(now);
  let age = today.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < born.getUTCMonth() || (today.getUTCMonth() === born.getUTCMonth() && today.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export function userDetailsOf(user: TestUser): UserDetails {
  const details: UserDetails = {
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    mobileNumber: user.phoneNumber,
    dateOfBirth: user.birthDate,
  };
  if (user.address) details.addresses = [user.address];
  return details;
}
