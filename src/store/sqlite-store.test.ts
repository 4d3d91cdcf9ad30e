import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from './sqlite-store.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';
import { samplePayment, storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-store-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract('SQLite (file)', async () => openSqliteStore({ path: join(dir, `store-${++n}.sqlite`) }));

describe('SQLite migrations', () => {
  it('migration 3 moves the customer phone of existing payments into its column, so the app simulator still lists them', async () => {
    const path = join(dir, `migrate-${++n}.sqlite`);
    // A database as version 2 left it: a payment with a phone in its document only.
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 2)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, 0);
    }
    const p = samplePayment({ reference: 'from-version-2', customerPhone: '4712345678', createdAt: 123 });
    old.prepare('INSERT INTO payments (msn, reference, state, due_at, version, data) VALUES (?, ?, ?, ?, ?, ?)').run(p.msn, p.reference, p.state, p.expiresAt, p.version, JSON.stringify(p));
    old.close();

    const store = openSqliteStore({ path });
    try {
      assert.deepEqual(await store.listPaymentsByCustomerPhone('4712345678', 10), [p]);
    } finally {
      await store.close();
    }
  });
});
