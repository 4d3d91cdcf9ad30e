// One Stripe API request as the face's operations see it: who calls, under which version, the
// request an Event names, and where leniencies are reported.
import type { StripeCaller } from './stripe-auth.ts';
import type { EventRequest } from './events.ts';
import type { StripeVersion } from './stripe-version.ts';

export interface StripeCall {
  caller: StripeCaller;
  version: StripeVersion;
  request: EventRequest;
  baseUrl: string;
  /** strictRequests: a leniency becomes an error. */
  strict: boolean;
  /** Leniencies applied, reported in `Vipps-Local-Warning`. */
  warnings: string[];
}
