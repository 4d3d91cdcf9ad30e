// TypeBox schemas of the PSP API v3 requests read by schema (shared/specs/vipps/psp/swagger.yaml).
// The init request is checked by hand (init-rules.ts) for the guide's own messages.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../receipt/receipt-schema.ts';
import { PSP_OPERATIONS } from './psp-store.ts';

const INT32_MAX = 2_147_483_647;

export const TransactionInfoSchema = Type.Object({
  pspTransactionId: Type.String({ minLength: 1 }),
  status: StringEnum([...PSP_OPERATIONS]),
  amount: Type.Integer({ maximum: INT32_MAX }),
  currency: Type.Optional(Type.String()),
  paymentText: Type.Optional(Type.String()),
  operationStatus: Type.Optional(StringEnum(['SUCCESS', 'FAILED'])),
});

export const PaymentStatusRequest = Type.Object({ transactions: Type.Array(TransactionInfoSchema) });
export type PaymentStatusRequestT = Static<typeof PaymentStatusRequest>;

export const ForceApproveRequest = Type.Object({ customerPhoneNumber: Type.String({ pattern: '^\\d{8}$' }), token: Type.String({ minLength: 1 }) });
export type ForceApproveRequestT = Static<typeof ForceApproveRequest>;

export const TransactionParams = Type.Object({ pspTransactionId: Type.String({ minLength: 1 }) });
export type TransactionParamsT = Static<typeof TransactionParams>;
