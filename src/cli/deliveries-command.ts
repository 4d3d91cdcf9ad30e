// `vipps-local deliveries [--msn] [--reference] [--webhook] [--limit] [--follow]`: the webhook delivery log.
import { callOperator, messageOf, RemoteError, type Remote } from './remote.ts';
import type { CommandIo } from './command-io.ts';
import { deliveryFollower, deliveryLine, type DeliveryView } from './delivery-lines.ts';

export interface DeliveriesOptions {
  msn?: string;
  reference?: string;
  webhook?: string;
  limit?: number;
  follow?: boolean;
  json?: boolean;
  /** How often --follow asks (ms); 500 by default. */
  pollMs?: number;
}

export async function deliveriesCommand(remote: Remote, options: DeliveriesOptions, io: CommandIo): Promise<number> {
  const query = new URLSearchParams({
    limit: String(options.limit ?? 50),
    ...(options.msn ? { msn: options.msn } : {}),
    ...(options.reference ? { reference: options.reference } : {}),
    ...(options.webhook ? { webhookId: options.webhook } : {}),
  });
  const read = async (): Promise<DeliveryView[]> => {
    const answer = await callOperator(remote, 'GET', `/webhook-deliveries?${query}`);
    if (answer.status !== 200) throw new RemoteError(`the delivery log: ${messageOf(answer)}`);
    return answer.body.deliveries as DeliveryView[];
  };
  const first = await read();
  if (!options.follow) {
    if (options.json) io.out(JSON.stringify(first, null, 2));
    else if (first.length === 0) io.out('No webhook deliveries (yet).');
    else for (const d of [...first].reverse()) io.out(deliveryLine(d, Date.now()));
    return 0;
  }
  return follow(read, first, options.pollMs ?? 500, io);
}

/** Prints each delivery as it appears and each time it changes, until interrupted. */
export async function follow(read: () => Promise<DeliveryView[]>, first: DeliveryView[], pollMs: number, io: CommandIo, onStop?: () => Promise<void>): Promise<number> {
  const follower = deliveryFollower();
  const print = (list: DeliveryView[]) => {
    for (const d of follower.changed(list)) io.out(deliveryLine(d, Date.now()));
  };
  print(first);
  let stopped = false;
  const interrupted = io.interrupted().then(() => {
    stopped = true;
  });
  while (!stopped) {
    await Promise.race([interrupted, new Promise((r) => setTimeout(r, pollMs))]);
    if (stopped) break;
    try {
      print(await read());
    } catch (err) {
      io.err(`vipps-local: ${(err as Error).message}`);
    }
  }
  await onStop?.();
  return 0;
}
