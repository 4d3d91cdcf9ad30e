import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startCheckpointer } from './sqlite-checkpointer.ts';

describe('SQLite checkpointer', () => {
  it('reports a database it cannot checkpoint instead of failing in silence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vipps-local-checkpoint-'));
    try {
      const reported: Error[] = [];
      // A folder is no database: the worker's connection fails on its first checkpoint.
      const checkpointer = startCheckpointer(dir, 10, (err) => reported.push(err));
      for (let i = 0; i < 200 && reported.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await checkpointer.stop();
      assert.ok(reported.length >= 1, 'the failure was reported');
      assert.match(reported[0]!.message, /SQLITE_CANTOPEN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
