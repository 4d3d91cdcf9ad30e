// A face's store is opened once per Store (its migrations applied, its tables registered for reset),
// however many apps or tests ask for it; a failed open is forgotten so the next ask tries again.
import type { Store } from './store.ts';

export function oncePerStore<T>(open: (store: Store) => Promise<T>): (store: Store) => Promise<T> {
  const opened = new WeakMap<Store, Promise<T>>();
  return (store) => {
    let found = opened.get(store);
    if (!found) {
      found = open(store);
      opened.set(store, found);
      found.catch(() => opened.delete(store));
    }
    return found;
  };
}
