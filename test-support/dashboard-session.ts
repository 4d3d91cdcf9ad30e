// A browser's side of the dashboard without a browser: a cookie jar, same-origin navigations and
// form posts with the page's CSRF token, as a browser sends them (Accept: text/html, Origin,
// Sec-Fetch-Site). For HTTP-level tests of src/pages/dashboard/.
import assert from 'node:assert/strict';

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export class DashboardSession {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string, readonly extraHeaders: Record<string, string> = {}) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml', 'sec-fetch-site': 'none', cookie: this.cookieHeader(), ...this.extraHeaders, ...headers },
    });
    this.keep(res);
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }

  /** Posts a form as the dashboard's own page would (same origin); `csrf` is added unless given. */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.baseUrl,
        'sec-fetch-site': 'same-origin',
        cookie: this.cookieHeader(),
        ...this.extraHeaders,
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }
}

/** The CSRF token of the first form on a page. */
export function csrfOf(page: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(page);
  assert.ok(m, 'the page has a form with a CSRF token');
  return m[1]!;
}

/** The dashboard path of the payment with this reference, read from the list. */
export async function paymentPathOf(session: DashboardSession, reference: string): Promise<string> {
  const list = await session.get(`/?reference=${encodeURIComponent(reference)}`);
  assert.equal(list.status, 200, list.text.slice(0, 300));
  const m = /href="(\/dashboard\/payments\/[^"]+)"/.exec(list.text);
  assert.ok(m, `the list links payment ${reference}`);
  return m[1]!;
}
