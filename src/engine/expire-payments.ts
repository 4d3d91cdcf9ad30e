// The deadline sweeper: CREATED payments whose time is up become EXPIRED (or, for a held
// approval, AUTHORIZED). Reads and changes settle deadlines too, so results never depend on timing.
import type { EngineDeps } from './deps.ts';
import { settleDeadline } from './load-payment.ts';
import { runUnit } from './unit-of-work.ts';

export async function settleDuePayments(deps: EngineDeps, batch = 200): Promise<number> {
  let settled = 0;
  for (;;) {
    const due = await deps.store.listDuePayments(deps.clock.now(), batch);
    let changed = 0;
    for (const id of due) {
      changed += await runUnit(deps, async (uow) => {
        const p = await uow.tx.lockPayment({ id });
        const after = p ? await settleDeadline(deps, uow, p) : p;
        return after !== p ? 1 : 0;
      });
    }
    settled += changed;
    // A full batch that changed nothing would be listed again: stop rather than spin.
    if (due.length < batch || changed === 0) return settled;
  }
}
