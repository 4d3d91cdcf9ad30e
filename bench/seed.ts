// Fills a database with payments fast, for the bench's scale comparison (run.ts): straight through
// the store, in large transactions, each payment as an ePayment create leaves it (its document with
// the ePayment attachment, its CREATED event, and its create's idempotency record), so that the
// tables and indexes a request touches have the size they would have after that many creates.
// Seeded payments are AUTHORIZED, with their CREATED and AUTHORIZED events.
import { randomUUID } from 'node:crypto';
import { authorize, createPayment } from '../src/domain/payment.ts';
import { makePaymentToken } from '../src/domain/payment-token.ts';
import { requestHash } from '../src/engine/idempotency.ts';
import { scopeOf } from '../src/faces/epayment/idempotency-policy.ts';
import { createdSnapshot } from '../src/faces/epayment/serialize.ts';
import { DEFAULT_MERCHANT } from '../src/platform/config.ts';
import { openStore } from '../src/store/open-store.ts';
import { AMOUNT, createBody } from './requests.ts';

const BATCH = 5_000;

/**
 * Writes `count` payments into `database` and returns the references of the last `keep` of them
 * (what a get-payment round cycles through).
 */
export async function seedPayments(database: string, count: number, keep = 1_000, onProgress?: (done: number) => void): Promise<string[]> {
  const store = await openStore(database);
  const run = randomUUID().slice(0, 8);
  const kept: string[] = [];
  const msn = DEFAULT_MERCHANT.msn;
  try {
    for (let done = 0; done < count; ) {
      const size = Math.min(BATCH, count - done);
      const now = Date.now();
      await store.transaction(async (tx) => {
        for (let i = 0; i < size; i++) {
          const reference = `seed-${run}-${done + i}`;
          const key = randomUUID();
          const id = tx.newPaymentId();
          const t = createPayment(
            {
              id,
              msn,
              reference,
              currency: 'NOK',
              amount: AMOUNT,
              token: makePaymentToken(id, randomUUID().replace(/-/g, '')),
              expiresAt: now + 10 * 60_000,
              terms: { userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com/return', paymentDescription: 'Benchmark payment', longLiving: false },
              attachments: { epayment: { paymentMethod: { type: 'WALLET' }, customerInteraction: 'CUSTOMER_NOT_PRESENT' } },
            },
            { now, pspReference: randomUUID(), idempotencyKey: key },
          );
          // Authorized at once: a large database is mostly payments that are done with their expiry, and
          // the sweeper must not spend the measurement expiring the seed.
          const a = authorize(t.payment, { customerPhone: `4790${String((done + i) % 1_000_000).padStart(6, '0')}`, cardBin: '411111' }, { now, pspReference: randomUUID(), idempotencyKey: null });
          await tx.insertPayment(a.payment);
          for (const e of [...t.events, ...a.events]) await tx.appendEvent(e);
          await tx.putIdempotency({
            scope: scopeOf('create', msn, reference),
            key,
            requestHash: requestHash(JSON.parse(createBody(reference))),
            response: { ok: true, value: createdSnapshot(t.payment) },
            createdAt: now,
          });
        }
      });
      done += size;
      for (let i = Math.max(0, count - keep); i < count; i++) if (i >= done - size && i < done) kept.push(`seed-${run}-${i}`);
      onProgress?.(done);
    }
  } finally {
    await store.close();
  }
  return kept;
}
