// `npm start` as a user runs it: a real process, real flags, real output.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startCli } from '../test-support/cli-process.ts';
import { createTestDatabase, dropTestDatabase } from '../test-support/postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function token(url: string, lines: Record<string, string>): Promise<number> {
  const res = await fetch(`${url}/accesstoken/get`, {
    method: 'POST',
    headers: { client_id: lines.client_id!, client_secret: lines.client_secret!, 'Ocp-Apim-Subscription-Key': lines.subscription_key! },
  });
  return res.status;
}

describe('npm start (the CLI)', () => {
  it('prints the base URL and the default credentials one per line, and they work; SIGTERM stops it cleanly', async () => {
    const { child, lines, url } = await startCli(['--port', '0', '--database', join(dir, 'a.sqlite')]);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(Object.keys(lines).filter((k) => ['client_id', 'client_secret', 'subscription_key', 'msn'].includes(k)).sort(), ['client_id', 'client_secret', 'msn', 'subscription_key']);
    assert.match(lines.msn!, /^\d{4,10}$/);
    assert.equal(await token(url, lines), 200);
    // The Stripe keys, one per line: the secret key lists PaymentIntents, the publishable key may not.
    assert.match(lines.stripe_secret_key!, /^sk_test_/);
    assert.match(lines.stripe_publishable_key!, /^pk_test_/);
    const list = await fetch(`${url}/v1/payment_intents`, { headers: { authorization: `Bearer ${lines.stripe_secret_key}` } });
    assert.equal(list.status, 200);
    const refused = await fetch(`${url}/v1/payment_intents`, { headers: { authorization: `Bearer ${lines.stripe_publishable_key}` } });
    assert.equal(refused.status, 401);
    assert.equal(await stop(child), 0);
  });

  it('prints the operator token on its own line; listening on 0.0.0.0 the operator API needs it, and it stays the same after a restart on the same database', async () => {
    const database = join(dir, 'operator.sqlite');
    const first = await startCli(['--port', '0', '--host', '0.0.0.0', '--database', database]);
    const token = first.lines.operator_token!;
    assert.match(token, /^\S{16,}$/);
    const reset = (url: string, headers: Record<string, string>) => fetch(`${url}/vipps-local/v1/reset`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then((r) => r.status);
    assert.equal(await reset(first.url, {}), 401);
    assert.equal(await reset(first.url, { 'x-vipps-local-operator-token': token }), 200);
    assert.equal(await stop(first.child), 0);
    const second = await startCli(['--port', '0', '--database', database]);
    assert.equal(second.lines.operator_token, token);
    assert.equal(await reset(second.url, {}), 200, 'on loopback a JSON call needs no token');
    assert.equal(await stop(second.child), 0);
  });

  it('takes the operator token from VIPPS_LOCAL_OPERATOR_TOKEN, and VIPPS_LOCAL_OPERATOR_ACCESS=token requires it on loopback too', async () => {
    const { child, lines, url } = await startCli(['--port', '0', '--database', join(dir, 'operator-env.sqlite')], { VIPPS_LOCAL_OPERATOR_TOKEN: 'team-operator-token-1234', VIPPS_LOCAL_OPERATOR_ACCESS: 'token' });
    assert.equal(lines.operator_token, 'team-operator-token-1234');
    assert.equal((await fetch(`${url}/vipps-local/v1/clock`)).status, 401);
    assert.equal((await fetch(`${url}/vipps-local/v1/clock`, { headers: { authorization: 'Bearer team-operator-token-1234' } })).status, 200);
    assert.equal(await stop(child), 0);
    await assert.rejects(startCli(['--port', '0'], { VIPPS_LOCAL_OPERATOR_TOKEN: 'short' }), (e: { code: number; err: string }) => e.code === 2 && /VIPPS_LOCAL_OPERATOR_TOKEN must be 16 to 200/.test(e.err));
  });

  it('takes the port and database from PORT and DATABASE_URL', async () => {
    const { child, url } = await startCli([], { PORT: '0', DATABASE_URL: join(dir, 'b.sqlite') });
    assert.match(url, /:\d+$/);
    assert.equal(await stop(child), 0);
  });

  it('runs on PostgreSQL when DATABASE_URL is a postgres:// URL, and prints that URL without its password', async () => {
    const database = (await createTestDatabase('vipps_cli')).replace('://postgres@', '://postgres:not-printed@');
    try {
      const { child, lines, url } = await startCli([], { PORT: '0', DATABASE_URL: database });
      assert.equal(lines.database, database.replace('not-printed', '***'));
      assert.equal(await token(url, lines), 200);
      assert.equal(await stop(child), 0);
    } finally {
      await dropTestDatabase(database);
    }
  });

  it('serves the merchants of a config file', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        merchants: [{ name: 'Acme', clientId: 'acme-client', clientSecret: 'acme-secret', subscriptionKey: 'acme-key', salesUnits: ['223344'] }],
        testUsers: [{ phoneNumber: '4791234567', firstName: 'Kari', lastName: 'Nordmann', email: 'kari@example.com', birthDate: '1985-05-17' }],
      }),
    );
    const { child, lines, url } = await startCli(['--port=0', '--database', join(dir, 'c.sqlite'), '--config', config]);
    assert.equal(lines.client_id, 'acme-client');
    assert.equal(lines.msn, '223344');
    assert.equal(await token(url, lines), 200);
    assert.equal(await stop(child), 0);
  });

  it('refuses an invalid config file with a message naming the problem, and exit code 2', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ merchants: [{ name: 'Acme', clientId: 'c', clientSecret: 's', subscriptionKey: 'k', salesUnits: ['12'] }] }));
    await assert.rejects(startCli(['--port', '0', '--config', config]), (e: { code: number; err: string }) => e.code === 2 && /salesUnits/.test(e.err));
  });

  it('refuses an unknown option with exit code 2', async () => {
    await assert.rejects(startCli(['--prot', '1']), (e: { code: number; err: string }) => e.code === 2 && /Unknown option --prot/.test(e.err));
  });

  it('refuses a log level or public URL it does not know, from a flag or the environment, with one line and exit code 2 (no stack trace)', async () => {
    const refused = (e: { code: number; err: string }, what: RegExp) => e.code === 2 && what.test(e.err) && !/\n\s+at /.test(e.err);
    await assert.rejects(startCli(['--port', '0', '--log-level', 'nonsense']), (e: { code: number; err: string }) => refused(e, /--log-level \(LOG_LEVEL\) must be one of fatal, error, warn, info, debug, trace, silent, got "nonsense"/));
    await assert.rejects(startCli(['--port', '0'], { LOG_LEVEL: 'loud' }), (e: { code: number; err: string }) => refused(e, /got "loud"/));
    await assert.rejects(startCli(['--port', '0', '--public-url', 'localhost:8787']), (e: { code: number; err: string }) => refused(e, /--public-url \(PUBLIC_URL\) must be an http/));
  });

  it('a port that is taken is one sentence naming the address and what to do, exit code 1 and no stack trace; the first server keeps running', async () => {
    const first = await startCli(['--port', '0', '--database', join(dir, 'taken-1.sqlite')]);
    const port = new URL(first.url).port;
    await assert.rejects(
      startCli(['--port', port, '--database', join(dir, 'taken-2.sqlite')]),
      (e: { code: number; err: string }) =>
        e.code === 1 && new RegExp(`^vipps-local: 127\\.0\\.0\\.1:${port} is already in use .*--port ${Number(port) + 1} .*--port 0`).test(e.err) && !/\n\s+at /.test(e.err),
    );
    assert.equal(await token(first.url, first.lines), 200);
    assert.equal(await stop(first.child), 0);
  });
});
