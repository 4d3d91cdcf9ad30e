// A webhook registration for repository and store tests.
import { NO_FAULTS } from '../src/store/store.ts';
import type { WebhookRegistration } from '../src/faces/webhooks/registration.ts';

export function sampleWebhook(over: Partial<WebhookRegistration> = {}): WebhookRegistration {
  return {
    id: '3f0c2b9e-0000-4000-8000-000000000001',
    clientId: 'client-a',
    msn: '123456',
    url: 'http://127.0.0.1:9/hook',
    events: ['epayments.payment.captured.v1'],
    secret: 'secret',
    createdAt: 1,
    faults: NO_FAULTS,
    ...over,
  };
}
