// The PSP face's own tables: which engine payment a PSP's transaction is (unique per PSP, as
// pspTransactionId is), and every status update the PSP reported with what became of it (a failed
// one stays in the transaction log with operationSuccess false). The money itself is the engine's.
import type { ModuleMigration, SqlStore, SqlTx, Store } from '../../store/store.ts';
import { oncePerStore } from '../../store/per-store.ts';

export interface PspPaymentRow {
  pspId: string;
  pspTransactionId: string;
  paymentId: string;
  msn: string;
  merchantOrderId: string;
  createdAt: number;
}

export const PSP_OPERATIONS = ['RESERVED', 'CAPTURED', 'CANCELLED', 'REFUNDED'] as const;
export type PspOperation = (typeof PSP_OPERATIONS)[number];

/** One entry of an updatestatus call, as reported, and its outcome. */
export interface PspStatusUpdate {
  pspId: string;
  pspTransactionId: string;
  /** Order of the updates of one transaction. */
  seq: number;
  status: PspOperation;
  amount: number;
  paymentText: string | null;
  /** True when the update was applied (or was a no-op), false when reported FAILED or refused. */
  success: boolean;
  /** Why it was not applied; null when it was. */
  failure: string | null;
  /**
   * Where the update stands among the payment's events: the seq of the event it made, or for a failed
   * one the payment's version when it was reported (so the log shows it after the events before it);
   * null for a confirmation that changed nothing.
   */
  eventSeq: number | null;
  createdAt: number;
}

interface PaymentRow {
  psp_id: string;
  psp_transaction_id: string;
  payment_id: string;
  msn: string;
  merchant_order_id: string;
  created_at: number;
}

interface UpdateRow {
  psp_id: string;
  psp_transaction_id: string;
  seq: number;
  status: PspOperation;
  amount: number;
  payment_text: string | null;
  success: number;
  failure: string | null;
  event_seq: number | null;
  created_at: number;
}

export const PSP_MODULE = 'psp';
const PAYMENTS = 'psp_payments';
const UPDATES = 'psp_status_updates';

const table = (name: string, sqlite: string, postgres: string) => ({ sqlite: `CREATE TABLE ${name} (${sqlite})`, postgres: `CREATE TABLE ${name} (${postgres})` });

export const PSP_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    ...table(
      PAYMENTS,
      'psp_id TEXT NOT NULL, psp_transaction_id TEXT NOT NULL, payment_id TEXT NOT NULL, msn TEXT NOT NULL, merchant_order_id TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (psp_id, psp_transaction_id)',
      'psp_id text NOT NULL, psp_transaction_id text NOT NULL, payment_id text NOT NULL, msn text NOT NULL, merchant_order_id text NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (psp_id, psp_transaction_id)',
    ),
  },
  {
    version: 2,
    ...table(
      UPDATES,
      'psp_id TEXT NOT NULL, psp_transaction_id TEXT NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL, amount INTEGER NOT NULL, payment_text TEXT, success INTEGER NOT NULL, failure TEXT, event_seq INTEGER, created_at INTEGER NOT NULL, PRIMARY KEY (psp_id, psp_transaction_id, seq)',
      'psp_id text NOT NULL, psp_transaction_id text NOT NULL, seq integer NOT NULL, status text NOT NULL, amount bigint NOT NULL, payment_text text, success integer NOT NULL, failure text, event_seq integer, created_at bigint NOT NULL, PRIMARY KEY (psp_id, psp_transaction_id, seq)',
    ),
  },
];

const PAYMENT_COLUMNS = 'psp_id, psp_transaction_id, payment_id, msn, merchant_order_id, created_at';
const UPDATE_COLUMNS = 'psp_id, psp_transaction_id, seq, status, amount, payment_text, success, failure, event_seq, created_at';

const toPayment = (r: PaymentRow): PspPaymentRow => ({
  pspId: r.psp_id,
  pspTransactionId: r.psp_transaction_id,
  paymentId: r.payment_id,
  msn: r.msn,
  merchantOrderId: r.merchant_order_id,
  createdAt: Number(r.created_at),
});

