// The Stripe face's own objects: PaymentIntents, PaymentMethods, Charges, Refunds, Events, webhook
// endpoints and Checkout Sessions, each stored as the JSON Stripe shows (`data`) beside what only the
// face knows of it (`internal`: the engine payment of the current attempt, a webhook secret, …).
// One table: every list is "this account's objects of one kind, newest first", filtered by a parent
// (the PaymentIntent of a Charge) or a tag (an Event's type), and paged by insertion order.
import type { ModuleMigration, SqlStore, SqlTx, Store } from '../../store/store.ts';
import { oncePerStore } from '../../store/per-store.ts';

export interface StoredObject<D = Record<string, unknown>, I = Record<string, unknown>> {
  id: string;
  account: string;
  /** Stripe's `object`: payment_intent, charge, refund, payment_method, event, webhook_endpoint, checkout.session. */
  kind: string;
  /** The object this one belongs to (a Charge's PaymentIntent); null when none. */
  parent: string | null;
  /** A second filter (an Event's type); null when none. */
  tag: string | null;
  data: D;
  internal: I;
}

interface Row {
  seq: number;
  id: string;
  account: string;
  kind: string;
  parent: string | null;
  tag: string | null;
  data: string;
  internal: string;
}

export const STRIPE_MODULE = 'stripe';
const TABLE = 'stripe_objects';

export const STRIPE_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    sqlite: `CREATE TABLE ${TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT, tag TEXT, data TEXT NOT NULL, internal TEXT NOT NULL);
      CREATE INDEX stripe_objects_list ON ${TABLE} (account, kind, seq);
      CREATE INDEX stripe_objects_parent ON ${TABLE} (parent, kind, seq) WHERE parent IS NOT NULL;`,
    postgres: `CREATE TABLE ${TABLE} (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, account text NOT NULL, kind text NOT NULL, parent text, tag text, data text NOT NULL, internal text NOT NULL);
      CREATE INDEX stripe_objects_list ON ${TABLE} (account, kind, seq);
      CREATE INDEX stripe_objects_parent ON ${TABLE} (parent, kind, seq) WHERE parent IS NOT NULL;`,
  },
];

const COLUMNS = 'seq, id, account, kind, parent, tag, data, internal';

function toObject<D, I>(r: Row): StoredObject<D, I> & { seq: number } {
  return { seq: Number(r.seq), id: r.id, account: r.account, kind: r.kind, parent: r.parent, tag: r.tag, data: JSON.parse(r.data) as D, internal: JSON.parse(r.internal) as I };
}

export interface ListQuery {
  account: string;
  kind: string;
  parent?: string;
  tag?: string;
  /** Created at or after (unix seconds), from `created[gte]`. */
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface ListPage<D> {
  data: D[];
  hasMore: boolean;
}

export interface StripeReader {
  get<D = Record<string, unknown>, I = Record<string, unknown>>(id: string): Promise<StoredObject<D, I> | null>;
  /** Newest first; `startingAfter`/`endingBefore` name an object of the same list (unknown → null). */
  list<D = Record<string, unknown>>(q: ListQuery): Promise<ListPage<D> | null>;
  /** The account's objects of a kind with `internal[field] = value`, e.g. webhook endpoints; small lists only. */
  all<D = Record<string, unknown>, I = Record<string, unknown>>(account: string, kind: string): Promise<Array<StoredObject<D, I>>>;
}

export interface StripeRepository extends StripeReader {
  insert(o: StoredObject<unknown, unknown>): Promise<void>;
  update(id: string, data: unknown, internal: unknown): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface StripeStore extends StripeReader {
  in(sql: SqlTx): StripeRepository;
}

class Reader implements StripeReader {
  constructor(protected readonly sql: SqlTx | SqlStore) {}

  async get<D, I>(id: string): Promise<StoredObject<D, I> | null> {
    const [row] = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = ?`, [id]);
    return row ? toObject<D, I>(row) : null;
  }

  async all<D, I>(account: string, kind: string): Promise<Array<StoredObject<D, I>>> {
    const rows = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE account = ? AND kind = ? ORDER BY seq`, [account, kind]);
    return rows.map((r) => toObject<D, I>(r));
  }

  async list<D>(q: ListQuery): Promise<ListPage<D> | null> {
    const where = ['account = ?', 'kind = ?'];
    const values: unknown[] = [q.account, q.kind];
    if (q.parent !== undefined) {
      where.push('parent = ?');
      values.push(q.parent);
    }
    if (q.tag !== undefined) {
      where.push('tag = ?');
      values.push(q.tag);
    }
    const cursor = q.startingAfter ?? q.endingBefore;
    if (cursor !== undefined) {
      const [at] = await this.sql.query<{ seq: number }>(`SELECT seq FROM ${TABLE} WHERE id = ? AND account = ? AND kind = ?`, [cursor, q.account, q.kind]);
      if (!at) return null;
      where.push(q.startingAfter !== undefined ? 'seq < ?' : 'seq > ?');
      values.push(Number(at.seq));
    }
    // ending_before pages towards newer objects: read them oldest first, then show newest first.
    const order = q.endingBefore !== undefined ? 'ASC' : 'DESC';
    const rows = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ${q.limit + 1}`, values);
    const hasMore = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    if (order === 'ASC') page.reverse();
    return { data: page.map((r) => JSON.parse(r.data) as D), hasMore };
  }
}

class Repository extends Reader implements StripeRepository {
  constructor(private readonly tx: SqlTx) {
    super(tx);
  }

  async insert(o: StoredObject<unknown, unknown>): Promise<void> {
    await this.tx.execute(`INSERT INTO ${TABLE} (id, account, kind, parent, tag, data, internal) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      o.id,
      o.account,
      o.kind,
      o.parent,
      o.tag,
      JSON.stringify(o.data),
      JSON.stringify(o.internal),
    ]);
  }

  async update(id: string, data: unknown, internal: unknown): Promise<void> {
    await this.tx.execute(`UPDATE ${TABLE} SET data = ?, internal = ? WHERE id = ?`, [JSON.stringify(data), JSON.stringify(internal), id]);
  }

  async remove(id: string): Promise<void> {
    await this.tx.execute(`DELETE FROM ${TABLE} WHERE id = ?`, [id]);
  }
}

class SqlStripeStore extends Reader implements StripeStore {
  in(sql: SqlTx): StripeRepository {
    return new Repository(sql);
  }
}

/** The face's store on `store`: its table is created (once per store) before it is returned. */
export const stripeStore: (store: Store) => Promise<StripeStore> = oncePerStore(async (store) => {
  await store.applyMigrations(STRIPE_MODULE, STRIPE_MIGRATIONS);
  store.resetsTable(TABLE);
  return new SqlStripeStore(store.sql);
});
