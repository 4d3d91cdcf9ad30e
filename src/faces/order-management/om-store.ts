// The Order Management face's own tables and repository: images (per sales unit, never
// overwritten), categories (v3 keeps a list per order, a v2 PUT replaces the list with one) and
// receipts (one per order, immutable). Created by the face's own migrations, emptied by reset, in the
// dialect-neutral SQL of store.ts (`?` placeholders, values bound) on either store.
// The platform does not check that an order id belongs to a payment (PLATFORM-NOTES-ADDENDUM §7),
// so nothing here refers to the payments table.
import type { ModuleMigration, SqlStore, SqlTx, Store } from '../../store/store.ts';
import { oncePerStore } from '../../store/per-store.ts';

export type PaymentType = 'ECOM' | 'RECURRING';
export const CATEGORY_TYPES = ['GENERAL', 'RECEIPT', 'ORDER_CONFIRMATION', 'DELIVERY', 'TICKET', 'BOOKING'] as const;
export type CategoryType = (typeof CATEGORY_TYPES)[number];

export interface OmImage {
  msn: string;
  imageId: string;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** The image's bytes, base64 as sent (decoded only to serve it). */
  base64: string;
  createdAt: number;
}

export interface OmCategory {
  /** A uuid (v3's `categoryId`; v2 makes one too and answers it). */
  categoryId: string;
  msn: string;
  paymentType: PaymentType;
  orderId: string;
  type: CategoryType;
  url: string;
  imageId: string | null;
  createdAt: number;
}

/** The receipt as the spec's `Receipt` ({ orderLines, bottomLine }), stored as read. */
export interface ReceiptDocument {
  orderLines: Array<Record<string, unknown>>;
  bottomLine: Record<string, unknown>;
}

export interface OmReceipt {
  msn: string;
  paymentType: PaymentType;
  orderId: string;
  receipt: ReceiptDocument;
  createdAt: number;
}

interface ImageRow {
  msn: string;
  image_id: string;
  mime: OmImage['mime'];
  width: number;
  height: number;
  src: string;
  created_at: number;
}

interface CategoryRow {
  category_id: string;
  msn: string;
  payment_type: PaymentType;
  order_id: string;
  type: CategoryType;
  url: string;
  image_id: string | null;
  created_at: number;
}

interface ReceiptRow {
  msn: string;
  payment_type: PaymentType;
  order_id: string;
  receipt: string;
  created_at: number;
}

export const ORDER_MANAGEMENT_MODULE = 'order-management';
const IMAGES = 'om_images';
const CATEGORIES = 'om_categories';
const RECEIPTS = 'om_receipts';

const table = (name: string, sqlite: string, postgres: string) => ({ sqlite: `CREATE TABLE ${name} (${sqlite})`, postgres: `CREATE TABLE ${name} (${postgres})` });

export const ORDER_MANAGEMENT_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    ...table(
      IMAGES,
      'msn TEXT NOT NULL, image_id TEXT NOT NULL, mime TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, src TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (msn, image_id)',
      'msn text NOT NULL, image_id text NOT NULL, mime text NOT NULL, width integer NOT NULL, height integer NOT NULL, src text NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (msn, image_id)',
    ),
  },
  {
    version: 2,
    // `seq` orders an order's categories (the newest is the one shown) when two share a time.
    ...table(
      CATEGORIES,
      'category_id TEXT PRIMARY KEY, msn TEXT NOT NULL, payment_type TEXT NOT NULL, order_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, url TEXT NOT NULL, image_id TEXT, created_at INTEGER NOT NULL',
      'category_id text PRIMARY KEY, msn text NOT NULL, payment_type text NOT NULL, order_id text NOT NULL, seq integer NOT NULL, type text NOT NULL, url text NOT NULL, image_id text, created_at bigint NOT NULL',
    ),
  },
  { version: 3, sqlite: `CREATE INDEX om_categories_order ON ${CATEGORIES} (msn, order_id, seq)`, postgres: `CREATE INDEX om_categories_order ON ${CATEGORIES} (msn, order_id, seq)` },
  {
    version: 4,
    ...table(
      RECEIPTS,
      'msn TEXT NOT NULL, payment_type TEXT NOT NULL, order_id TEXT NOT NULL, receipt TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (msn, payment_type, order_id)',
      'msn text NOT NULL, payment_type text NOT NULL, order_id text NOT NULL, receipt text NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (msn, payment_type, order_id)',
    ),
  },
];

const IMAGE_COLUMNS = 'msn, image_id, mime, width, height, src, created_at';
const CATEGORY_COLUMNS = 'category_id, msn, payment_type, order_id, type, url, image_id, created_at';
const RECEIPT_COLUMNS = 'msn, payment_type, order_id, receipt, created_at';

const toImage = (r: ImageRow): OmImage => ({ msn: r.msn, imageId: r.image_id, mime: r.mime, width: Number(r.width), height: Number(r.height), base64: r.src, createdAt: Number(r.created_at) });
const toCategory = (r: CategoryRow): OmCategory => ({
  categoryId: r.category_id,
  msn: r.msn,
  paymentType: r.payment_type,
  orderId: r.order_id,
  type: r.type,
  url: r.url,
  imageId: r.image_id,
  createdAt: Number(r.created_at),
});
const toReceipt = (r: ReceiptRow): OmReceipt => ({ msn: r.msn, paymentType: r.payment_type, orderId: r.order_id, receipt: JSON.parse(r.receipt) as ReceiptDocument, createdAt: Number(r.created_at) });

