// An approval that waits for an answer from outside: a PSP's payment (PSP API v3) is reserved only
// when the PSP, handed the card by the platform's makePayment call, answers OK. The engine holds the
// shopper's approval, commits, asks the gate outside any transaction, and records the answer:
// approved → AUTHORIZED; declined → the approval is released and the shopper sees why (and may try
// again); challenge → the shopper is sent to authenticate (3-D Secure), and the gate is asked again
// when the challenge comes back. A payment that ends without approval (its deadline, the shopper's
// rejection) is told to the gate, without waiting for an answer. The face that owns the payment
// (faces/psp) implements the gate; the engine only knows these three outcomes.
import { challengeApproval, completeApproval, releaseApproval, resumeAfterChallenge, type Payment, type PaymentEvent } from '../domain/payment.ts';
import type { EngineDeps } from './deps.ts';
import { loadForChange } from './load-payment.ts';
import { recordTransition } from './record.ts';
import { runUnit, type UnitOfWork } from './unit-of-work.ts';

export type GateAnswer = { outcome: 'approved' } | { outcome: 'declined'; detail: string } | { outcome: 'challenge'; url: string };

/** Why a payment ended without an approval, as the gate is told. */
export type GateEnding = 'TIMEOUT' | 'USER_CANCEL';

export interface ApprovalGate {
  /** Whether approvals of this payment wait for the gate. */
  applies(p: Payment): boolean;
  /** Asks for the outcome of the held approval: `first`, or `after-challenge` when the shopper came back from one. */
  ask(p: Payment, attempt: 'first' | 'after-challenge'): Promise<GateAnswer>;
  /** Tells of an ending without approval; nothing is awaited from it. */
  tell(p: Payment, ending: GateEnding): Promise<void>;
}

/** The asks under way per engine, by payment id: what `whenAnswered` waits for. */
const underWay = new WeakMap<EngineDeps, Map<string, Promise<void>>>();

/** After the unit commits: ask the gate about the payment's held approval and record the answer. */
export function askAfterCommit(deps: EngineDeps, uow: UnitOfWork, p: Payment, attempt: 'first' | 'after-challenge'): void {
  const gate = deps.approvalGate;
  if (!gate) return;
  uow.afterCommit.push(() => {
    let asks = underWay.get(deps);
    if (!asks) underWay.set(deps, (asks = new Map()));
    const asking = gate
      .ask(p, attempt)
      .then((answer) => recordAnswer(deps, p, answer))
      .catch((err: unknown) => deps.reportError?.(err, `asking about the approval of payment ${p.id}`))
      .finally(() => {
        if (asks.get(p.id) === asking) asks.delete(p.id);
      });
    asks.set(p.id, asking);
  });
}

/** Resolves once the ask under way about this payment (if any) has been answered and recorded. */
export function whenAnswered(deps: EngineDeps, id: string): Promise<void> {
  return underWay.get(deps)?.get(id) ?? Promise.resolve();
}

const announce = (deps: EngineDeps, p: Payment | undefined) => {
  if (p) for (const listener of deps.onQuietChange ?? []) listener(p);
};

async function recordAnswer(deps: EngineDeps, asked: Payment, answer: GateAnswer): Promise<void> {
  const quiet = await runUnit(deps, async (uow): Promise<Payment | undefined> => {
    const p = await loadForChange(deps, uow, { id: asked.id });
    if (answer.outcome === 'approved') {
      const t = completeApproval(p, { now: uow.now, pspReference: deps.ids.pspReference(), idempotencyKey: null });
      if (t) await recordTransition(deps, uow, t, p);
      return undefined; // an event: the commit listeners hear of it
    }
    const next = answer.outcome === 'declined' ? releaseApproval(p, answer.detail) : challengeApproval(p, answer.url);
    if (next === p) return undefined;
    await uow.tx.updatePayment(next);
    return next;
  });
  announce(deps, quiet);
}

/** The shopper came back from the challenge: with success the gate is asked again, otherwise the approval is released. */
export async function challengeReturned(deps: EngineDeps, p: Payment, succeeded: boolean, detail: string): Promise<void> {
  const quiet = await runUnit(deps, async (uow): Promise<Payment | undefined> => {
    const current = await loadForChange(deps, uow, { id: p.id });
    if (current.state !== 'CREATED' || !current.pendingApproval?.external?.challengeUrl) return undefined;
    if (succeeded) {
      // The challenge is over; the approval waits for the gate's second answer.
      const asking = resumeAfterChallenge(current);
      await uow.tx.updatePayment(asking);
      askAfterCommit(deps, uow, asking, 'after-challenge');
      return asking;
    }
    const released = releaseApproval(current, detail);
    if (released === current) return undefined;
    await uow.tx.updatePayment(released);
    return released;
  });
  announce(deps, quiet);
}

/** After the unit commits: tell the gate of the gated payments that ended without approval. */
export function tellEndings(deps: EngineDeps, uow: UnitOfWork, p: Payment, events: readonly PaymentEvent[]): void {
  const gate = deps.approvalGate;
  if (!gate || !gate.applies(p)) return;
  for (const e of events) {
    const ending: GateEnding | null = e.name === 'EXPIRED' ? 'TIMEOUT' : e.name === 'ABORTED' ? 'USER_CANCEL' : null;
    if (ending === null) continue;
    uow.afterCommit.push(() => {
      void gate.tell(p, ending).catch((err: unknown) => deps.reportError?.(err, `telling of payment ${p.id}'s ${ending}`));
    });
  }
}
