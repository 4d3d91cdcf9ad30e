// Who is watching what, live: the landing page and the app's payment screen watch one payment;
// the app's home screen watches one user. Fed by the engine's commit listeners (every event) and
// by the pages themselves for changes that have no event (a number entered on the landing page).
import type { Payment, PaymentEvent, PaymentId } from '../domain/payment.ts';

type Notify = () => void;

export interface LiveHub {
  watchPayment(id: PaymentId, notify: Notify): () => void;
  watchPhone(phone: string, notify: Notify): () => void;
  /** Announces a change the pages made themselves. */
  paymentChanged(payment: Payment): void;
  /** The engine's commit listener. */
  eventsCommitted(events: PaymentEvent[]): void;
}

/** `lookup` reads a payment to learn whose phone an event concerns (only when someone watches a phone). */
export function createLiveHub(lookup: (id: PaymentId) => Promise<Payment | null>, onError: (err: unknown, what: string) => void = () => undefined): LiveHub {
  const byPayment = new Map<string, Set<Notify>>();
  const byPhone = new Map<string, Set<Notify>>();

  const add = (map: Map<string, Set<Notify>>, key: string, notify: Notify) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(notify);
    return () => {
      set!.delete(notify);
      if (set!.size === 0 && map.get(key) === set) map.delete(key);
    };
  };
  const fire = (set: Set<Notify> | undefined) => {
    for (const notify of [...(set ?? [])]) {
      try {
        notify();
      } catch (err) {
        // A watcher whose connection broke is removed by its own close handler; anything else is a bug to hear of.
        onError(err, 'notifying a page watcher');
      }
    }
  };

  return {
    watchPayment: (id, notify) => add(byPayment, id, notify),
    watchPhone: (phone, notify) => add(byPhone, phone, notify),
    paymentChanged(p) {
      fire(byPayment.get(p.id));
      if (p.customerPhone) fire(byPhone.get(p.customerPhone));
    },
    eventsCommitted(events) {
      const seen = new Set<string>();
      for (const e of events) {
        const key = e.paymentId;
        if (seen.has(key)) continue;
        seen.add(key);
        fire(byPayment.get(key));
        if (byPhone.size === 0) continue;
        lookup(e.paymentId).then(
          (p) => {
            if (p?.customerPhone) fire(byPhone.get(p.customerPhone));
          },
          (err: unknown) => onError(err, `reading payment ${e.paymentId} for its phone's watchers`),
        );
      }
    },
  };
}