/** Reads, on a transaction or outside one. */
export interface OmReader {
  image(msn: string, imageId: string): Promise<OmImage | null>;
  /** An order's categories, oldest first (the last one is the one the app shows). */
  categories(msn: string, orderId: string): Promise<OmCategory[]>;
  category(msn: string, categoryId: string): Promise<OmCategory | null>;
  receipt(msn: string, paymentType: PaymentType, orderId: string): Promise<OmReceipt | null>;
}

/** Writes, in a unit of work. */
export interface OmRepository extends OmReader {
  /** Adds an image; false when the sales unit already has one with that id (images are never overwritten). */
  addImage(image: OmImage): Promise<boolean>;
  /** v3: one more category of the order. */
  addCategory(category: OmCategory): Promise<void>;
  /** v2: the order's categories become this one. */
  replaceCategories(category: OmCategory): Promise<void>;
  /** False when no such category of this sales unit exists. */
  deleteCategory(msn: string, categoryId: string): Promise<boolean>;
  /** Adds the order's receipt; false when it has one already (receipts are immutable). */
  addReceipt(receipt: OmReceipt): Promise<boolean>;
}

export interface OmStore extends OmReader {
  /** The repository on a unit of work's transaction. */
  in(sql: SqlTx): OmRepository;
}

class SqlOmReader implements OmReader {
  constructor(protected readonly sql: SqlTx | SqlStore) {}

  async image(msn: string, imageId: string): Promise<OmImage | null> {
    const [row] = await this.sql.query<ImageRow>(`SELECT ${IMAGE_COLUMNS} FROM ${IMAGES} WHERE msn = ? AND image_id = ?`, [msn, imageId]);
    return row ? toImage(row) : null;
  }

  async categories(msn: string, orderId: string): Promise<OmCategory[]> {
    return (await this.sql.query<CategoryRow>(`SELECT ${CATEGORY_COLUMNS} FROM ${CATEGORIES} WHERE msn = ? AND order_id = ? ORDER BY seq`, [msn, orderId])).map(toCategory);
  }

  async category(msn: string, categoryId: string): Promise<OmCategory | null> {
    const [row] = await this.sql.query<CategoryRow>(`SELECT ${CATEGORY_COLUMNS} FROM ${CATEGORIES} WHERE msn = ? AND category_id = ?`, [msn, categoryId]);
    return row ? toCategory(row) : null;
  }

  async receipt(msn: string, paymentType: PaymentType, orderId: string): Promise<OmReceipt | null> {
    const [row] = await this.sql.query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM ${RECEIPTS} WHERE msn = ? AND payment_type = ? AND order_id = ?`, [msn, paymentType, orderId]);
    return row ? toReceipt(row) : null;
  }
}

class SqlOmRepository extends SqlOmReader implements OmRepository {
  constructor(private readonly tx: SqlTx) {
    super(tx);
  }

  async addImage(i: OmImage): Promise<boolean> {
    const added = await this.tx.query<{ image_id: string }>(
      `INSERT INTO ${IMAGES} (${IMAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (msn, image_id) DO NOTHING RETURNING image_id`,
      [i.msn, i.imageId, i.mime, i.width, i.height, i.base64, i.createdAt],
    );
    return added.length === 1;
  }

  async addCategory(c: OmCategory): Promise<void> {
    const [last] = await this.tx.query<{ seq: number | null }>(`SELECT MAX(seq) AS seq FROM ${CATEGORIES} WHERE msn = ? AND order_id = ?`, [c.msn, c.orderId]);
    await this.insertCategory(c, Number(last?.seq ?? 0) + 1);
  }

  async replaceCategories(c: OmCategory): Promise<void> {
    await this.tx.execute(`DELETE FROM ${CATEGORIES} WHERE msn = ? AND order_id = ?`, [c.msn, c.orderId]);
    await this.insertCategory(c, 1);
  }

  private insertCategory(c: OmCategory, seq: number): Promise<void> {
    return this.tx.execute(`INSERT INTO ${CATEGORIES} (${CATEGORY_COLUMNS}, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      c.categoryId,
      c.msn,
      c.paymentType,
      c.orderId,
      c.type,
      c.url,
      c.imageId,
      c.createdAt,
      seq,
    ]);
  }

  async deleteCategory(msn: string, categoryId: string): Promise<boolean> {
    const gone = await this.tx.query<{ category_id: string }>(`DELETE FROM ${CATEGORIES} WHERE msn = ? AND category_id = ? RETURNING category_id`, [msn, categoryId]);
    return gone.length === 1;
  }

  async addReceipt(r: OmReceipt): Promise<boolean> {
    const added = await this.tx.query<{ order_id: string }>(
      `INSERT INTO ${RECEIPTS} (${RECEIPT_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (msn, payment_type, order_id) DO NOTHING RETURNING order_id`,
      [r.msn, r.paymentType, r.orderId, JSON.stringify(r.receipt), r.createdAt],
    );
    return added.length === 1;
  }
}

class SqlOmStore extends SqlOmReader implements OmStore {
  in(sql: SqlTx): OmRepository {
    return new SqlOmRepository(sql);
  }
}

/** The face's store on `store`: its tables are created (once per store) before it is returned. */
export const orderManagementStore: (store: Store) => Promise<OmStore> = oncePerStore(openOmStore);

async function openOmStore(store: Store): Promise<OmStore> {
  await store.applyMigrations(ORDER_MANAGEMENT_MODULE, ORDER_MANAGEMENT_MIGRATIONS);
  for (const name of [IMAGES, CATEGORIES, RECEIPTS]) store.resetsTable(name);
  return new SqlOmStore(store.sql);
}
