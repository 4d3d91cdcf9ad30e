// A face's SQL on SQLite (store.ts SqlTx / SqlStore): statements are prepared once per text and
// values bound by position. Booleans are stored as 0/1 and objects as JSON text, as the core tables do.
import type Database from 'better-sqlite3';
import type { SqlStore, SqlTx } from './store.ts';

export function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value === undefined ? null : value;
}

export function sqliteSql(db: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
  const bind = (values: readonly unknown[]) => values.map(sqliteValue);
  const all = <R>(sql: string, values: readonly unknown[]): R[] => {
    const stmt = prepared(sql);
    return (stmt.reader ? stmt.all(...bind(values)) : (stmt.run(...bind(values)), [])) as R[];
  };
  const run = (sql: string, values: readonly unknown[]): number => prepared(sql).run(...bind(values)).changes;

  const tx: SqlTx = {
    dialect: 'sqlite',
    async query(sql, values = []) {
      return all(sql, values);
    },
    async execute(sql, values = []) {
      run(sql, values);
    },
  };

  return {
    /** Inside a unit of work: the unit already runs in the store's transaction. */
    tx,
    /** Outside one: reads wait for a running batch (they must not see its uncommitted writes); writes are units of their own. */
    store(read: <T>(fn: () => T) => Promise<T>, write: <T>(fn: () => Promise<T>) => Promise<T>): SqlStore {
      return {
        dialect: 'sqlite',
        query: (sql, values = []) => read(() => all(sql, values)),
        execute: (sql, values = []) => write(async () => run(sql, values)),
      };
    },
  };
}
