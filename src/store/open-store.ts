// Picks the store from the --database / DATABASE_URL value: a postgres:// (or postgresql://) URL
// opens the PostgreSQL store, anything else is a SQLite file path (optionally prefixed sqlite:).
import type { PgLog } from './pg-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  sqliteSynchronous?: 'normal' | 'full';
  /** PostgreSQL: connections in this instance's pool. */
  pgPoolSize?: number;
  /** PostgreSQL: longest wait for a lock before an operation answers 423 / 6160. */
  pgLockTimeoutMs?: number;
  /** Where failures nobody waits for are reported (PostgreSQL's pool, SQLite's checkpointer); default console.error. */
  log?: PgLog;
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

export async function openStore(database: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(database)) {
    // Loaded only for PostgreSQL: `pg` is a good part of a SQLite start's module loading.
    const { openPgStore } = await import('./pg-store.ts');
    return openPgStore({
      url: database,
      ...(options.pgPoolSize !== undefined ? { poolSize: options.pgPoolSize } : {}),
      ...(options.pgLockTimeoutMs !== undefined ? { lockTimeoutMs: options.pgLockTimeoutMs } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }
  const path = database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database;
  const log = options.log;
  const onError = log === undefined ? undefined : (err: Error) => (typeof log === 'function' ? log(err.message, err, {}) : log.error({ err }, err.message));
  return openSqliteStore({ path, ...(options.sqliteSynchronous ? { synchronous: options.sqliteSynchronous } : {}), ...(onError ? { onError } : {}) });
}
