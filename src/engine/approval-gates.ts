// One approval gate out of several: each face's gate applies to its own payments (by attachment),
// and the engine has one `deps.approvalGate`. The first gate that applies to a payment answers for it.
import type { Payment } from '../domain/payment.ts';
import type { ApprovalGate } from './approval-gate.ts';

export function firstApplying(gates: readonly ApprovalGate[]): ApprovalGate {
  const gateOf = (p: Payment) => gates.find((g) => g.applies(p));
  return {
    applies: (p) => gateOf(p) !== undefined,
    ask(p, attempt) {
      const gate = gateOf(p);
      // The engine asks only about payments a gate applies to; none is a bug in the caller.
      if (!gate) return Promise.reject(new Error(`no approval gate applies to payment ${p.id}`));
      return gate.ask(p, attempt);
    },
    async tell(p, ending) {
      await gateOf(p)?.tell(p, ending);
    },
  };
}
