// `vipps-local checklist --msn 123456 [--url …] [--operator-token …] [--json]`: the go-live check of
// a running vipps-local (GET /vipps-local/v1/checklist, docs/decisions.md "Go-live check (issue 17)"),
// printed as one line per item, or as the endpoint's JSON. Exit code: 0 when no item failed, 1 when
// one did (a merchant's CI gates on it), 2 when vipps-local could not be reached or answered an error.
import type { Checklist, ItemStatus } from '../checklist/checklist.ts';
import type { CommandIo } from './command-io.ts';
import { callOperator, messageOf, type Remote } from './remote.ts';

export interface ChecklistOptions {
  msn: string;
  json?: boolean;
}

const MARK: Record<ItemStatus, string> = { pass: '✔', fail: '✘', not_seen: '·' };

export async function checklistCommand(remote: Remote, options: ChecklistOptions, io: CommandIo): Promise<number> {
  const answer = await callOperator(remote, 'GET', `/checklist?msn=${encodeURIComponent(options.msn)}`);
  if (answer.status !== 200 || !isChecklist(answer.body)) {
    io.err(`vipps-local checklist: ${remote.url} answered ${answer.status}: ${messageOf(answer)}`);
    return 2;
  }
  if (options.json) io.out(JSON.stringify(answer.body, null, 2));
  else for (const line of checklistLines(answer.body)) io.out(line);
  return answer.body.passed ? 0 : 1;
}

/** The readable form: a heading, one line per item (✔ pass, ✘ fail, · not seen), and the verdict. */
export function checklistLines(list: Checklist): string[] {
  const width = Math.max(...list.items.map((i) => i.title.length));
  return [
    `Go-live check for sales unit ${list.msn} (${list.generatedAt})`,
    list.basis.note,
    '',
    ...list.items.map((i) => `${MARK[i.status]} ${i.title.padEnd(width)} — ${i.detail}`),
    '',
    `${list.passed ? 'Passed' : 'Failed'}: ${list.summary.pass} passed, ${list.summary.fail} failed, ${list.summary.not_seen} not seen.`,
  ];
}

function isChecklist(body: unknown): body is Checklist {
  const b = body as Partial<Checklist> | null | undefined;
  return typeof b === 'object' && b !== null && typeof b.passed === 'boolean' && Array.isArray(b.items) && typeof b.summary === 'object' && typeof b.basis === 'object';
}
