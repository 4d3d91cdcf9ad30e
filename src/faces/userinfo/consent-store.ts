// The Userinfo face's own table and repository: `userinfo_consents`, one row per user `sub` and
// sales unit, holding the profile scopes the user consented to when approving that sales unit's
// latest payment that asked for them, and when. Created by the face's own migrations, emptied by
// reset, queried in the dialect-neutral SQL of store.ts (`?` placeholders, values bound) on either
// store. The profile data itself is not stored: Userinfo answers with the user's current profile.
import type { ModuleMigration, SqlStore, SqlTx, Store } from '../../store/store.ts';
import { oncePerStore } from '../../store/per-store.ts';

export interface Consent {
  /** The user's id at this sales unit (GetPayment's `profile.sub`). */
  sub: string;
  msn: string;
  /** The user who consented (their MSISDN): whose current profile the claims come from. */
  phone: string;
  /** The consented scopes, in the order the payment asked for them (`name`, `email`, …). */
  scopes: string[];
  /** When the payment that carried the consent was authorized (platform clock, epoch ms). */
  consentedAt: number;
}

interface ConsentRow {
  sub: string;
  msn: string;
  phone: string;
  scopes: string;
  consented_at: number;
}

export const USERINFO_MODULE = 'userinfo';
const TABLE = 'userinfo_consents';

export const USERINFO_MIGRATIONS: readonly ModuleMigration[] = [
  {
    version: 1,
    sqlite: `CREATE TABLE ${TABLE} (
      sub TEXT NOT NULL,
      msn TEXT NOT NULL,
      phone TEXT NOT NULL,
      scopes TEXT NOT NULL,
      consented_at INTEGER NOT NULL,
      PRIMARY KEY (sub, msn)
    )`,
    postgres: `CREATE TABLE ${TABLE} (
      sub text NOT NULL,
      msn text NOT NULL,
      phone text NOT NULL,
      scopes text NOT NULL,
      consented_at bigint NOT NULL,
      PRIMARY KEY (sub, msn)
    )`,
  },
];

const COLUMNS = 'sub, msn, phone, scopes, consented_at';

const toConsent = (r: ConsentRow): Consent => ({
  sub: r.sub,
  msn: r.msn,
  phone: r.phone,
  scopes: r.scopes.split(' ').filter(Boolean),
  consentedAt: Number(r.consented_at),
});

export interface ConsentRepository {
  /**
   * Records a consent: the row of (sub, msn) is created, or replaced by a consent given at the same
   * time or later (a consent recorded out of order never overwrites a newer one).
   */
  record(consent: Consent): Promise<void>;
  /** Every row of this sub (one per sales unit; a sub is made per sales unit, so at most one in practice). */
  bySub(sub: string): Promise<Consent[]>;
}

export interface ConsentStore {
  /** The repository on a unit of work's transaction (the projector's writes). */
  in(sql: SqlTx): ConsentRepository;
  /** Reads outside a unit of work (the Userinfo API's GET). */
  bySub(sub: string): Promise<Consent[]>;
}

function repository(sql: SqlTx | SqlStore): ConsentRepository {
  return {
    async record(c) {
      await sql.execute(
        `INSERT INTO ${TABLE} (${COLUMNS}) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sub, msn) DO UPDATE SET phone = excluded.phone, scopes = excluded.scopes, consented_at = excluded.consented_at
         WHERE ${TABLE}.consented_at <= excluded.consented_at`,
        [c.sub, c.msn, c.phone, c.scopes.join(' '), c.consentedAt],
      );
    },
    async bySub(sub) {
      return (await sql.query<ConsentRow>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE sub = ? ORDER BY msn`, [sub])).map(toConsent);
    },
  };
}

/** The face's store on `store`: its table is created (once per store) before it is returned. */
export const userinfoConsentStore: (store: Store) => Promise<ConsentStore> = oncePerStore(openConsentStore);

async function openConsentStore(store: Store): Promise<ConsentStore> {
  await store.applyMigrations(USERINFO_MODULE, USERINFO_MIGRATIONS);
  store.resetsTable(TABLE);
  return {
    in: (sql) => repository(sql),
    bySub: (sub) => repository(store.sql).bySub(sub),
  };
}
