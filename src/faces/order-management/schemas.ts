// TypeBox schemas of the Order Management API 2.1 (shared/specs/vipps/order-management/swagger.yaml).
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, receiptSchema, StringEnum } from '../receipt/receipt-schema.ts';

import { CATEGORY_TYPES } from './om-store.ts';

const strict = { additionalProperties: false } as const;
const ID_PATTERN = '^[0-9A-Za-z-_\\.]+$';
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const ImageId = Type.String({ minLength: 1, maxLength: 128, pattern: ID_PATTERN });
const OrderId = Type.String({ minLength: 1, pattern: ID_PATTERN });
const CategoryType = StringEnum([...CATEGORY_TYPES]);
// `format: uri` in the spec; the link rule (an absolute http(s) URL) is the face's own (domain/url-rules.ts).
const Url = Type.String({ minLength: 1 });

export const ImageRequest = Type.Object({ imageId: ImageId, src: Type.String(), type: StringEnum(['base64']) }, strict);
export type ImageRequestT = Static<typeof ImageRequest>;

export const OrderRequest = Type.Object({ category: CategoryType, orderDetailsUrl: Url, imageId: Type.Optional(Nullable(ImageId)) }, strict);
export type OrderRequestT = Static<typeof OrderRequest>;

// paymentType is matched case-insensitively (both official plugins send `ecom`): checked by the face.
export const AddCategoryRequest = Type.Object({ orderId: OrderId, paymentType: Type.String(), type: CategoryType, url: Url, imageId: Type.Optional(Nullable(ImageId)) }, strict);
export type AddCategoryRequestT = Static<typeof AddCategoryRequest>;

export const OmReceiptRequest = receiptSchema(StringEnum(['NOK', 'DKK', 'EUR']));
export type OmReceiptRequestT = Static<typeof OmReceiptRequest>;

export const OrderParams = Type.Object({ paymentType: Type.String(), orderId: OrderId });
export type OrderParamsT = Static<typeof OrderParams>;
export const TransactionParams = Type.Object({ transactionId: OrderId });
export type TransactionParamsT = Static<typeof TransactionParams>;
export const CategoryParams = Type.Object({ categoryId: Type.String({ pattern: UUID_PATTERN }) });
export type CategoryParamsT = Static<typeof CategoryParams>;
export const CategoryQuery = Type.Object({ orderId: Type.Optional(OrderId) });
export type CategoryQueryT = Static<typeof CategoryQuery>;


