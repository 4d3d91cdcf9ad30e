// The shopper's steps on a payment that leave no event: the landing page opened, a phone number
// entered (or refused), the payment opened in the app, a card declined (with the reason), approved
// or rejected in the app. The pages record them through the engine (engine.recordShopperStep); the
// dashboard shows them on the payment's timeline. A table of its own (module `shopper-steps`),
// emptied by reset; at most MAX_STEPS_PER_PAYMENT rows per payment, so a reloading page cannot grow it.
import type { PaymentId } from '../domain/payment.ts';
import type { ModuleMigration, Store } from '../store/store.ts';
import { oncePerStore } from '../store/per-store.ts';

export const SHOPPER_STEPS = ['landing-opened', 'number-entered', 'number-refused', 'landing-cancelled', 'app-opened', 'app-approved', 'app-declined', 'app-rejected'] as const;
export type ShopperStepKind = (typeof SHOPPER_STEPS)[number];

export interface ShopperStep {
  paymentId: PaymentId;
  /** Platform time. */
  at: number;
  step: ShopperStepKind;
  /** The phone number entered, the decline's reason, the card: one line, or null. */
  detail: string | null;
}

export const MAX_STEPS_PER_PAYMENT = 200;
const MODULE = 'shopper-steps';
const TABLE = 'shopper_steps';

export const SHOPPER_STEP_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    sqlite: `CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, payment_id TEXT NOT NULL, at INTEGER NOT NULL, step TEXT NOT NULL, detail TEXT);
             CREATE INDEX ${TABLE}_payment ON ${TABLE} (payment_id, id);`,
    postgres: `CREATE TABLE ${TABLE} (id bigserial PRIMARY KEY, payment_id text NOT NULL, at bigint NOT NULL, step text NOT NULL, detail text);
               CREATE INDEX ${TABLE}_payment ON ${TABLE} (payment_id, id);`,
  },
];

export interface ShopperStepLog {
  /** Records a step, unless the payment already has MAX_STEPS_PER_PAYMENT. */
  record(step: ShopperStep): Promise<void>;
  /** The payment's steps, oldest first. */
  list(paymentId: PaymentId): Promise<ShopperStep[]>;
}

interface StepRow {
  payment_id: string;
  at: number | string;
  step: ShopperStepKind;
  detail: string | null;
}

export const shopperStepLog: (store: Store) => Promise<ShopperStepLog> = oncePerStore(async (store) => {
  await store.applyMigrations(MODULE, SHOPPER_STEP_MIGRATIONS);
  store.resetsTable(TABLE);
  return {
    async record(s) {
      await store.sql.execute(
        `INSERT INTO ${TABLE} (payment_id, at, step, detail) SELECT ?, ?, ?, ? WHERE (SELECT count(*) FROM ${TABLE} WHERE payment_id = ?) < ${MAX_STEPS_PER_PAYMENT}`,
        [s.paymentId, s.at, s.step, s.detail === null ? null : s.detail.slice(0, 500), s.paymentId],
      );
    },
    async list(paymentId) {
      const rows = await store.sql.query<StepRow>(`SELECT payment_id, at, step, detail FROM ${TABLE} WHERE payment_id = ? ORDER BY id`, [paymentId]);
      return rows.map((r) => ({ paymentId: r.payment_id, at: Number(r.at), step: r.step, detail: r.detail }));
    },
  };
});
