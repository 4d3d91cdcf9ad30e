// The README's promises that code can check, so the README cannot go stale: its webhook signature
// check (the code between <!-- signature-check --> markers) runs against real deliveries from a real
// server; it names every ePayment event; its links to its own sections, and CONTRIBUTING.md's, resolve.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { EPAYMENT_EVENT_TYPES } from '../src/faces/webhooks/event-types.ts';
import { useServer } from '../test-support/server.ts';
import { delivered, WebhookReceiver, type Arrival } from '../test-support/webhook-receiver.ts';

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** The one fenced code block between `<!-- name -->` and `<!-- /name -->`. */
function markedCode(markdown: string, name: string): string {
  const found = new RegExp(`<!-- ${name} -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\`\\s*<!-- /${name} -->`).exec(markdown);
  assert.ok(found, `README.md has a code block between <!-- ${name} --> and <!-- /${name} -->`);
  return found[1]!;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsAndLinks(markdown: string): { anchors: Set<string>; links: string[] } {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const anchors = new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
  const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
  return { anchors, links };
}

describe('README.md', () => {
  it('names all eight ePayment webhook events', () => {
    assert.equal(EPAYMENT_EVENT_TYPES.length, 8);
    const webhooks = readme.slice(readme.indexOf('\n## Webhooks'), readme.indexOf('\n## ', readme.indexOf('\n## Webhooks') + 1));
    for (const name of EPAYMENT_EVENT_TYPES) assert.ok(webhooks.includes(`\`${name}\``), `the Webhooks section names ${name}`);
  });

  it('every link to a section of README.md and of CONTRIBUTING.md finds its heading', () => {
    const contributing = readFileSync(new URL('CONTRIBUTING.md', root), 'utf8');
    const inReadme = anchorsAndLinks(readme);
    const inContributing = anchorsAndLinks(contributing);
    assert.ok(inReadme.links.length > 10);
    assert.deepEqual(inReadme.links.filter((l) => !inReadme.anchors.has(l)), [], 'README.md links to its own headings');
    assert.deepEqual(inContributing.links.filter((l) => !inContributing.anchors.has(l)), [], 'CONTRIBUTING.md links to its own headings');
    const toReadme = [...contributing.matchAll(/\]\(README\.md#([^)]+)\)/g)].map((m) => m[1]!);
    assert.deepEqual(toReadme.filter((l) => !inReadme.anchors.has(l)), [], 'CONTRIBUTING.md links to README headings');
    const toContributing = [...readme.matchAll(/\]\(CONTRIBUTING\.md#([^)]+)\)/g)].map((m) => m[1]!);
    assert.deepEqual(toContributing.filter((l) => !inContributing.anchors.has(l)), [], 'README.md links to CONTRIBUTING headings');
  });

  it('says how to start and test on a fresh machine', () => {
    assert.match(readme, /```sh\nnpm install\nnpm start\n```/);
    assert.match(readme, /## Test\n[\s\S]*?```sh\nnpm test\n```[\s\S]*?\(CONTRIBUTING\.md\)/);
  });
});

describe("the README's webhook signature check, on real deliveries", { timeout: 30_000 }, () => {
  const t = useServer();
  let receiver: WebhookReceiver;
  let dir: string;
  type Check = (req: { method: string; url: string; headers: Arrival['headers'] }, rawBody: Buffer, secret: string) => boolean;
  let isFromVipps: Check;
  let secret = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'readme-signature-'));
    const file = join(dir, 'signature-check.mjs');
    writeFileSync(file, markedCode(readme, 'signature-check'));
    const lines = markedCode(readme, 'signature-check').split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length <= 12, `the check stays short: ${lines.length} lines`);
    ({ isFromVipps } = (await import(pathToFileURL(file).href)) as { isFromVipps: Check });
    receiver = await WebhookReceiver.start();
    // A merchant's receiver: 2xx only for a request the README's check accepts.
    receiver.answer = (a) => (isFromVipps({ method: a.method, url: a.path, headers: a.headers }, a.raw, secret) ? 200 : 401);
  });
  after(async () => {
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts every event vipps-local sends, and refuses a changed body, date or secret', async () => {
    const url = receiver.url('/vipps/webhook?shop=1');
    ({ secret } = await t.api.registeredWebhook(url, [...EPAYMENT_EVENT_TYPES]));
    const reference = await t.api.authorized();
    assert.equal((await t.api.capture(reference, 1000)).status, 200);
    assert.equal((await t.api.refund(reference, 500)).status, 200);
    await receiver.waitFor(() => receiver.arrivals.length >= 4, 'CREATED, AUTHORIZED, CAPTURED and REFUNDED');
    assert.deepEqual(receiver.arrivals.map((a) => a.body.name), ['CREATED', 'AUTHORIZED', 'CAPTURED', 'REFUNDED']);
    assert.equal(delivered(receiver.arrivals).length, 4, 'the check accepted every real delivery');

    const a = receiver.arrivals.at(-1)!;
    const req = { method: a.method, url: a.path, headers: a.headers };
    assert.equal(isFromVipps(req, a.raw, secret), true);
    assert.equal(isFromVipps(req, Buffer.from(a.raw.toString('utf8').replace('"success":true', '"success":false')), secret), false, 'a changed body');
    assert.equal(isFromVipps({ ...req, headers: { ...a.headers, 'x-ms-date': 'Mon, 01 Jan 2024 00:00:00 GMT' } }, a.raw, secret), false, 'a changed date');
    assert.equal(isFromVipps({ ...req, url: '/vipps/webhook?shop=2' }, a.raw, secret), false, 'another path');
    assert.equal(isFromVipps(req, a.raw, `${secret}x`), false, 'another secret');
    const { authorization: _, ...unsigned } = a.headers;
    assert.equal(isFromVipps({ ...req, headers: unsigned }, a.raw, secret), false, 'no Authorization');
  });
});
