// TypeBox schemas for ePayment API v1 requests, transcribed from the official spec
// (shared/specs/vipps/epayment/epayment.yaml, 1.8.1). Objects reject unknown properties: a typo in
// a field name is a 400 naming that field, never a silently ignored value.
import { Type, type TSchema, type Static } from '@sinclair/typebox';
import { systemHeaders } from '../system-headers.ts';
import { Nullable, receiptSchema, StringEnum } from '../receipt/receipt-schema.ts';

const strict = { additionalProperties: false } as const;

export const ReferenceSchema = Type.String({ pattern: '^[a-zA-Z0-9-]{8,64}$', minLength: 8, maxLength: 64 });
export const MsnSchema = Type.String({ pattern: '^[0-9]{4,10}$', minLength: 4, maxLength: 10 });

export const CurrencySchema = StringEnum(['NOK', 'DKK', 'EUR', 'SEK', 'USD', 'GBP']);
export const AmountSchema = Type.Object(
  {
    currency: CurrencySchema,
    // A number here; that it is an integer is a rule with its own code (4040), checked by the domain.
    value: Type.Number({ minimum: 0, maximum: 65000000 }),
  },
  strict,
);

const CustomerSchema = Type.Object(
  {
    // The MSISDN format (^\\d{9,15}$) has its own code (4070), checked by the domain.
    phoneNumber: Type.Optional(Type.String()),
    personalQr: Type.Optional(Type.String({ minLength: 5, maxLength: 255 })),
    customerToken: Type.Optional(Type.String({ minLength: 1 })),
  },
  strict,
);

export const ReceiptSchema = receiptSchema(CurrencySchema);

const ShippingOptionSchema = Type.Object(
  {
    id: Type.String(),
    isDefault: Type.Optional(Type.Boolean()),
    amount: AmountSchema,
    name: Type.String(),
    priority: Type.Optional(Type.Integer()),
    meta: Type.Optional(Type.String()),
    estimatedDelivery: Type.Optional(Type.String()),
  },
  strict,
);

const ShippingGroupSchema = Type.Object(
  {
    isDefault: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Integer()),
    type: StringEnum(['HOME_DELIVERY', 'PICKUP_POINT', 'MAILBOX', 'IN_STORE', 'OTHER']),
    brand: StringEnum(['POSTEN', 'BRING', 'POSTNORD', 'HELTHJEM', 'PORTERBUDDY', 'DHL', 'INSTABOX', 'FEDEX', 'MATKAHUOLTO', 'GLS', 'POSTI', 'GORDON', 'OTHER']),
    options: Type.Array(ShippingOptionSchema),
  },
  strict,
);

const ShippingSchema = Type.Object(
  {
    dynamicOptions: Type.Optional(
      Type.Object(
        {
          callbackUrl: Type.String(),
          // The spec's ^[a-zA-Z0-9-]{1,50}$ is the pattern of the callback's Authorization header, where
          // the token is echoed; the field itself takes what merchants send (WooCommerce: 64 hex digits).
          callbackAuthorizationToken: Type.Optional(Type.String({ minLength: 1 })),
        },
        strict,
      ),
    ),
    fixedOptions: Type.Optional(Type.Array(ShippingGroupSchema)),
  },
  strict,
);

const AirlineDataSchema = Type.Object(
  {
    agencyInvoiceNumber: Type.String({ minLength: 1, maxLength: 6 }),
    airlineCode: Type.String({ minLength: 3, maxLength: 3 }),
    airlineDesignatorCode: Type.String({ minLength: 2, maxLength: 2 }),
    passengerName: Type.String({ minLength: 1, maxLength: 49 }),
    ticketNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 150 })),
  },
  strict,
);

const CardPassthroughSchema = Type.Object(
  {
    pspReference: Type.String({ maxLength: 64 }),
    cardCallbackUrl: Type.String(),
    allowedCardTypes: Type.Array(StringEnum(['VISA_DEBIT', 'VISA_CREDIT', 'MC_CREDIT', 'MC_DEBIT', 'DANKORT'])),
    preferVisaPartOfVisaDankort: Type.Optional(Type.Boolean()),
    publicEncryptionKeyId: Type.Optional(Type.String()),
  },
  strict,
);

export const CreatePaymentRequestSchema = Type.Object(
  {
    amount: AmountSchema,
    customer: Type.Optional(CustomerSchema),
    minimumUserAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100 }))),
    customerInteraction: Type.Optional(StringEnum(['CUSTOMER_PRESENT', 'CUSTOMER_NOT_PRESENT'])),
    industryData: Type.Optional(Type.Object({ airlineData: Type.Optional(AirlineDataSchema) }, strict)),
    paymentMethod: Type.Object(
      {
        type: StringEnum(['WALLET', 'CARD', 'CARD_PASSTHROUGH']),
        blockedSources: Type.Optional(Type.Array(StringEnum(['COMMERCIAL_CARDS']))),
      },
      strict,
    ),
    profile: Type.Optional(Type.Object({ scope: Type.Optional(Type.String()) }, strict)),
    reference: ReferenceSchema,
    returnUrl: Type.Optional(Type.String({ maxLength: 2500 })),
    userFlow: StringEnum(['PUSH_MESSAGE', 'NATIVE_REDIRECT', 'WEB_REDIRECT', 'QR']),
    expiresAt: Type.Optional(
      Nullable(
        Type.String({
          pattern: '^((?:(\\d{4}-\\d{2}-\\d{2})(T|t)(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?))(Z|z|([+-](?:2[0-3]|[01][0-9]):[0-5][0-9])))$',
        }),
      ),
    ),
    qrFormat: Type.Optional(
      Nullable(
        Type.Object(
          {
            format: StringEnum(['TEXT/TARGETURL', 'IMAGE/SVG+XML', 'IMAGE/PNG']),
            size: Type.Optional(Nullable(Type.Integer({ minimum: 100, maximum: 2000 }))),
          },
          strict,
        ),
      ),
    ),
    paymentDescription: Type.Optional(Type.String({ minLength: 3, maxLength: 100 })),
    receipt: Type.Optional(ReceiptSchema),
    // Count and length limits have their own error codes (4100-4130), so they are checked by the rules.
    metadata: Type.Optional(Nullable(Type.Record(Type.String(), Type.String()))),
    receiptUrl: Type.Optional(Nullable(Type.String())),
    shipping: Type.Optional(ShippingSchema),
    cardPassthrough: Type.Optional(CardPassthroughSchema),
  },
  strict,
);
export type CreatePaymentBody = Static<typeof CreatePaymentRequestSchema>;

export const ModificationRequestSchema = Type.Object({ modificationAmount: AmountSchema }, strict);
export type ModificationBody = Static<typeof ModificationRequestSchema>;

export const CancelRequestSchema = Type.Object({ cancelTransactionOnly: Type.Optional(Type.Boolean()) }, strict);
export type CancelBody = Static<typeof CancelRequestSchema>;

export const ForceApproveSchema = Type.Object({ customer: Type.Optional(CustomerSchema), token: Type.Optional(Type.String()) }, strict);
export type ForceApproveBody = Static<typeof ForceApproveSchema>;

export const ReferenceParams = Type.Object({ reference: ReferenceSchema });
export type ReferenceParamsT = Static<typeof ReferenceParams>;


export const IdempotentHeaders = Type.Object({ 'idempotency-key': Type.String({ minLength: 1, maxLength: 50 }), ...systemHeaders });
export const OptionalIdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), ...systemHeaders });
export const PlainHeaders = Type.Object(systemHeaders);
