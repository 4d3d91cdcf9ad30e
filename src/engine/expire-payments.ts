// The deadline sweeper: CREATED payments whose time is up become EXPIRED (or, for a held
// approval, AUTHORIZED). Reads and changes settle deadlines too, so results never depend on timing.
import type { EngineDeps } from './deps.ts';
import { settleDeadline } from './load-payment.ts';
import { runUnitOfWork } from './unit-of-work.ts';

export async function settleDuePayments(deps: EngineDeps, batch = 200): Promise<number> {
  let settled = 0;
  for (;;) {
    const due = await deps.store.listDuePayments(deps.clock.now(), batch);
    for (const ref of due) {
      await runUnitOfWork(deps, async (uow) => {
        const p = await uow.tx.lockPayment(ref.msn, ref.reference);
        if (p) await settleDeadline(deps, uow, p);
        return { ok: true, value: undefined, replayed: false };
      });
    }
    settled += due.length;
    if (due.length < batch) return settled;
  }
}
