// `vipps-local approve|reject|expire <reference>`: what the shopper (or time) does, on a running vipps-local.
import { callOperator, messageOf, type Remote } from './remote.ts';
import type { CommandIo } from './command-io.ts';

export type PaymentAction = 'approve' | 'reject' | 'expire';

export interface PaymentActionOptions {
  msn?: string;
  phone?: string;
  card?: string;
}

/** Prints `<reference>: <STATE>`; exit 0 when the action was taken, 1 when vipps-local refused it. */
export async function paymentAction(remote: Remote, action: PaymentAction, reference: string, options: PaymentActionOptions, io: CommandIo): Promise<number> {
  const body = {
    reference,
    ...(options.msn ? { msn: options.msn } : {}),
    ...(options.phone && action !== 'expire' ? { phoneNumber: options.phone } : {}),
    ...(options.card && action === 'approve' ? { card: options.card } : {}),
  };
  const answer = await callOperator(remote, 'POST', `/payments/${action}`, body);
  if (answer.status !== 200) {
    io.err(`vipps-local ${action} ${reference}: ${messageOf(answer)}`);
    return 1;
  }
  io.out(`${answer.body.reference}: ${answer.body.state} (sales unit ${answer.body.msn})`);
  return 0;
}
