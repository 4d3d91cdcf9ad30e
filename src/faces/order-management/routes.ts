// Order Management API 2.1 (spec order-management/swagger.yaml): images, categories and receipts
// that the app shows with a payment. The merchant's credentials as on ePayment (subscription key,
// bearer token, Merchant-Serial-Number); everything is kept per sales unit. The platform does not
// check that an order id belongs to a payment, so neither does this face; the one link to payments is
// the receipt: ePayment's create may carry it, and then Order Management has it already.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Payment } from '../../domain/payment.ts';
import { isAcceptableMerchantUrl } from '../../domain/url-rules.ts';
import { FieldValidationError, type FieldProblem } from '../../domain/reasons.ts';
import { ApiError } from '../api-error.ts';
import type { FaceContext } from '../face-context.ts';
import { lenientFace } from '../lenient/lenient-face.ts';
import { authenticateMerchant } from '../merchant-auth.ts';
import { orderLineProblems } from '../receipt/receipt-rules.ts';
import { SystemHeaders } from '../system-headers.ts';
import { InvalidParam, OM_ERRORS, omErrorHandler } from './error-map.ts';
import { decodeImage, MAX_IMAGE_BYTES } from './image-rules.ts';
import type { OmCategory, OmRepository, OmStore, PaymentType, ReceiptDocument } from './om-store.ts';
import { createReceiptOf } from './order-details.ts';
import {
  AddCategoryRequest,
  CategoryParams,
  CategoryQuery,
  ImageRequest,
  OmReceiptRequest,
  OrderParams,
  OrderRequest,
  TransactionParams,
  type AddCategoryRequestT,
  type CategoryParamsT,
  type CategoryQueryT,
  type ImageRequestT,
  type OmReceiptRequestT,
  type OrderParamsT,
  type OrderRequestT,
  type TransactionParamsT,
} from './schemas.ts';

export const ORDER_MANAGEMENT_PREFIX = '/order-management';

export interface OrderManagementFaceOptions {
  om: OmStore;
}

declare module 'fastify' {
  interface FastifyRequest {
    omMsn: string;
  }
}

/** `ECOM` or `RECURRING`, in any case (both official plugins send `ecom`). */
function paymentTypeOf(raw: string, name: string): PaymentType {
  const upper = raw.toUpperCase();
  if (upper === 'ECOM' || upper === 'RECURRING') return upper;
  throw new InvalidParam(name, `The value '${raw}' is not valid for ${name}: ECOM or RECURRING.`);
}

function checkUrl(url: string, name: string): void {
  if (!isAcceptableMerchantUrl(url)) throw new InvalidParam(name, `The field ${name} must be an absolute URL (https://…).`);
}

/** Order lines as the platform checks them: a tax rate, totals that add up, and no negative amounts (returns are flagged with isReturn). */
function checkReceipt(receipt: OmReceiptRequestT): void {
  const problems: FieldProblem[] = orderLineProblems(receipt.orderLines, 'orderLines');
  receipt.orderLines.forEach((line, i) => {
    for (const field of ['totalAmount', 'totalAmountExcludingTax', 'totalTaxAmount'] as const) {
      if (line[field] < 0) problems.push({ name: `orderLines[${i}].${field}`, reason: `The field ${field} must not be negative; a returned item is a line with isReturn: true.` });
    }
  });
  if (problems.length > 0) throw new FieldValidationError(problems);
}

/** The spec's `Order` of a category (v1 and v2). */
const orderOf = (c: OmCategory) => ({ category: c.type, orderDetailsUrl: c.url, ...(c.imageId !== null ? { imageId: c.imageId } : {}) });

/** The spec's `Category` (v3). */
const categoryOf = (c: OmCategory) => ({ categoryId: c.categoryId, orderId: c.orderId, paymentType: c.paymentType, type: c.type, url: c.url, ...(c.imageId !== null ? { imageId: c.imageId } : {}) });

