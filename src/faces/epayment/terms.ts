// What the ePayment face keeps of a create request beyond the engine's neutral terms: the payment's
// `attachments.epayment`. Payments written before the engine was made neutral kept all of it in
// `terms`, which is why termsOf() falls back to them.
import type { Payment } from '../../domain/payment.ts';

export type PaymentMethodType = 'WALLET' | 'CARD' | 'CARD_PASSTHROUGH';

export type CardPassthroughCardType = 'VISA_DEBIT' | 'VISA_CREDIT' | 'MC_CREDIT' | 'MC_DEBIT' | 'DANKORT';

/** The create request's `cardPassthrough` (spec CardPassthrough), as sent. */
export interface CardPassthrough {
  pspReference: string;
  cardCallbackUrl: string;
  allowedCardTypes: CardPassthroughCardType[];
  preferVisaPartOfVisaDankort?: boolean;
  /** Kept, but unused: the platform sends network tokens only, never an encryptedPan. */
  publicEncryptionKeyId?: string;
}

export interface EpaymentTerms {
  paymentMethod: { type: PaymentMethodType; blockedSources?: string[] };
  customer?: { phoneNumber?: string; personalQr?: string; customerToken?: string };
  customerInteraction: 'CUSTOMER_PRESENT' | 'CUSTOMER_NOT_PRESENT';
  metadata?: Record<string, string>;
  receipt?: unknown;
  receiptUrl?: string;
  industryData?: unknown;
  shipping?: unknown;
  /** CARD_PASSTHROUGH: what the card callback needs (faces/epayment/card-callback.ts). */
  cardPassthrough?: CardPassthrough;
  /** The PSP that created the payment (ePayment with Psp-Id): its client id finds the client_secret that signs the card callback. */
  psp?: { pspId: string; clientId: string };
}

const WALLET: EpaymentTerms = { paymentMethod: { type: 'WALLET' }, customerInteraction: 'CUSTOMER_NOT_PRESENT' };

/** The ePayment terms of a payment (a payment another face created has none: it reads as a WALLET payment). */
export function epaymentTermsOf(p: Payment): EpaymentTerms {
  const attached = p.attachments?.epayment as EpaymentTerms | undefined;
  if (attached) return attached;
  const legacy = p.terms as unknown as Partial<EpaymentTerms>;
  return legacy.paymentMethod ? (legacy as EpaymentTerms) : WALLET;
}
