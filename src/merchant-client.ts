// Calls a merchant makes to vipps-local with its own credentials: an access token from
// /accesstoken/get (fetched once, again after a 401), the subscription key and the sales unit.
// The test-suite helpers' ePayment client and the CLI's `listen` use it.
import { randomUUID } from 'node:crypto';

export interface MerchantCredentials {
  url: string;
  msn: string;
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
}

/** An answer: the HTTP status and the parsed JSON body (the text when it is not JSON, undefined when empty). */
export interface MerchantResponse<T = any> {
  status: number;
  body: T;
}

export interface MerchantCaller {
  /** `path` from the base URL; a JSON body when `body` is given; an Idempotency-Key on every call but GET. */
  call(method: string, path: string, body?: unknown): Promise<MerchantResponse>;
  accessToken(): Promise<string>;
}

/** A response's body: parsed JSON, the text when it is not JSON, undefined when empty. */
export async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export function merchantCaller(t: MerchantCredentials): MerchantCaller {
  let token: string | undefined;
  const accessToken = async () => {
    if (token) return token;
    const res = await fetch(`${t.url}/accesstoken/get`, { method: 'POST', headers: { client_id: t.clientId, client_secret: t.clientSecret, 'Ocp-Apim-Subscription-Key': t.subscriptionKey } });
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) throw new Error(`no access token (HTTP ${res.status}: ${JSON.stringify(body)})`);
    return (token = body.access_token);
  };
  const call = async (method: string, path: string, body?: unknown, retried = false): Promise<MerchantResponse> => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await accessToken()}`,
        'Ocp-Apim-Subscription-Key': t.subscriptionKey,
        'Merchant-Serial-Number': t.msn,
        ...(method === 'GET' ? {} : { 'Idempotency-Key': randomUUID() }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 && !retried) {
      token = undefined;
      return call(method, path, body, true);
    }
    return { status: res.status, body: await bodyOf(res) };
  };
  return { call: (method, path, body) => call(method, path, body), accessToken };
}