const toUpdate = (r: UpdateRow): PspStatusUpdate => ({
  pspId: r.psp_id,
  pspTransactionId: r.psp_transaction_id,
  seq: Number(r.seq),
  status: r.status,
  amount: Number(r.amount),
  paymentText: r.payment_text,
  success: Number(r.success) === 1,
  failure: r.failure,
  eventSeq: r.event_seq === null ? null : Number(r.event_seq),
  createdAt: Number(r.created_at),
});

/** Reads, on a transaction or outside one. */
export interface PspReader {
  payment(pspId: string, pspTransactionId: string): Promise<PspPaymentRow | null>;
  /** The transaction's reported updates, in the order they were reported. */
  updates(pspId: string, pspTransactionId: string): Promise<PspStatusUpdate[]>;
}

/** Writes, in a unit of work. */
export interface PspRepository extends PspReader {
  /** False when the PSP already has a transaction with this id. */
  addPayment(row: PspPaymentRow): Promise<boolean>;
  /** Records one reported update; its seq is the next of the transaction. */
  addUpdate(update: Omit<PspStatusUpdate, 'seq'>): Promise<PspStatusUpdate>;
}

export interface PspStore extends PspReader {
  in(sql: SqlTx): PspRepository;
}

class SqlPspReader implements PspReader {
  constructor(protected readonly sql: SqlTx | SqlStore) {}

  async payment(pspId: string, pspTransactionId: string): Promise<PspPaymentRow | null> {
    const [row] = await this.sql.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENTS} WHERE psp_id = ? AND psp_transaction_id = ?`, [pspId, pspTransactionId]);
    return row ? toPayment(row) : null;
  }

  async updates(pspId: string, pspTransactionId: string): Promise<PspStatusUpdate[]> {
    return (await this.sql.query<UpdateRow>(`SELECT ${UPDATE_COLUMNS} FROM ${UPDATES} WHERE psp_id = ? AND psp_transaction_id = ? ORDER BY seq`, [pspId, pspTransactionId])).map(toUpdate);
  }
}

class SqlPspRepository extends SqlPspReader implements PspRepository {
  constructor(private readonly tx: SqlTx) {
    super(tx);
  }

  async addPayment(r: PspPaymentRow): Promise<boolean> {
    const added = await this.tx.query<{ psp_id: string }>(
      `INSERT INTO ${PAYMENTS} (${PAYMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (psp_id, psp_transaction_id) DO NOTHING RETURNING psp_id`,
      [r.pspId, r.pspTransactionId, r.paymentId, r.msn, r.merchantOrderId, r.createdAt],
    );
    return added.length === 1;
  }

  async addUpdate(u: Omit<PspStatusUpdate, 'seq'>): Promise<PspStatusUpdate> {
    // The payment is locked by the unit (engine load) before an update is recorded, so MAX + 1 does not race.
    const [last] = await this.tx.query<{ seq: number | null }>(`SELECT MAX(seq) AS seq FROM ${UPDATES} WHERE psp_id = ? AND psp_transaction_id = ?`, [u.pspId, u.pspTransactionId]);
    const update: PspStatusUpdate = { ...u, seq: Number(last?.seq ?? 0) + 1 };
    await this.tx.execute(`INSERT INTO ${UPDATES} (${UPDATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      update.pspId,
      update.pspTransactionId,
      update.seq,
      update.status,
      update.amount,
      update.paymentText,
      update.success ? 1 : 0,
      update.failure,
      update.eventSeq,
      update.createdAt,
    ]);
    return update;
  }
}

class SqlPspStore extends SqlPspReader implements PspStore {
  in(sql: SqlTx): PspRepository {
    return new SqlPspRepository(sql);
  }
}

/** The face's store on `store`: its tables are created (once per store) before it is returned. */
export const pspStore: (store: Store) => Promise<PspStore> = oncePerStore(openPspStore);

async function openPspStore(store: Store): Promise<PspStore> {
  await store.applyMigrations(PSP_MODULE, PSP_MIGRATIONS);
  for (const name of [PAYMENTS, UPDATES]) store.resetsTable(name);
  return new SqlPspStore(store.sql);
}
