// The platform's webhook request authentication (webhooks request-authentication.md): an
// HMAC-SHA256 over method, path and query, date, host and the body's SHA-256, keyed by the UTF-8
// bytes of the registration's secret.
import { createHash, createHmac } from 'node:crypto';

export interface SignedHeaders {
  'x-ms-date': string;
  'x-ms-content-sha256': string;
  authorization: string;
}

export function contentSha256(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('base64');
}

export function signWebhook(url: string, body: string, date: Date, secret: string): SignedHeaders {
  const target = new URL(url);
  const xMsDate = date.toUTCString();
  const hash = contentSha256(body);
  const stringToSign = `POST\n${target.pathname}${target.search}\n${xMsDate};${target.host};${hash}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(stringToSign, 'utf8').digest('base64');
  return {
    'x-ms-date': xMsDate,
    'x-ms-content-sha256': hash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
  };
}
