// A real listening vipps-local (127.0.0.1, free port, temporary SQLite file) that also hands the test
// its Platform: for use-cases no HTTP API reaches yet (a shopper rejecting a payment in the app).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { StartServerOptions } from '../src/index.ts';
import { applyConfigFile, defaultConfig, type Config } from '../src/platform/config.ts';
import { listen, type RunningServer } from '../src/server.ts';

export interface PlatformServer extends RunningServer {
  /** Stops the server and removes its temporary database. */
  close(): Promise<void>;
}

export async function startPlatformServer(options: StartServerOptions = {}): Promise<PlatformServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vipps-local-platform-'));
  const config: Config = {
    ...applyConfigFile(defaultConfig(), { host: '127.0.0.1', port: 0, database: join(dir, 'vipps-local.sqlite'), ...options }),
    logLevel: options.logLevel ?? 'silent',
  };
  const server = await listen(config);
  return {
    ...server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts one for the enclosing test file (or describe block) and stops it afterwards. */
export function usePlatformServer(options: StartServerOptions = {}): { server: PlatformServer } {
  const ctx = {} as { server: PlatformServer };
  before(async () => {
    ctx.server = await startPlatformServer(options);
  });
  after(async () => {
    await ctx.server?.close();
  });
  return ctx;
}
