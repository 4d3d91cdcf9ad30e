// `vipps-local payments [--msn] [--state] [--reference] [--limit] [--json]`: the newest payments as a table.
import { callOperator, messageOf, RemoteError, type Remote } from './remote.ts';
import type { CommandIo } from './command-io.ts';
import { decimalString } from '../domain/money.ts';
import type { paymentListView } from '../faces/operator/payment-list.ts';

type ListedPayment = ReturnType<typeof paymentListView>;

export interface PaymentsOptions {
  msn?: string;
  state?: string;
  reference?: string;
  limit?: number;
  json?: boolean;
}

const major = decimalString;

/** Columns padded to their widest cell; the last one is not padded. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ').trimEnd());
}

export async function paymentsCommand(remote: Remote, options: PaymentsOptions, io: CommandIo): Promise<number> {
  const query = new URLSearchParams({
    limit: String(options.limit ?? 20),
    ...(options.msn ? { msn: options.msn } : {}),
    ...(options.state ? { state: options.state.toUpperCase() } : {}),
    ...(options.reference ? { reference: options.reference } : {}),
  });
  const answer = await callOperator(remote, 'GET', `/payments?${query}`);
  if (answer.status !== 200) throw new RemoteError(`the payment list: ${messageOf(answer)}`);
  const payments = answer.body.payments as ListedPayment[];
  if (options.json) {
    io.out(JSON.stringify(answer.body, null, 2));
    return 0;
  }
  if (payments.length === 0) {
    io.out('No payments (yet).');
    return 0;
  }
  const rows = [
    ['CREATED', 'MSN', 'REFERENCE', 'STATE', 'AMOUNT', 'CAPTURED', 'REFUNDED', 'FACE', 'FLOW', 'CUSTOMER'],
    ...payments.map((p) => [
      p.createdAt.replace('T', ' ').slice(0, 19),
      p.msn,
      p.reference,
      p.state,
      `${major(p.amount)} ${p.currency}`,
      major(p.captured),
      major(p.refunded),
      p.face,
      p.userFlow,
      p.customerPhone ?? '',
    ]),
  ];
  for (const line of table(rows)) io.out(line);
  if (answer.body.next) io.out(`(newest ${payments.length}; more with --limit)`);
  return 0;
}
