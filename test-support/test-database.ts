// A fresh, empty database for one server under test, on the store the run is testing:
// VIPPS_LOCAL_TEST_STORE=postgres (npm test's second pass) gives a new PostgreSQL database on the
// test server (test-support/postgres.ts); otherwise a SQLite file in a new temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropTestDatabase, testStoreKind } from './postgres.ts';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** What to pass as `database` (startServer, --database, DATABASE_URL). */
  database: string;
  /** Deletes it (after the servers using it are closed). */
  remove(): Promise<void>;
}

export async function freshTestDatabase(kind = testStoreKind()): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    return { kind, database, remove: () => dropTestDatabase(database) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'vipps-local-test-'));
  return {
    kind,
    database: join(dir, 'vipps-local.sqlite'),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
