// A webhook registration of the Webhooks API: the Webhooks face's own record.
import type { WebhookFaults } from '../../store/store.ts';

export interface WebhookRegistration {
  id: string;
  /** The merchant (client_id) that registered it. */
  clientId: string;
  /** The sales unit it was registered for; null: every sales unit of the merchant. */
  msn: string | null;
  url: string;
  events: string[];
  secret: string;
  createdAt: number;
  faults: WebhookFaults;
}

/** Who owns registrations: a merchant, for one sales unit or (null) all of them. */
export interface WebhookOwner {
  clientId: string;
  msn: string | null;
}
