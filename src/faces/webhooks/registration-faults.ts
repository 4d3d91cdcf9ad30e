// Faults on one webhook registration (duplicate, delay, out of order): the registration's own
// setting and its deliveries still waiting to be sent, in one unit of work. The operator API's
// PUT /webhooks/{id}/faults, the merchant view's and the dashboard's form all apply them here.
import type { Engine } from '../../engine/engine.ts';
import type { WebhookFaults } from '../../store/store.ts';
import type { WebhookRegistration } from './registration.ts';
import type { WebhookStore } from './webhook-store.ts';

/**
 * Sets the registration's faults and those of its pending deliveries. False when there is no such
 * registration, or `allowed` says the caller may not touch it (then nothing changes).
 */
export async function setRegistrationFaults(
  engine: Engine,
  webhooks: WebhookStore,
  id: string,
  faults: WebhookFaults,
  allowed?: (registration: WebhookRegistration) => boolean,
): Promise<boolean> {
  return engine.run(async (uow) => {
    const repo = webhooks.in(uow.tx.sql);
    if (allowed) {
      const found = await repo.get(id);
      if (found === null || !allowed(found)) return false;
    }
    if (!(await repo.setFaults(id, faults))) return false;
    await uow.tx.setPendingDeliveryFaults(id, faults);
    return true;
  });
}
