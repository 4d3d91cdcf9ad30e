// Many payments, cheaply: straight into the store, a thousand per transaction (the dashboard's
// scale tests). `scale-<n>`, one in 500 AUTHORIZED, the rest CREATED, created in order.
import type { Store } from '../src/store/store.ts';
import { samplePayment } from '../src/store/store-contract.ts';

export async function seedScalePayments(store: Store, count: number): Promise<void> {
  for (let batch = 0; batch * 1000 < count; batch++) {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1000 && batch * 1000 + i < count; i++) {
        const n = batch * 1000 + i;
        await tx.insertPayment({
          ...samplePayment({ reference: `scale-${n}`, createdAt: 1_000_000 + n, state: n % 500 === 0 ? 'AUTHORIZED' : 'CREATED' }),
          id: tx.newPaymentId(),
        });
      }
    });
  }
}
