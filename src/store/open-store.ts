// Picks the store from the --database / DATABASE_URL value.
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  sqliteSynchronous?: 'normal' | 'full';
}

export async function openStore(database: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(database)) {
    throw new Error('PostgreSQL is not supported yet: use a SQLite file path for --database / DATABASE_URL.');
  }
  const path = database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database;
  return openSqliteStore({ path, ...(options.sqliteSynchronous ? { synchronous: options.sqliteSynchronous } : {}) });
}
