// What the dashboard's pages read and act through: the engine (payments), and small read or control
// interfaces handed in by platform/app.ts for what is not a payment (the request log, the outbox's
// deliveries, webhook registrations, faults, the faces' own objects). Never the store itself.
import type { ConsentStore } from '../../faces/userinfo/consent-store.ts';
import type { Checklist } from '../../checklist/checklist.ts';
import type { FaceContext } from '../../faces/face-context.ts';
import type { OmReader } from '../../faces/order-management/om-store.ts';
import type { OperatorAccessOptions } from '../../faces/operator/operator-access.ts';
import type { PspReader } from '../../faces/psp/psp-store.ts';
import type { StripeReader } from '../../faces/stripe/stripe-store.ts';
import type { WebhookRegistration } from '../../faces/webhooks/registration.ts';
import type { Limits } from '../../platform/limits.ts';
import type { LoggedRequest, RequestFilter } from '../../platform/request-log/request-log-store.ts';
import type { DeliveryFilter, LoggedDelivery, RedeliverOutcome, WebhookFaults } from '../../store/store.ts';
import type { PageSecurity } from '../csrf.ts';
import type { EventStreams } from '../sse.ts';

/** The outbox's deliveries, as the dashboard reads and nudges them. */
export interface DeliveryControl {
  list(filter: DeliveryFilter): Promise<LoggedDelivery[]>;
  /** Puts a delivery back in the queue, due now, and wakes the delivery worker. */
  redeliver(id: number): Promise<RedeliverOutcome>;
  /** Calls `listener` after every delivery attempt; returns the unsubscribe function. */
  onAttempt(listener: () => void): () => void;
}

export interface DashboardOptions {
  testClock: boolean;
  access: OperatorAccessOptions;
  requests: { list(filter: RequestFilter): Promise<LoggedRequest[]> };
  deliveries: DeliveryControl;
  webhooks: {
    all(): Promise<WebhookRegistration[]>;
    /** Sets one registration's faults (and its pending deliveries'); false when there is no such registration. */
    setFaults(id: string, faults: WebhookFaults): Promise<boolean>;
  };
  faults: { get(): WebhookFaults; set(faults: WebhookFaults): void };
  om: OmReader;
  psp: PspReader;
  stripe: StripeReader;
  /** The Userinfo face's consents (read-only). */
  userinfo: Pick<ConsentStore, 'bySub'>;
  /** The go-live check of a configured sales unit: the operator API's (checklist/gather-checklist.ts). */
  checklist(msn: string): Promise<Checklist>;
  /** What `/` answers a program (Accept without text/html): the machine-readable index. */
  index(): unknown;
  limits: Pick<Limits, 'eventStreams' | 'eventStreamsPerClient'>;
}

export interface DashboardContext extends DashboardOptions {
  face: FaceContext;
  security: PageSecurity;
  streams: EventStreams;
  /** The value of the operator session cookie (a MAC of the operator token). */
  sessionValue: string;
}
