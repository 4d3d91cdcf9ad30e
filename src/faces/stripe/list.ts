// List endpoints (STRIPE-NOTES §3.2): `limit` 1–100 (10 by default), `starting_after` or
// `ending_before` naming an object of the list, newest first, `{ object: 'list', url, has_more, data }`.
import { invalidRequest, resourceMissing } from './stripe-error.ts';
import { listObject } from './objects.ts';
import type { Params, ParamSpec } from './params.ts';
import type { ListQuery, StripeReader } from './stripe-store.ts';

export const ListParams: ParamSpec = { limit: 'integer', starting_after: 'string', ending_before: 'string', expand: { array: 'string' } };

export async function listPage(reader: StripeReader, url: string, noun: string, q: Omit<ListQuery, 'limit' | 'startingAfter' | 'endingBefore'>, p: Params) {
  const limit = (p.limit as number | undefined) ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be between 1 and 100', { param: 'limit' });
  if (p.starting_after !== undefined && p.ending_before !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', { param: 'ending_before' });
  }
  const page = await reader.list({
    ...q,
    limit,
    ...(p.starting_after !== undefined ? { startingAfter: p.starting_after as string } : {}),
    ...(p.ending_before !== undefined ? { endingBefore: p.ending_before as string } : {}),
  });
  if (!page) {
    const cursor = (p.starting_after ?? p.ending_before) as string;
    throw resourceMissing(noun, cursor, p.starting_after !== undefined ? 'starting_after' : 'ending_before');
  }
  return listObject(url, page.data, page.hasMore);
}
