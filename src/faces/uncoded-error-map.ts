// The error map of a face that runs no engine command that can refuse (Userinfo, Order Management):
// every domain reason still has an answer, with ePayment's title and a status the face's spec declares.
import { REASONS, type Reason } from '../domain/reasons.ts';
import { entry, type ErrorEntry, type ErrorMap } from './api-error.ts';
import { EPAYMENT_ERROR_MAP } from './epayment/error-map.ts';

export function uncodedErrorMap(declared: ReadonlySet<number>): ErrorMap {
  return Object.fromEntries(
    (Object.keys(REASONS) as Reason[]).map((reason): [Reason, ErrorEntry] => {
      const e = EPAYMENT_ERROR_MAP[reason];
      const status = declared.has(e.status) ? e.status : e.status >= 500 ? 500 : 400;
      return [reason, entry(null, status, e.title, e.detail)];
    }),
  ) as ErrorMap;
}
