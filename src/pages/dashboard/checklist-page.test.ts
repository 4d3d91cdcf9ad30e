// The go-live check as a dashboard page, against a real server (SQLite and PostgreSQL): the same
// items as GET /vipps-local/v1/checklist, their evidence with links to the payments, the sales-unit
// selector, what a merchant sent escaped, and the dashboard's access rules.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChecklistShop, deliveriesSettled } from '../../../test-support/checklist-shop.ts';
import { DashboardSession } from '../../../test-support/dashboard-session.ts';
import { useServer } from '../../../test-support/server.ts';
import { WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import type { Checklist } from '../../checklist/checklist.ts';

const XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>';

describe('the go-live check page', { timeout: 60_000 }, () => {
  const t = useServer({ webhookPollIntervalMs: 20, webhookRetryDelaysMs: [50] });
  let receiver: WebhookReceiver;
  let session: DashboardSession;

  before(async () => {
    receiver = await WebhookReceiver.start();
    session = new DashboardSession(t.server.url);
  });
  after(async () => {
    await receiver?.close();
  });
  beforeEach(async () => {
    await t.server.reset();
    receiver.answer = () => 200;
  });

  const api = async (msn: string): Promise<Checklist> => {
    const res = await fetch(`${t.server.url}/vipps-local/v1/checklist?msn=${msn}`, { headers: { 'X-Vipps-Local-Operator': '1' } });
    assert.equal(res.status, 200);
    return (await res.json()) as Checklist;
  };
  const items = (page: string) => [...page.matchAll(/data-testid="checklist-item" data-item="([^"]+)" data-status="([^"]+)"/g)].map((m) => [m[1], m[2]]);

  it("shows every item of the operator API's check with its status, detail and evidence; references link to their payment's page", async () => {
    const run = await new ChecklistShop(t.server, receiver, 'refund').run();
    await deliveriesSettled(t.server);
    const msn = t.server.credentials.msn;
    const expected = await api(msn);
    const page = await session.get(`/dashboard/checklist?msn=${msn}`);
    assert.equal(page.status, 200, page.text.slice(0, 400));
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.text, /<a href="\/dashboard\/checklist" aria-current="page">Go-live check<\/a>/, 'in the navigation');
    assert.deepEqual(items(page.text), expected.items.map((i) => [i.id, i.status]));
    assert.match(page.text, new RegExp(`data-testid="checklist" data-msn="${msn}" data-passed="false"`));
    assert.ok(expected.items.some((i) => i.status === 'fail'), 'skipping the refund fails an item');
    for (const i of expected.items) assert.ok(page.text.includes(i.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')), i.title);
    assert.ok(page.text.includes(`${expected.summary.pass} passed, ${expected.summary.fail} failed, ${expected.summary.not_seen} not seen.`));
    // The captured test order is named as evidence and links to its payment's page.
    const link = new RegExp(`<a class="mono" href="(/dashboard/payments/[^"]+)" data-testid="evidence-reference">${run.references.captured}</a>`).exec(page.text);
    assert.ok(link, 'the CAPTURED reference links to its payment');
    const payment = await session.get(link[1]!);
    assert.equal(payment.status, 200);
    assert.match(payment.text, new RegExp(`data-testid="reference">${run.references.captured}<`));
  });

  it("names the first offending request and escapes what the merchant sent (an unknown property's name)", async () => {
    const key = `lenient-${randomUUID()}`;
    const res = await t.api.createPayment({ [`x${XSS}`]: 1 }, key);
    assert.equal(res.status, 201, res.text);
    const page = await session.get(`/dashboard/checklist?msn=${t.server.credentials.msn}`);
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('<script>alert'), 'no injected script element');
    assert.ok(!page.text.includes('<img src=x'), 'no injected image element');
    assert.match(page.text, /data-item="no-leniencies" data-status="fail"/);
    assert.ok(page.text.includes('x&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;'), 'the property name is shown as text');
    assert.match(page.text, /data-testid="first-offending"/);
    assert.ok(page.text.includes(`/dashboard/requests?idempotencyKey=${encodeURIComponent(key)}`), 'the offending request links to the request log');
  });

  it('offers every configured sales unit, checks the first by default, and refuses an unknown or malformed one', async () => {
    const first = await session.get('/dashboard/checklist');
    assert.equal(first.status, 200);
    const options = [...first.text.matchAll(/<option value="(\d+)"( selected)?>/g)].map((m) => [m[1], Boolean(m[2])]);
    assert.ok(options.length >= 1);
    assert.deepEqual(options.filter(([, selected]) => selected).map(([msn]) => msn), [options[0]![0]]);
    assert.match(first.text, new RegExp(`data-testid="checklist" data-msn="${options[0]![0]}"`));
    const unknown = await session.get('/dashboard/checklist?msn=99999999');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /No sales unit 99999999 is configured\./);
    const bad = await session.get(`/dashboard/checklist?msn=${encodeURIComponent(XSS)}`);
    assert.equal(bad.status, 400);
    assert.ok(!bad.text.includes('<script>alert'));
    assert.match(bad.text, /data-testid="checklist-unit"/, 'the selector is offered again');
  });

  it('is refused to a cross-site request, as every dashboard page', async () => {
    const res = await session.get(`/dashboard/checklist?msn=${t.server.credentials.msn}`, { 'sec-fetch-site': 'cross-site' });
    assert.equal(res.status, 403);
    assert.ok(!res.text.includes('data-testid="checklist"'));
  });
});

