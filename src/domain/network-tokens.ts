// The test environment's network tokens: what the platform hands a PSP for the card the shopper
// chose (PSP API v3's makePayment, ePayment card passthrough's card callback). The PSP guide's test
// tokens by amount (PLATFORM-NOTES-ADDENDUM §8); Mastercard with ECI 06, Visa with ECI 07.

export interface NetworkToken {
  number: string;
  cryptogram: string;
  expiryMonth: string;
  expiryYear: string;
  tokenType: 'VISA' | 'MASTERCARD';
  eci: string;
}

const CRYPTOGRAM_A = 'AlhlvxmN2ZKuAAESNFZ4GoABFA==';
const CRYPTOGRAM_B = 'uxToh3Ep6gsR8AAkvZALN19Iz34=';
const CRYPTOGRAM_C = 'AgAAAAAAAIR8CQrXSohbQAAAAAA=';

/** The PSP guide's test tokens by amount (ADDENDUM §8): number, expiry MM/YY, cryptogram. */
const TOKENS_BY_AMOUNT: Record<number, [string, string, string]> = {
  2200: ['5226603115488031', '05/25', CRYPTOGRAM_A],
  3200: ['4111111111111111', '03/30', CRYPTOGRAM_B],
  4200: ['4895370013193500', '03/30', CRYPTOGRAM_A],
  4300: ['5226603115488031', '03/30', CRYPTOGRAM_A],
  4400: ['4895370012792682', '12/22', CRYPTOGRAM_C],
  5100: ['4268270087302871', '09/24', CRYPTOGRAM_C],
  5200: ['5413330089010442', '12/25', CRYPTOGRAM_C],
};
/** The guide's token for any other amount is a Visa; a Mastercard chosen in the simulator gets the guide's Mastercard token. */
const DEFAULT_VISA: [string, string, string] = ['4895370013193500', '05/25', CRYPTOGRAM_A];
const DEFAULT_MASTERCARD: [string, string, string] = ['5226603115488031', '05/25', CRYPTOGRAM_A];

export function networkTokenFor(amount: number, cardBin: string | undefined): NetworkToken {
  const [number, expiry, cryptogram] = TOKENS_BY_AMOUNT[amount] ?? (cardBin?.startsWith('5') ? DEFAULT_MASTERCARD : DEFAULT_VISA);
  const [expiryMonth, expiryYear] = expiry.split('/') as [string, string];
  const mastercard = number.startsWith('5');
  // Mastercard goes with ECI 06, Visa with ECI 07 (the guide's PSD2 section).
  return { number, cryptogram, expiryMonth, expiryYear, tokenType: mastercard ? 'MASTERCARD' : 'VISA', eci: mastercard ? '06' : '07' };
}
