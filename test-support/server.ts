// Starting a real vipps-local for a test file: real HTTP on 127.0.0.1, a real SQLite file.
import { after, before } from 'node:test';
import { startServer, type StartServerOptions, type VippsLocal } from '../src/index.ts';
import { Api } from './api-client.ts';

export interface TestServer {
  server: VippsLocal;
  api: Api;
}

/** Starts one server for the enclosing test file (or describe block) and stops it afterwards. */
export function useServer(options: StartServerOptions = {}): TestServer {
  const ctx = {} as TestServer;
  before(async () => {
    ctx.server = await startServer(options);
    ctx.api = new Api(ctx.server.url, ctx.server.credentials);
  });
  after(async () => {
    await ctx.server?.close();
  });
  return ctx;
}