export async function orderManagementRoutes(app: FastifyInstance, ctx: FaceContext, options: OrderManagementFaceOptions): Promise<void> {
  const { om } = options;
  lenientFace(app, { strict: ctx.strictRequests, jsonBodies: true });
  app.decorateRequest('omMsn', '');
  app.setErrorHandler(omErrorHandler(ctx.ids));
  // Authentication runs before the body is read: a caller without credentials learns nothing else.
  app.addHook('onRequest', async (req) => {
    req.omMsn = authenticateMerchant(req, ctx.directory, ctx.tokens, { msnRequired: true }).msn;
  });

  const unit = <T>(work: (repo: OmRepository) => Promise<T>) => ctx.engine.run((uow) => work(om.in(uow.tx.sql)));

  async function checkImage(repo: OmRepository, msn: string, imageId: string | null | undefined): Promise<void> {
    if (imageId == null) return;
    if (!(await repo.image(msn, imageId))) throw new InvalidParam('imageId', `No image with imageId '${imageId}' exists: upload it first with POST /order-management/v1/images.`);
  }

  /** The ePayment payment of an ECOM order, if one exists (its create may have carried the receipt). */
  const paymentOf = (msn: string, paymentType: PaymentType, orderId: string): Promise<Payment | null> =>
    paymentType === 'ECOM' ? ctx.engine.findPayment({ msn, reference: orderId }) : Promise.resolve(null);

  /** The order's receipt: the create's, or the one sent here. */
  async function receiptOf(msn: string, paymentType: PaymentType, orderId: string): Promise<ReceiptDocument | null> {
    const payment = await paymentOf(msn, paymentType, orderId);
    const fromCreate = payment ? createReceiptOf(payment) : null;
    return fromCreate ?? (await om.receipt(msn, paymentType, orderId))?.receipt ?? null;
  }

  async function addReceipt(req: FastifyRequest, paymentType: PaymentType, orderId: string, receipt: OmReceiptRequestT): Promise<void> {
    checkReceipt(receipt);
    const msn = req.omMsn;
    const payment = await paymentOf(msn, paymentType, orderId);
    const immutable = `A receipt is immutable: once sent it cannot be overwritten.`;
    if (payment && createReceiptOf(payment)) throw new ApiError(OM_ERRORS.CONFLICT, `Order ${orderId} already has a receipt: it was sent with the payment's create request. ${immutable}`);
    const added = await unit((repo) => repo.addReceipt({ msn, paymentType, orderId, receipt: receipt as ReceiptDocument, createdAt: ctx.clock.now() }));
    if (!added) throw new ApiError(OM_ERRORS.CONFLICT, `Order ${orderId} already has a receipt. ${immutable}`);
  }

  async function putCategory(req: FastifyRequest, paymentType: PaymentType, orderId: string, body: OrderRequestT): Promise<string> {
    checkUrl(body.orderDetailsUrl, 'orderDetailsUrl');
    const category: OmCategory = { categoryId: ctx.ids.uuid(), msn: req.omMsn, paymentType, orderId, type: body.category, url: body.orderDetailsUrl, imageId: body.imageId ?? null, createdAt: ctx.clock.now() };
    await unit(async (repo) => {
      await checkImage(repo, category.msn, category.imageId);
      await repo.replaceCategories(category);
    });
    return category.categoryId;
  }

  async function latestCategory(msn: string, paymentType: PaymentType, orderId: string): Promise<OmCategory | null> {
    return (await om.categories(msn, orderId)).filter((c) => c.paymentType === paymentType).at(-1) ?? null;
  }

  const notFound = (orderId: string) => new ApiError(OM_ERRORS.NOT_FOUND, `Nothing has been added to order ${orderId}.`);
  const jsonString = (s: string) => JSON.stringify(s);

  // ---- images -------------------------------------------------------------------------------
  // The body may hold 2 MB of image as base64 (4/3 of it) and the JSON around it.
  app.post<{ Body: ImageRequestT }>('/v1/images', { bodyLimit: Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024, schema: { body: ImageRequest, headers: SystemHeaders } }, async (req) => {
    const decoded = decodeImage(req.body.src);
    if ('reason' in decoded) throw new FieldValidationError([decoded]);
    const { imageId } = req.body;
    const added = await unit((repo) => repo.addImage({ msn: req.omMsn, imageId, ...decoded, createdAt: ctx.clock.now() }));
    if (!added) throw new ApiError(OM_ERRORS.CONFLICT, `An image with imageId '${imageId}' already exists (duplicate): images cannot be overwritten. Use it again, or upload under another imageId.`);
    return { imageId };
  });

  // ---- v2 -------------------------------------------------------------------------------------
  app.put<{ Params: OrderParamsT; Body: OrderRequestT }>('/v2/:paymentType/categories/:orderId', { schema: { params: OrderParams, body: OrderRequest, headers: SystemHeaders } }, async (req, reply) => {
    const id = await putCategory(req, paymentTypeOf(req.params.paymentType, 'paymentType'), req.params.orderId, req.body);
    return reply.type('application/json').send(jsonString(id));
  });

  app.post<{ Params: OrderParamsT; Body: OmReceiptRequestT }>('/v2/:paymentType/receipts/:orderId', { schema: { params: OrderParams, body: OmReceiptRequest, headers: SystemHeaders } }, async (req, reply) => {
    await addReceipt(req, paymentTypeOf(req.params.paymentType, 'paymentType'), req.params.orderId, req.body);
    return reply.code(201).type('application/json').send(jsonString(ctx.ids.uuid()));
  });

  app.get<{ Params: OrderParamsT }>('/v2/:paymentType/:orderId', { schema: { params: OrderParams, headers: SystemHeaders } }, async (req) => {
    const paymentType = paymentTypeOf(req.params.paymentType, 'paymentType');
    const { orderId } = req.params;
    const [category, receipt] = await Promise.all([latestCategory(req.omMsn, paymentType, orderId), receiptOf(req.omMsn, paymentType, orderId)]);
    if (!category && !receipt) throw notFound(orderId);
    return { ...(category ? { category: orderOf(category) } : {}), ...(receipt ? { receipt } : {}) };
  });

  // ---- v1 (deprecated in the spec; the same data, as ECOM orders) ------------------------------
  app.put<{ Params: TransactionParamsT; Body: OrderRequestT }>('/v1/orders/:transactionId', { schema: { params: TransactionParams, body: OrderRequest, headers: SystemHeaders } }, async (req, reply) => {
    await putCategory(req, 'ECOM', req.params.transactionId, req.body);
    return reply.code(200).send();
  });

  app.get<{ Params: TransactionParamsT }>('/v1/orders/:transactionId', { schema: { params: TransactionParams, headers: SystemHeaders } }, async (req) => {
    const category = await latestCategory(req.omMsn, 'ECOM', req.params.transactionId);
    if (!category) throw notFound(req.params.transactionId);
    return orderOf(category);
  });

  app.post<{ Params: TransactionParamsT; Body: OmReceiptRequestT }>('/v1/receipts/:transactionId', { schema: { params: TransactionParams, body: OmReceiptRequest, headers: SystemHeaders } }, async (req, reply) => {
    await addReceipt(req, 'ECOM', req.params.transactionId, req.body);
    return reply.code(200).send();
  });

  app.get<{ Params: TransactionParamsT }>('/v1/receipts/:transactionId', { schema: { params: TransactionParams, headers: SystemHeaders } }, async (req) => {
    const receipt = await receiptOf(req.omMsn, 'ECOM', req.params.transactionId);
    if (!receipt) throw notFound(req.params.transactionId);
    return receipt;
  });

  // ---- v3 -------------------------------------------------------------------------------------
  app.post<{ Body: AddCategoryRequestT }>('/v3/categories', { schema: { body: AddCategoryRequest, headers: SystemHeaders } }, async (req, reply) => {
    const body = req.body;
    const paymentType = paymentTypeOf(body.paymentType, 'paymentType');
    checkUrl(body.url, 'url');
    const category: OmCategory = { categoryId: ctx.ids.uuid(), msn: req.omMsn, paymentType, orderId: body.orderId, type: body.type, url: body.url, imageId: body.imageId ?? null, createdAt: ctx.clock.now() };
    await unit(async (repo) => {
      await checkImage(repo, category.msn, category.imageId);
      await repo.addCategory(category);
    });
    return reply.code(201).send({ categoryId: category.categoryId });
  });

  app.get<{ Querystring: CategoryQueryT }>('/v3/categories', { schema: { querystring: CategoryQuery, headers: SystemHeaders } }, async (req) => {
    const { orderId } = req.query;
    if (orderId === undefined) throw new InvalidParam('orderId', 'The query parameter orderId is required: categories are queried per order.');
    return { categories: (await om.categories(req.omMsn, orderId)).map(categoryOf) };
  });

  app.get<{ Params: CategoryParamsT }>('/v3/categories/:categoryId', { schema: { params: CategoryParams, headers: SystemHeaders } }, async (req) => {
    const category = await om.category(req.omMsn, req.params.categoryId.toLowerCase());
    if (!category) throw new ApiError(OM_ERRORS.NOT_FOUND, `No category with categoryId ${req.params.categoryId} exists.`);
    return categoryOf(category);
  });

  app.delete<{ Params: CategoryParamsT }>('/v3/categories/:categoryId', { schema: { params: CategoryParams, headers: SystemHeaders } }, async (req, reply) => {
    const deleted = await unit((repo) => repo.deleteCategory(req.omMsn, req.params.categoryId.toLowerCase()));
    if (!deleted) throw new ApiError(OM_ERRORS.NOT_FOUND, `No category with categoryId ${req.params.categoryId} exists.`);
    return reply.code(200).send();
  });
}
