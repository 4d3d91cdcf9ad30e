// The API reference at /docs: the index lists every official spec; each spec is served with this
// instance as its server and otherwise as published; Swagger UI renders offline (nothing leaves 127.0.0.1).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { DESKTOP, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';

const SPECS = new URL('../../specs/vipps/', import.meta.url);

async function officialSpecs(): Promise<{ id: string; spec: { info: { title: string }; paths: Record<string, unknown>; servers: { url: string }[] } }[]> {
  const out = [];
  for (const id of (await readdir(SPECS, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const file = (await readdir(new URL(`${id}/`, SPECS))).find((f) => f.endsWith('.yaml'))!;
    out.push({ id, spec: parse(await readFile(new URL(`${id}/${file}`, SPECS), 'utf8')) });
  }
  return out;
}

describe('API reference (/docs)', { timeout: 60_000 }, () => {
  const t = useServer();
  const b = useBrowser();

  it('GET / names /docs', async () => {
    const root = (await (await fetch(`${t.server.url}/`)).json()) as { docs: string };
    assert.equal(root.docs, '/docs');
  });

  it('the index lists every spec with a link to its page', async () => {
    const specs = await officialSpecs();
    assert.ok(specs.length >= 6, 'ePayment, Webhooks, Access Token, Userinfo, Order Management, PSP');
    const res = await fetch(`${t.server.url}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const body = await res.text();
    for (const { id, spec } of specs) {
      assert.ok(body.includes(`href="/docs/${id}"`), `links /docs/${id}`);
      assert.ok(body.includes(spec.info.title), `names ${spec.info.title}`);
    }
  });

  it('each spec is served with this instance as its server, and otherwise as published', async () => {
    for (const { id, spec } of await officialSpecs()) {
      const res = await fetch(`${t.server.url}/docs/${id}/openapi.json`);
      assert.equal(res.status, 200, id);
      const served = (await res.json()) as typeof spec;
      const basePath = new URL(spec.servers[0]!.url).pathname.replace(/\/+$/, '');
      assert.equal(served.servers.length, 1, id);
      assert.equal(served.servers[0]!.url, `${t.server.url}${basePath}`, `${id}: this instance, with the spec's base path`);
      assert.ok(served.servers[0]!.url.startsWith(t.server.url));
      const { servers: _a, ...restServed } = served;
      const { servers: _b, ...restOfficial } = JSON.parse(JSON.stringify(spec)) as typeof spec;
      assert.deepEqual(Object.keys(served.paths), Object.keys(spec.paths), `${id}: same paths`);
      assert.deepEqual(restServed, restOfficial, `${id}: otherwise unchanged`);
    }
    assert.equal((await fetch(`${t.server.url}/docs/nope/openapi.json`)).status, 404);
    assert.equal((await fetch(`${t.server.url}/docs/assets/package.json`)).status, 404, 'only Swagger UI files are served');
  });

  it('the ePayment page renders Swagger UI offline, under a CSP without inline script', async () => {
    const res = await fetch(`${t.server.url}/docs/epayment`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(await res.text(), /<script>(?!<\/script>)|<script(?![^>]*src=)[^>]*>/, 'no inline script');

    const context = await b.browser.newContext(DESKTOP);
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await page.goto(`${t.server.url}/docs/epayment`);
      const create = page.locator('.opblock-post', { has: page.locator('.opblock-summary-path', { hasText: /^\/v1\/payments$/ }) });
      await create.first().waitFor({ timeout: 20_000 });
      assert.ok(await page.locator('.info .title', { hasText: 'ePayment API' }).isVisible());
      assert.equal(await page.locator('.servers select').inputValue(), `${t.server.url}/epayment`, 'the server offered is this instance');
      await saveScreenshot(page, 'docs-epayment');
      assert.ok(requests.length > 0);
      for (const url of requests) assert.ok(url.startsWith(t.server.url) || url.startsWith('data:'), `stays on this instance: ${url}`);
      assert.deepEqual(problems, [], 'no errors (CSP violations included)');
    } finally {
      await context.close();
    }
  });

  it('requests to /docs are not in the request log', async () => {
    await fetch(`${t.server.url}/docs`);
    await fetch(`${t.server.url}/docs/epayment/openapi.json`);
    assert.equal((await t.api.createPayment({})).status, 201, 'an API request, which is logged');
    const res = await fetch(`${t.server.url}/vipps-local/v1/requests?limit=1000`);
    assert.equal(res.status, 200);
    const logged = ((await res.json()) as { requests: { path: string }[] }).requests;
    assert.ok(logged.some((e) => e.path === '/epayment/v1/payments'), 'the log works');
    assert.deepEqual(logged.filter((e) => e.path.startsWith('/docs')), [], 'no /docs request is logged');
  });
});
