// A real webhook receiver for tests: a node:http server on 127.0.0.1 that records every request
// exactly as it arrived (raw body bytes, headers, path and query, arrival time) and answers as the
// test tells it to: a status code, a hang (no answer at all), or a dropped connection.
// Also: an independent signature verifier written from the platform's documentation (it does NOT
// use src/delivery/webhook-signature.ts), and small helpers for the operator's delivery log.
import assert from 'node:assert/strict';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Arrival {
  /** 1-based position among everything this receiver got. */
  n: number;
  method: string;
  /** Path and query exactly as requested (req.url). */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body bytes as received. */
  raw: Buffer;
  /** The body parsed as JSON (undefined if it is not JSON). */
  body: any;
  /** Date.now() when the whole body had arrived. */
  at: number;
  /** What the receiver answered. */
  answer: Answer;
}

/**
 * A status code to answer with at once, a status code after a pause, a status with a JSON body (a
 * merchant's callback answer), a status with an HTML page (a PSP's 3-D Secure page), 'hang' (never answer) or 'close' (drop the connection without answering).
 */
export type Answer = number | { status: number; afterMs: number } | { status: number; json: unknown } | { status: number; html: string } | 'hang' | 'close';

/** The status an answer gives the sender, or null when it gives none. */
export function statusOf(answer: Answer): number | null {
  return typeof answer === 'number' ? answer : typeof answer === 'object' ? answer.status : null;
}

export class WebhookReceiver {
  readonly arrivals: Arrival[] = [];
  /** Decides the answer to each request; 200 by default. */
  answer: (arrival: Arrival) => Answer = () => 200;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private hanging = new Set<ServerResponse>();
  private listeners = new Set<() => void>();
  port = 0;

  /** Starts listening on 127.0.0.1 (`port` 0: a free one). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.listen(port);
    return r;
  }

  /** (Re)starts listening, on the same port as before unless told otherwise. */
  async listen(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          body = undefined;
        }
        const arrival: Arrival = { n: this.arrivals.length + 1, method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body, at: Date.now(), answer: 200 };
        arrival.answer = this.answer(arrival);
        this.arrivals.push(arrival);
        const answer = arrival.answer;
        const send = (status: number) => res.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status}`);
        if (answer === 'hang') this.hanging.add(res);
        else if (answer === 'close') req.socket.destroy();
        else if (typeof answer === 'object' && 'json' in answer) res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(answer.json));
        else if (typeof answer === 'object' && 'html' in answer) res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' }).end(answer.html);
        else if (typeof answer === 'object') {
          this.hanging.add(res);
          setTimeout(() => {
            this.hanging.delete(res);
            if (!res.destroyed) send(answer.status);
          }, answer.afterMs);
        } else send(answer);
        for (const l of this.listeners) l();
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** http://127.0.0.1:<port><path> */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Arrivals whose path starts with `path`. */
  at(path: string): Arrival[] {
    return this.arrivals.filter((a) => a.path.startsWith(path));
  }

  /** Waits until `done()` holds, re-checking on every arrival; fails with `what` after `timeoutMs`. */
  async waitFor(done: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        clearInterval(poll);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${this.arrivals.length} arrivals: ${summary(this.arrivals)}`));
      }, timeoutMs);
      // Also re-check on a timer: `done` may depend on more than arrivals.
      const poll = setInterval(check, 25);
      this.listeners.add(check);
    });
  }

  /** Stops listening and drops every connection, including hanging ones. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function summary(arrivals: Arrival[]): string {
  return arrivals
    .slice(-20)
    .map((a) => `${a.path} ${a.body?.reference ?? '?'}/${a.body?.name ?? '?'} → ${JSON.stringify(a.answer)}`)
    .join(', ');
}

/** The payloads of arrivals that were answered 2xx. */
export function delivered(arrivals: Arrival[]): Arrival[] {
  return arrivals.filter((a) => {
    const status = statusOf(a.answer);
    return status !== null && status >= 200 && status < 300;
  });
}

/** `reference/NAME` of each arrival, in arrival order. */
export function names(arrivals: Arrival[]): string[] {
  return arrivals.map((a) => `${a.body.reference}/${a.body.name}`);
}

// ---- the signature, verified independently ---------------------------------------------------

