// The package as a merchant gets it: `npm pack`, installed into an empty folder that has neither
// TypeScript nor tsx, then `npx vipps-local` (start, a token, a CLI command, stop), `import
// { startServer } from 'vipps-local'` on plain Node, and a TypeScript project type-checked against
// the shipped declarations with skipLibCheck: false.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MERCHANT } from '../../src/platform/config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'vipps-local-package-'));
const app = join(dir, 'app');

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' }, timeout: 300_000 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}\n${res.stdout}`);
  return res;
}

const token = (url: string) =>
  fetch(`${url}/accesstoken/get`, { method: 'POST', headers: { client_id: DEFAULT_MERCHANT.clientId, client_secret: DEFAULT_MERCHANT.clientSecret, 'Ocp-Apim-Subscription-Key': DEFAULT_MERCHANT.subscriptionKey } });

describe('the packed package, installed into an empty folder', { timeout: 600_000 }, () => {
  before(() => {
    // npm pack runs the prepare script: dist/ is built from the sources of this checkout.
    run('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    run('mkdir', ['-p', app], dir);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'merchant-shop', private: true, type: 'module' }));
    run('npm', ['install', join(dir, tarball!), '@types/node@^20.19.0', '--no-audit', '--no-fund', '--prefer-offline', '--silent'], app);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('brings no TypeScript and no tsx, and ships dist/ with declarations, the specs and the CLI, but not the sources', () => {
    for (const absent of ['typescript', 'tsx']) assert.equal(existsSync(join(app, 'node_modules', absent)), false, `${absent} is not installed`);
    const pkg = join(app, 'node_modules/vipps-local');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'bin/vipps-local.js', 'specs/vipps', 'dist/faces/stripe/stripe-js/stripe-js.js', 'LICENSE']) assert.ok(existsSync(join(pkg, file)), `${file} is shipped`);
    assert.equal(existsSync(join(pkg, 'src')), false, 'the sources are not shipped');
  });

  it('npx vipps-local starts, gives a token, serves the API reference, approves a payment from a second npx, and stops on SIGTERM', async () => {
    // npx runs vipps-local as its child and does not pass SIGTERM on: the test signals the group, as a terminal's Ctrl-C does.
    const child = spawn('npx', ['--no-install', 'vipps-local', '--port', '0', '--database', join(dir, 'npx.sqlite')], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let url = '';
    try {
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /running at (\S+)/.exec(out);
          if (m && /curl -s -X POST/.test(out)) resolve(m[1]!);
        });
        let err = '';
        child.stderr!.on('data', (d) => (err += d));
        child.once('exit', (code) => reject(new Error(`npx vipps-local exited (${code}): ${err}${out}`)));
      });
      const res = await token(url);
      assert.equal(res.status, 200);
      const { access_token } = (await res.json()) as { access_token: string };
      assert.equal((await fetch(`${url}/docs/epayment`)).status, 200, 'the API reference reads the shipped specs');
      assert.equal((await fetch(`${url}/docs/epayment/openapi.json`)).status, 200);
      const reference = `npx-${Date.now()}`;
      const created = await fetch(`${url}/epayment/v1/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'ocp-apim-subscription-key': DEFAULT_MERCHANT.subscriptionKey, 'merchant-serial-number': DEFAULT_MERCHANT.msn, 'idempotency-key': reference, 'content-type': 'application/json' },
        body: JSON.stringify({ reference, amount: { value: 1000, currency: 'NOK' }, paymentMethod: { type: 'WALLET' }, userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/return' }),
      });
      assert.equal(created.status, 201);
      const approved = run('npx', ['--no-install', 'vipps-local', 'approve', reference, '--url', url], app);
      assert.equal(approved.stdout.trim(), `${reference}: AUTHORIZED (sales unit ${DEFAULT_MERCHANT.msn})`);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    await exited;
    await new Promise((r) => setTimeout(r, 200));
    await assert.rejects(fetch(`${url}/vipps-local/v1/health`), 'vipps-local stopped: nothing answers on its port');
  });

  it("import { startServer } from 'vipps-local' works on plain Node: a server, a token and a helper, then close", () => {
    writeFileSync(
      join(app, 'suite.js'),
      `import { startServer } from 'vipps-local';
const vl = await startServer();
const res = await fetch(vl.url + '/accesstoken/get', { method: 'POST', headers: { client_id: vl.credentials.clientId, client_secret: vl.credentials.clientSecret, 'Ocp-Apim-Subscription-Key': vl.credentials.subscriptionKey } });
const created = await vl.epayment.create({ reference: 'plain-node-1', amount: { value: 100, currency: 'NOK' }, paymentMethod: { type: 'WALLET' }, userFlow: 'WEB_REDIRECT', returnUrl: 'https://shop.example/r' });
const state = await vl.approve('plain-node-1');
await vl.close();
console.log(JSON.stringify({ token: res.status, created: created.status, state }));
`,
    );
    const out = run(process.execPath, ['suite.js'], app);
    assert.deepEqual(JSON.parse(out.stdout.trim()), { token: 200, created: 201, state: 'AUTHORIZED' });
  });

  it('a TypeScript project type-checks against the shipped declarations with skipLibCheck: false, and a wrong use of them is an error', () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, include: ['check.ts'] }));
    writeFileSync(
      join(app, 'check.ts'),
      `import { startServer, vippsLocalFetch, type VippsLocal, type PaymentState, type LoggedDelivery } from 'vipps-local';
const vl: VippsLocal = await startServer({ logLevel: 'silent', msn: '123456' });
const state: PaymentState = await vl.approve('ref-1', { card: 'visa-1111' });
const deliveries: LoggedDelivery[] = await vl.deliveries({ reference: 'ref-1' });
const answer = await vl.epayment.capture('ref-1', 100);
const status: number = answer.status;
await vl.waitForWebhook({ name: 'epayments.payment.captured.v1', reference: 'ref-1', timeoutMs: 1000 });
await vl.reset({ keepWebhooks: true });
const key: string | undefined = vl.stripe?.secretKey;
console.log(state, deliveries.length, status, key, typeof vippsLocalFetch);
await vl.close();
`,
    );
    const checked = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: app, encoding: 'utf8' });
    assert.equal(checked.status, 0, `tsc: ${checked.stdout}${checked.stderr}`);
    writeFileSync(join(app, 'check.ts'), `import { startServer } from 'vipps-local';\nconst vl = await startServer();\nconst port: string = vl.port;\nconsole.log(port);\n`);
    const wrong = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: app, encoding: 'utf8' });
    assert.equal(wrong.status, 2, 'a type error in the project is reported');
    assert.match(wrong.stdout, /check\.ts\(3,7\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });
});
