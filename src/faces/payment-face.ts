// Which API a payment was made through, read from the faces' attachments: the dashboard's and the
// operator API's payment lists show it.
import type { Payment } from '../domain/payment.ts';
import { pspAttachmentOf } from './psp/new-psp-payment.ts';
import { stripeAttachmentOf } from './stripe/intent-model.ts';

export type PaymentFace = 'ePayment' | 'Stripe' | 'PSP';

export function faceOf(p: Payment): PaymentFace {
  if (stripeAttachmentOf(p)) return 'Stripe';
  if (pspAttachmentOf(p)) return 'PSP';
  return 'ePayment';
}