/** e.g. "Thu, 30 Mar 2023 08:38:32 GMT" */
export const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * What a merchant's receiver computes, following the Webhooks API's request-authentication page:
 *   x-ms-content-sha256 = base64(SHA-256(raw body bytes))
 *   string to sign      = "POST\n" + pathAndQuery + "\n" + x-ms-date + ";" + host + ";" + x-ms-content-sha256
 *   Authorization       = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + base64(HMAC-SHA256(secret as UTF-8, string to sign))
 * Returns the expected Authorization value and content hash.
 */
export function expectedAuthorization(input: { pathAndQuery: string; date: string; host: string; rawBody: Buffer | string; secret: string }): {
  contentSha256: string;
  stringToSign: string;
  authorization: string;
} {
  const contentSha256 = createHash('sha256').update(input.rawBody).digest('base64');
  const stringToSign = `POST\n${input.pathAndQuery}\n${input.date};${input.host};${contentSha256}`;
  const signature = createHmac('sha256', Buffer.from(input.secret, 'utf8')).update(Buffer.from(stringToSign, 'utf8')).digest('base64');
  return { contentSha256, stringToSign, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}` };
}

/**
 * Asserts that an arrival is authentic for a registration: the received x-ms-date and Host, the path
 * and query of the registered URL and the raw received bytes give the received Authorization.
 */
export function assertSigned(arrival: Arrival, registeredUrl: string, secret: string): void {
  const where = `${arrival.path} ${arrival.body?.reference}/${arrival.body?.name}`;
  assert.equal(arrival.method, 'POST', where);
  const registered = new URL(registeredUrl);
  assert.equal(arrival.path, registered.pathname + registered.search, `${where}: sent to the registered path and query`);
  const date = String(arrival.headers['x-ms-date'] ?? '');
  assert.match(date, RFC_1123, `${where}: x-ms-date is an RFC 1123 date`);
  assert.ok(Math.abs(Date.parse(date) - arrival.at) < 60_000, `${where}: x-ms-date ${date} is the sending time`);
  const host = String(arrival.headers.host ?? '');
  assert.equal(host, registered.host, `${where}: Host is the registered URL's authority`);
  const expected = expectedAuthorization({ pathAndQuery: registered.pathname + registered.search, date, host, rawBody: arrival.raw, secret });
  assert.equal(arrival.headers['x-ms-content-sha256'], expected.contentSha256, `${where}: x-ms-content-sha256 is the hash of the raw body`);
  const got = Buffer.from(String(arrival.headers.authorization ?? ''));
  const want = Buffer.from(expected.authorization);
  assert.ok(got.length === want.length && timingSafeEqual(got, want), `${where}: Authorization ${got} should be ${want}`);
  assert.match(String(arrival.headers['content-type']), /^application\/json/, `${where}: the body is JSON`);
}

// ---- the operator's delivery log ---------------------------------------------------------------

export interface LoggedAttempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
  note: string | null;
}

export interface LoggedDelivery {
  id: number;
  webhookId: string;
  msn: string;
  reference: string;
  eventType: string;
  payload: any;
  status: 'pending' | 'delivered' | 'failed';
  attempts: LoggedAttempt[];
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt: string | null;
  url: string;
}

/**
 * The headers of an operator call: the operator token when there is one; without it (a server on
 * loopback) `X-Vipps-Local-Operator: 1`, the custom header a web page of another origin cannot send.
 */
export function operatorHeaders(token?: string): Record<string, string> {
  return token !== undefined ? { 'x-vipps-local-operator-token': token } : { 'x-vipps-local-operator': '1' };
}

/** GET /vipps-local/v1/webhook-deliveries, oldest first. */
export async function deliveryLog(baseUrl: string, query: Record<string, string> = {}, token?: string): Promise<LoggedDelivery[]> {
  const res = await fetch(`${baseUrl}/vipps-local/v1/webhook-deliveries?${new URLSearchParams(query)}`, { headers: operatorHeaders(token) });
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { deliveries: LoggedDelivery[] };
  return body.deliveries.reverse();
}

/** PUT a JSON body to an operator endpoint; returns status and body. */
/** PUT a JSON body to an operator endpoint (with the operator token, if given); returns status and body. */
export async function operatorPut(baseUrl: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/vipps-local/v1${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...operatorHeaders(token) }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** POST a JSON body to an operator endpoint (with the operator token, if given); returns status and body. */
export async function operatorPost(baseUrl: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/vipps-local/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...operatorHeaders(token) }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true (for state outside a receiver, e.g. the delivery log). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
