// One tenant's dead receiver does not starve the others (issue 16's scenario): merchant A has 50
// registrations pointing at a receiver that never answers ('hang', the documented 10 s timeout), and
// keeps making payments; meanwhile merchant B's payments produce webhooks to a healthy receiver.
// B's delivery latency must stay low: from the payment event (the payload's `timestamp`, the commit
// of the create) to the webhook's arrival at B's receiver. The latency from the create call's start
// is printed too (it adds the API's own answer time under A's load).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api } from '../../test-support/api-client.ts';
import { credentialsOf, MERCHANT_A, MERCHANT_B } from '../../test-support/merchants.ts';
import { usePlatformServer } from '../../test-support/platform-server.ts';
import { sleep, WebhookReceiver } from '../../test-support/webhook-receiver.ts';

const CREATED = ['epayments.payment.created.v1'];
/** B's payments, one after another. */
const B_PAYMENTS = 150;
/** A's payments, one every A_INTERVAL_MS while B runs: each makes 50 deliveries that hang. */
const A_INTERVAL_MS = 20;
/**
 * The bound asserted on B's p99. The aim is 100 ms; measured alone, p99 is 5–13 ms (figures printed
 * below, docs/decisions.md). The bound leaves room for a loaded CI machine running test files in
 * parallel (once 123 ms was seen on a busy machine), and is still 40 times below what a starved
 * tenant saw before (the 10 s timeout, and then A's whole backlog ahead of it).
 */
const P99_BOUND_MS = 250;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('fairness: 50 registrations of merchant A at a receiver that never answers', () => {
  // The documented timeout (10 s) and the platform's retry schedule: nothing shortened.
  const t = usePlatformServer({ merchants: [MERCHANT_A, MERCHANT_B] });
  let dead: WebhookReceiver;
  let healthy: WebhookReceiver;
  before(async () => {
    dead = await WebhookReceiver.start();
    dead.answer = () => 'hang';
    healthy = await WebhookReceiver.start();
  });
  after(async () => {
    // Dropping the hanging connections first lets the server stop at once.
    await dead?.close();
    await healthy?.close();
  });

  it(`merchant B's webhooks still arrive within ${P99_BOUND_MS} ms (p99)`, async () => {
    const [msnA1] = MERCHANT_A.salesUnits as [string];
    const a = new Api(t.server.url, credentialsOf(MERCHANT_A, msnA1));
    const b = new Api(t.server.url, credentialsOf(MERCHANT_B));
    // 50 registrations (the limit is 25 per event type and owner): 25 for the sales unit, 25 merchant-wide.
    for (let i = 0; i < 25; i++) await a.registeredWebhook(dead.url(`/a-unit-${i}`), CREATED);
    for (let i = 0; i < 25; i++) await a.registeredWebhook(dead.url(`/a-wide-${i}`), CREATED, { withoutMsn: true });
    await b.registeredWebhook(healthy.url('/b'), CREATED);

    // A's load: a payment every A_INTERVAL_MS, 50 hanging deliveries each, until B is done.
    let bDone = false;
    let aPayments = 0;
    const aLoad = (async () => {
      while (!bDone) {
        await a.created();
        aPayments++;
        await sleep(A_INTERVAL_MS);
      }
    })();
    // Let A's deliveries fill whatever they can fill first.
    while (dead.arrivals.length === 0) await sleep(10);
    await sleep(500);

    const sentAt = new Map<string, number>();
    for (let i = 0; i < B_PAYMENTS; i++) {
      const reference = `b-${i}-${Date.now()}`;
      sentAt.set(reference, Date.now());
      await b.created({ reference });
      await sleep(5);
    }
    await healthy.waitFor(() => healthy.arrivals.length >= B_PAYMENTS, "all of B's webhooks", 30_000);
    bDone = true;
    await aLoad;

    const latencies = healthy.arrivals.map((x) => x.at - Date.parse(x.body.timestamp as string)).sort((x, y) => x - y);
    const fromCall = healthy.arrivals.map((x) => x.at - sentAt.get(x.body.reference as string)!).sort((x, y) => x - y);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const max = latencies.at(-1)!;
    console.log(
      `# fairness: A ${aPayments} payments → ${aPayments * 50} deliveries to a receiver that never answers (${dead.arrivals.length} reached it); ` +
        `B ${B_PAYMENTS} webhooks, event → arrival: p50 ${p50} ms, p99 ${p99} ms, max ${max} ms; ` +
        `create call → arrival: p50 ${percentile(fromCall, 50)} ms, p99 ${percentile(fromCall, 99)} ms`,
    );
    assert.equal(healthy.arrivals.length, B_PAYMENTS, 'each of B\'s webhooks once');
    assert.ok(p99 < P99_BOUND_MS, `B's p99 ${p99} ms (p50 ${p50} ms, max ${max} ms)`);
  });
});
