// Starting a real vipps-local for a test file: real HTTP on 127.0.0.1 and a real database, fresh for
// the server: a SQLite file, or with VIPPS_LOCAL_TEST_STORE=postgres a PostgreSQL database
// (npm test runs the HTTP suites once per store).
import { after, before } from 'node:test';
import { startServer, type StartServerOptions, type VippsLocal } from '../src/index.ts';
import { Api } from './api-client.ts';
import { freshTestDatabase, type TestDatabase } from './test-database.ts';

export interface TestServer {
  server: VippsLocal;
  api: Api;
}

/** Starts one server for the enclosing test file (or describe block) and stops it afterwards. */
export function useServer(options: StartServerOptions = {}): TestServer {
  const ctx = {} as TestServer;
  let db: TestDatabase | undefined;
  before(async () => {
    if (options.database === undefined) db = await freshTestDatabase();
    ctx.server = await startServer({ ...options, ...(db ? { database: db.database } : {}) });
    ctx.api = new Api(ctx.server.url, ctx.server.credentials);
  });
  after(async () => {
    await ctx.server?.close();
    await db?.remove();
  });
  return ctx;
}
