// The receipt (order lines and bottom line) that ePayment's create and the Order Management API both
// take: `Receipt`, `OrderLine`, `BottomLine` and `UnitInfo` of the official specs (ePayment 1.8.1 and
// Order Management 2.1 declare them alike). Objects reject unknown properties in strict mode; the
// lenient reader drops them first (faces/lenient).
import { Type, type TSchema, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

/** The spec's `nullable: true` (OpenAPI 3.0), which Ajv understands natively. */
export function Nullable<T extends TSchema>(schema: T) {
  const copy: Record<string, unknown> = { ...schema, nullable: true };
  if (Array.isArray(copy.enum)) copy.enum = [...(copy.enum as unknown[]), null];
  return Type.Unsafe<Static<T> | null>(copy);
}

export const StringEnum = <T extends string[]>(values: [...T]) => Type.Unsafe<T[number]>({ type: 'string', enum: values });

const UnitInfoSchema = Type.Object(
  {
    unitPrice: Nullable(Type.Integer({ minimum: 0 })),
    quantity: Type.String({ maxLength: 10, pattern: '^\\d+([\\.]\\d{1,8})?$' }),
    quantityUnit: Type.Optional(Nullable(StringEnum(['PCS', 'KG', 'KM', 'MINUTE', 'LITRE', 'KWH']))),
  },
  strict,
);

const OrderLineSchema = Type.Object(
  {
    name: Type.String(),
    id: Type.String(),
    totalAmount: Type.Integer(),
    totalAmountExcludingTax: Type.Integer(),
    totalTaxAmount: Type.Integer(),
    taxPercentage: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100 }))),
    taxRate: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10000 }))),
    unitInfo: Type.Optional(UnitInfoSchema),
    discount: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    productUrl: Type.Optional(Nullable(Type.String())),
    isReturn: Type.Optional(Nullable(Type.Boolean())),
    isShipping: Type.Optional(Nullable(Type.Boolean())),
  },
  strict,
);

const ShippingInfoSchema = Type.Object(
  {
    amount: Nullable(Type.Integer({ minimum: 0 })),
    amountExcludingTax: Nullable(Type.Integer({ minimum: 0 })),
    taxAmount: Nullable(Type.Integer({ minimum: 0 })),
    taxPercentage: Nullable(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  strict,
);

const NullableInt = () => Type.Optional(Nullable(Type.Integer()));
const NullableNonNegative = () => Type.Optional(Nullable(Type.Integer({ minimum: 0 })));

const bottomLineSchema = (currency: TSchema) =>
  Type.Object(
    {
      currency,
      tipAmount: NullableNonNegative(),
      giftCardAmount: NullableNonNegative(),
      posId: Type.Optional(Nullable(Type.String())),
      totalAmount: NullableInt(),
      totalTax: NullableNonNegative(),
      totalDiscount: NullableNonNegative(),
      shippingAmount: NullableNonNegative(),
      shippingInfo: Type.Optional(ShippingInfoSchema),
      paymentSources: Type.Optional(
        Type.Object({ giftCard: NullableInt(), card: NullableInt(), voucher: NullableInt(), cash: NullableInt() }, strict),
      ),
      barcode: Type.Optional(
        Type.Object(
          {
            format: Nullable(StringEnum(['EAN-13', 'CODE 39', 'CODE 128'])),
            data: Nullable(Type.String()),
          },
          strict,
        ),
      ),
      receiptNumber: Type.Optional(Nullable(Type.String())),
      terminalId: Type.Optional(Nullable(Type.String())),
    },
    strict,
  );

/** The spec's `Receipt` ({ orderLines, bottomLine }), with the currencies the API takes. */
export function receiptSchema(currency: TSchema) {
  return Type.Object(
    {
      orderLines: Type.Array(OrderLineSchema, { minItems: 1 }),
      bottomLine: bottomLineSchema(currency),
    },
    strict,
  );
}

