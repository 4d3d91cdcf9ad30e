// The Webhooks API's errors. It has no error codes: its problems carry no ErrorCode. Its requests
// meet few domain reasons (a busy store, an unknown sales unit), but every reason has an answer here.
import { REASONS, type Reason } from '../../domain/reasons.ts';
import { entry, type ErrorEntry, type ErrorMap } from '../api-error.ts';
import { EPAYMENT_ERROR_MAP } from '../epayment/error-map.ts';

export const WEBHOOK_ERRORS = {
  NOT_FOUND: entry(null, 404, 'Not Found', 'No webhook with this id is registered for this merchant.'),
  INTERNAL: entry(null, 500, 'Internal Server Error', 'An unexpected error occurred.'),
} as const;

/** The same statuses and titles as ePayment's, without codes. */
export const WEBHOOK_ERROR_MAP = Object.fromEntries(
  (Object.keys(REASONS) as Reason[]).map((reason): [Reason, ErrorEntry] => {
    const e = EPAYMENT_ERROR_MAP[reason];
    return [reason, entry(null, e.status, e.title, e.detail)];
  }),
) as ErrorMap;
