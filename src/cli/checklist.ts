// `vipps-local checklist --msn 123456 [--url …] [--operator-token …] [--json]`: the go-live check of
// a running vipps-local (GET /vipps-local/v1/checklist, docs/decisions.md "Go-live check (issue 17)"),
// printed as one line per item, or as the endpoint's JSON. Exit code: 0 when no item failed, 1 when
// one did (a merchant's CI gates on it), 2 when vipps-local could not be reached or answered an error.
import type { Checklist, ItemStatus } from '../checklist/checklist.ts';

export interface ChecklistOptions {
  url: string;
  msn: string;
  operatorToken?: string;
  json?: boolean;
}

const MARK: Record<ItemStatus, string> = { pass: '✔', fail: '✘', not_seen: '·' };

export async function runChecklist(options: ChecklistOptions, out: NodeJS.WritableStream): Promise<number> {
  const write = (line: string) => out.write(`${line}\n`);
  const base = options.url.replace(/\/+$/, '');
  const url = `${base}/vipps-local/v1/checklist?msn=${encodeURIComponent(options.msn)}`;
  const headers: Record<string, string> = options.operatorToken ? { 'X-Vipps-Local-Operator-Token': options.operatorToken } : { 'X-Vipps-Local-Operator': '1' };
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    write(`vipps-local checklist: cannot reach vipps-local at ${base} (${cause?.code ?? cause?.message ?? (err as Error).message}). Is it running? Name another with --url.`);
    return 2;
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status !== 200 || !isChecklist(body)) {
    const message = typeof (body as { message?: unknown } | undefined)?.message === 'string' ? (body as { message: string }).message : text.slice(0, 200) || `HTTP ${res.status}`;
    const hint = res.status === 401 ? (options.operatorToken ? ' Is it the operator_token this vipps-local printed?' : ' Pass the operator_token it printed with --operator-token.') : '';
    write(`vipps-local checklist: ${base} answered ${res.status}: ${message}${hint}`);
    return 2;
  }
  if (options.json) write(JSON.stringify(body, null, 2));
  else for (const line of checklistLines(body)) write(line);
  return body.passed ? 0 : 1;
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
