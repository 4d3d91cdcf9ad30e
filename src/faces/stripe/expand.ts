// `expand[]` (STRIPE-NOTES §3.2): an id field named by a path becomes its object, nested with dots
// (`latest_charge.payment_method`), in lists under `data.`. Only objects of the caller's account.
import { invalidRequest } from './stripe-error.ts';
import type { StripeReader } from './stripe-store.ts';

/** Fields that hold an id of another stored object, per object kind. */
const EXPANDABLE: Record<string, readonly string[]> = {
  payment_intent: ['latest_charge', 'payment_method'],
  charge: ['payment_intent', 'payment_method'],
  refund: ['charge', 'payment_intent', 'payment_method'],
  'checkout.session': ['payment_intent', 'line_items'],
};

export async function expand(reader: StripeReader, account: string, object: unknown, paths: readonly string[]): Promise<unknown> {
  for (const path of paths) {
    if (path.split('.').length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${path}`, { param: 'expand' });
    await expandPath(reader, account, object, path.split('.'), path);
  }
  return object;
}

async function expandPath(reader: StripeReader, account: string, object: unknown, parts: string[], whole: string): Promise<void> {
  if (object === null || typeof object !== 'object') return;
  const o = object as Record<string, unknown>;
  const [head, ...rest] = parts;
  if (head === undefined) return;
  if (o.object === 'list' && head === 'data') {
    for (const item of o.data as unknown[]) await expandPath(reader, account, item, rest, whole);
    return;
  }
  const kind = o.object as string;
  if (!(EXPANDABLE[kind] ?? []).includes(head)) {
    throw invalidRequest(`This property cannot be expanded (${whole}).`, { param: 'expand' });
  }
  let value = o[head];
  if (typeof value === 'string') {
    const found = await reader.get(value);
    if (found && found.account === account) {
      value = found.data;
      o[head] = value;
    }
  }
  if (rest.length > 0) await expandPath(reader, account, value, rest, whole);
}
