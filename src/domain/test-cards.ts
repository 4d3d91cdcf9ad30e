// The cards a test user can pay with in the phone-app simulator. Most work; some fail in the same
// documented ways as the test environment's magic amounts (magic-amounts.ts), so that a tester can
// provoke a decline without changing the amount.
import { DomainError } from './reasons.ts';
import { FAILING_PAYMENT_AMOUNTS } from './magic-amounts.ts';

export interface TestCard {
  id: string;
  brand: 'Visa' | 'Mastercard';
  /** The first six digits (Bank Identification Number), which GetPayment returns as cardBin. */
  bin: string;
  last4: string;
  /** What the simulator shows under the card. */
  note: string;
  /** The magic amount whose failure this card provokes; undefined for a card that works. */
  failsLike?: keyof typeof FAILING_PAYMENT_AMOUNTS;
}

export const TEST_CARDS: readonly TestCard[] = [
  { id: 'visa-1111', brand: 'Visa', bin: '411111', last4: '1111', note: 'Works' },
  { id: 'mastercard-4444', brand: 'Mastercard', bin: '555555', last4: '4444', note: 'Works' },
  { id: 'visa-0151', brand: 'Visa', bin: '400000', last4: '0151', note: 'Declined: insufficient funds', failsLike: 151 },
  { id: 'mastercard-0182', brand: 'Mastercard', bin: '510510', last4: '0182', note: 'Declined: refused by issuer', failsLike: 182 },
  { id: 'visa-0186', brand: 'Visa', bin: '401288', last4: '0186', note: 'Declined: expired card', failsLike: 186 },
  { id: 'visa-0197', brand: 'Visa', bin: '400010', last4: '0197', note: 'Declined: 3-D Secure denied', failsLike: 197 },
  { id: 'mastercard-0202', brand: 'Mastercard', bin: '520082', last4: '0202', note: 'Needs identification (SCA)', failsLike: 202 },
];

export const DEFAULT_CARD_ID = 'visa-1111';

export function cardById(id: string): TestCard | undefined {
  return TEST_CARDS.find((c) => c.id === id);
}

export function cardLabel(card: TestCard): string {
  return `${card.brand} •••• ${card.last4}`;
}

/** The card to pay with, or 10040 for an id that names no test card. */
export function paymentSource(id: string | undefined): TestCard {
  const card = cardById(id ?? DEFAULT_CARD_ID);
  if (!card) {
    throw new DomainError('INVALID_PAYMENT_SOURCE', `"${id}" is not a test card. Use one of: ${TEST_CARDS.map((c) => c.id).join(', ')}.`);
  }
  return card;
}

/** The error approving with this card gives, or null when the card works. */
export function cardApprovalFailure(card: TestCard): DomainError | null {
  if (card.failsLike === undefined) return null;
  const magic = FAILING_PAYMENT_AMOUNTS[card.failsLike]!;
  return new DomainError(magic.refusal, `The card was declined: ${magic.reason} (test card ${cardLabel(card)}).`);
}
