// A real listening vipps-local (127.0.0.1, free port, a fresh database: a temporary SQLite file, or a
// PostgreSQL database in npm test's PostgreSQL pass) that also hands the test its Platform: for
// use-cases no HTTP API reaches yet (a shopper rejecting a payment in the app).
import { after, before } from 'node:test';
import type { StartServerOptions } from '../src/index.ts';
import { applyConfigFile, defaultConfig, type Config } from '../src/platform/config.ts';
import { listen, type RunningServer } from '../src/server.ts';
import { freshTestDatabase } from './test-database.ts';

export interface PlatformServer extends RunningServer {
  /** Stops the server and removes its temporary database. */
  close(): Promise<void>;
}

/** Besides the config file's settings: how outbound calls resolve names (tests of the outbound policy). */
export type PlatformServerOptions = StartServerOptions & Pick<Config, 'outboundResolver'>;

export async function startPlatformServer(options: PlatformServerOptions = {}): Promise<PlatformServer> {
  const db = options.database === undefined ? await freshTestDatabase() : undefined;
  const config: Config = {
    ...applyConfigFile(defaultConfig(), { host: '127.0.0.1', port: 0, ...(db ? { database: db.database } : {}), ...options }),
    logLevel: options.logLevel ?? 'silent',
    ...(options.outboundResolver ? { outboundResolver: options.outboundResolver } : {}),
  };
  const server = await listen(config);
  return {
    ...server,
    async close() {
      await server.close();
      await db?.remove();
    },
  };
}

/** Starts one for the enclosing test file (or describe block) and stops it afterwards. */
export function usePlatformServer(options: PlatformServerOptions = {}): { server: PlatformServer } {
  const ctx = {} as { server: PlatformServer };
  before(async () => {
    ctx.server = await startPlatformServer(options);
  });
  after(async () => {
    await ctx.server?.close();
  });
  return ctx;
}
