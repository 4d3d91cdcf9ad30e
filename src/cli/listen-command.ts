// `vipps-local listen --forward-to URL [--events …]`: as `stripe listen` does, registers a webhook
// (Webhooks API, with a merchant's credentials: the default merchant's unless given), prints its
// secret, and prints each delivery to it with the receiver's answer until interrupted; then deletes
// the registration. vipps-local itself delivers to the URL (it must be a target vipps-local may call).
import { DEFAULT_MERCHANT } from '../platform/config.ts';
import { EPAYMENT_EVENT_TYPES } from '../faces/webhooks/event-types.ts';
import { merchantCaller, type MerchantResponse } from '../merchant-client.ts';
import { RemoteError, type Remote } from './remote.ts';
import type { CommandIo } from './command-io.ts';
import { follow } from './deliveries-command.ts';
import type { DeliveryView } from './delivery-lines.ts';

export interface ListenOptions {
  forwardTo: string;
  /** Event names; every ePayment event when absent. */
  events?: string[];
  msn?: string;
  clientId?: string;
  clientSecret?: string;
  subscriptionKey?: string;
  pollMs?: number;
}

const describe = (r: MerchantResponse) => {
  const b = r.body as { detail?: string; title?: string; extraDetails?: { name?: string; reason?: string }[] } | undefined;
  const extra = b?.extraDetails?.map((e) => `${e.name}: ${e.reason}`).join('; ');
  return [b?.detail ?? b?.title ?? `HTTP ${r.status}`, extra].filter(Boolean).join(' — ');
};

export async function listenCommand(remote: Remote, options: ListenOptions, io: CommandIo): Promise<number> {
  const merchant = merchantCaller({
    url: remote.url,
    msn: options.msn ?? DEFAULT_MERCHANT.msn,
    clientId: options.clientId ?? DEFAULT_MERCHANT.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_MERCHANT.clientSecret,
    subscriptionKey: options.subscriptionKey ?? DEFAULT_MERCHANT.subscriptionKey,
  });
  const call = async (method: string, path: string, body?: unknown) => {
    try {
      return await merchant.call(method, path, body);
    } catch (err) {
      throw new RemoteError(`cannot talk to vipps-local at ${remote.url} as merchant ${options.clientId ?? 'the default merchant'}: ${(err as Error).message}`);
    }
  };
  const events = options.events?.length ? options.events : [...EPAYMENT_EVENT_TYPES];
  const registered = await call('POST', '/webhooks/v1/webhooks', { url: options.forwardTo, events });
  if (registered.status !== 201 && registered.status !== 200) {
    io.err(`vipps-local listen: the webhook was not registered: ${describe(registered)}`);
    return 1;
  }
  const { id, secret } = registered.body as { id: string; secret: string };
  io.out(`Ready. Webhook ${id} sends ${events.length === EPAYMENT_EVENT_TYPES.length ? 'every ePayment event' : events.join(', ')} for sales unit ${options.msn ?? DEFAULT_MERCHANT.msn} to ${options.forwardTo}`);
  io.out(`webhook_secret: ${secret}`);
  io.out('(Ctrl-C stops and deletes the registration)');
  const read = async (): Promise<DeliveryView[]> => {
    const answer = await call('GET', `/vipps-local/v1/merchant/deliveries?webhookId=${encodeURIComponent(id)}&limit=100`);
    if (answer.status !== 200) throw new RemoteError(`the delivery log: ${describe(answer)}`);
    return answer.body.deliveries as DeliveryView[];
  };
  return follow(read, [], options.pollMs ?? 500, io, async () => {
    const deleted = await call('DELETE', `/webhooks/v1/webhooks/${encodeURIComponent(id)}`).catch(() => undefined);
    if (deleted && deleted.status < 300) io.out(`Webhook ${id} deleted.`);
    else io.err(`vipps-local listen: could not delete webhook ${id}${deleted ? `: ${describe(deleted)}` : ''}`);
  });
}
