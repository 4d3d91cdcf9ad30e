// Webhook registrations: register, list, delete (Webhooks API v1), and the operator's fault settings.
import { randomBytes } from 'node:crypto';
import { validateRegistration } from '../domain/webhook-rules.ts';
import type { DeliveryFilter, WebhookFaults, WebhookRegistration } from '../store/store.ts';
import type { EngineDeps } from './deps.ts';
import { NO_FAULTS } from '../store/store.ts';

export interface WebhookOwner {
  clientId: string;
  /** null: the registration covers every sales unit of the merchant. */
  msn: string | null;
}

export async function registerWebhook(
  deps: EngineDeps,
  owner: WebhookOwner,
  request: { url: string; events: string[] },
  requireHttps: boolean,
): Promise<{ id: string; secret: string }> {
  return deps.store.transaction(async (tx) => {
    const existing = await tx.listWebhooks(owner.clientId, owner.msn);
    const perEvent = new Map<string, number>();
    for (const w of existing) for (const e of w.events) perEvent.set(e, (perEvent.get(e) ?? 0) + 1);
    validateRegistration(request, perEvent, requireHttps);
    const registration: WebhookRegistration = {
      id: deps.ids.uuid(),
      clientId: owner.clientId,
      msn: owner.msn,
      url: request.url,
      events: [...request.events],
      // 64 random bytes, base64: the shape of the secret in the platform's authentication docs.
      secret: randomBytes(64).toString('base64'),
      createdAt: deps.clock.now(),
      faults: NO_FAULTS,
    };
    await tx.insertWebhook(registration);
    return { id: registration.id, secret: registration.secret };
  });
}

export function listWebhooks(deps: EngineDeps, owner: WebhookOwner): Promise<WebhookRegistration[]> {
  return deps.store.transaction((tx) => tx.listWebhooks(owner.clientId, owner.msn));
}

/** Returns whether a registration with that id existed for this owner. */
export function deleteWebhook(deps: EngineDeps, owner: WebhookOwner, id: string): Promise<boolean> {
  return deps.store.transaction((tx) => tx.deleteWebhook(owner.clientId, owner.msn, id));
}

export function setWebhookFaults(deps: EngineDeps, id: string, faults: WebhookFaults): Promise<boolean> {
  return deps.store.setWebhookFaults(id, faults);
}

/** Deliveries with their attempt log, newest first: what the operator sees of webhook traffic. */
export function listWebhookDeliveries(deps: EngineDeps, filter: DeliveryFilter) {
  return deps.store.listDeliveries(filter);
}
