// How the CLI's commands reach a running vipps-local: its base URL and, for the operator API, the
// operator token (without one, the loopback-only `X-Vipps-Local-Operator: 1` marker).
import { bodyOf } from '../merchant-client.ts';

export interface Remote {
  url: string;
  operatorToken?: string;
}

export interface RemoteAnswer<T = any> {
  status: number;
  body: T;
}

/** A failure to talk to vipps-local at all (exit code 2), as opposed to an answer that refuses. */
export class RemoteError extends Error {}

export const DEFAULT_URL = 'http://127.0.0.1:8787';

/** The base URL from --url, VIPPS_LOCAL_URL or the default, without a trailing slash. */
export function remoteFrom(options: { url?: string; operatorToken?: string }, env: NodeJS.ProcessEnv): Remote {
  const url = (options.url ?? env.VIPPS_LOCAL_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new RemoteError(`--url must be an http:// or https:// URL, got "${url}".`);
  const operatorToken = options.operatorToken ?? (env.VIPPS_LOCAL_OPERATOR_TOKEN || undefined);
  return { url, ...(operatorToken ? { operatorToken } : {}) };
}

/** One HTTP call; a network failure becomes a RemoteError naming the URL. */
export async function call(remote: Remote, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<RemoteAnswer> {
  let res: Response;
  try {
    res = await fetch(`${remote.url}${path}`, {
      method,
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    type Cause = { code?: string; message?: string; errors?: Cause[]; cause?: Cause };
    const c = (err as Cause).cause;
    const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (err as Error).message;
    throw new RemoteError(`cannot reach vipps-local at ${remote.url} (${cause}). Is it running (npm start)? Name another with --url or VIPPS_LOCAL_URL.`);
  }
  return { status: res.status, body: await bodyOf(res) };
}

/** A call to the operator API (/vipps-local/v1…) with the operator's credentials. */
export async function callOperator(remote: Remote, method: string, path: string, body?: unknown): Promise<RemoteAnswer> {
  const headers: Record<string, string> = remote.operatorToken ? { 'x-vipps-local-operator-token': remote.operatorToken } : { 'x-vipps-local-operator': '1' };
  const answer = await call(remote, method, `/vipps-local/v1${path}`, { headers, body });
  if (answer.status === 401) {
    const hint = remote.operatorToken ? 'Is it the operator_token this vipps-local printed?' : 'Pass the printed operator_token with --operator-token or VIPPS_LOCAL_OPERATOR_TOKEN.';
    throw new RemoteError(`the operator API refused the call (${messageOf(answer)}). ${hint}`);
  }
  return answer;
}

/** The message of an operator API error body, or the status. */
export function messageOf(answer: RemoteAnswer): string {
  const b = answer.body as { message?: unknown } | undefined;
  return typeof b === 'object' && b !== null && typeof b.message === 'string' ? b.message : `HTTP ${answer.status}`;
}
