// The payments list with 10,000 payments (on SQLite, and PostgreSQL in npm test's second pass):
// every page, filtered or not, first or deep, is read from an index in the time of one page. The
// server's own time for the page (its Server-Timing) is measured and bounded.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { usePlatformServer } from '../../../test-support/platform-server.ts';
import { seedScalePayments } from '../../../test-support/scale-payments.ts';
import { DashboardSession } from '../../../test-support/dashboard-session.ts';

const PAYMENTS = 10_000;
/** Generous for a shared CI machine; a page measures a few milliseconds here. */
const BUDGET_MS = 250;

describe(`the payments list with ${PAYMENTS.toLocaleString('en')} payments`, { timeout: 120_000 }, () => {
  const t = usePlatformServer();

  before(async () => {
    await seedScalePayments(t.server.platform.store, PAYMENTS);
  });

  async function timed(session: DashboardSession, path: string): Promise<{ ms: number; refs: string[]; text: string }> {
    const page = await session.get(path);
    assert.equal(page.status, 200, path);
    const timing = /list;dur=([\d.]+)/.exec(page.headers.get('server-timing') ?? '');
    assert.ok(timing, 'the page reports its server time');
    return { ms: Number(timing[1]), refs: [...page.text.matchAll(/data-testid="payment-row" data-reference="([^"]+)"/g)].map((m) => m[1]!), text: page.text };
  }

  it(`the first page, a rare state, a reference and a page deep in the list each take under ${BUDGET_MS} ms of server time`, async () => {
    const session = new DashboardSession(t.server.url);
    await timed(session, '/'); // warm up
    const first = await timed(session, '/');
    assert.deepEqual(first.refs.slice(0, 2), [`scale-${PAYMENTS - 1}`, `scale-${PAYMENTS - 2}`], 'newest first');
    const rare = await timed(session, '/?state=AUTHORIZED');
    assert.equal(rare.refs.length, PAYMENTS / 500);
    const one = await timed(session, '/?reference=scale-1234');
    assert.deepEqual(one.refs, ['scale-1234']);
    // Follow the cursor 20 pages deep.
    let deep = first;
    for (let i = 0; i < 20; i++) {
      const older = /data-testid="older" href="([^"]+)"/.exec(deep.text);
      assert.ok(older, `page ${i + 2} exists`);
      deep = await timed(session, older[1]!.replace(/&amp;/g, '&'));
    }
    assert.equal(deep.refs[0], `scale-${PAYMENTS - 1 - 20 * 50}`, 'the cursor pages without gaps or repeats');
    const times = { first: first.ms, rare: rare.ms, reference: one.ms, deep: deep.ms };
    console.log(`server time (ms) with ${PAYMENTS} payments: ${JSON.stringify(times)}`);
    for (const [what, ms] of Object.entries(times)) assert.ok(ms < BUDGET_MS, `${what}: ${ms} ms`);
  });
});
