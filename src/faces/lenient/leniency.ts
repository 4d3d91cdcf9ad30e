// A leniency: something in a request that the real platform accepts although the spec does not
// describe it (an unknown property, a number where a string belongs, a path in another case), and
// that vipps-local therefore accepts too, and reports. Faces record them on the request with
// `reportLeniency`; lenient-face.ts reports them in the `Vipps-Local-Warning` header and the log.
import type { FastifyRequest } from 'fastify';

export type LeniencyKind =
  /** The path matched a route only case-insensitively (`/accessToken/get`). */
  | 'path-case'
  /** The path ended with one `/` more than the route (`/epayment/v1/payments/`). */
  | 'path-trailing-slash'
  /** `text/json` or `application/…+json` read as `application/json`. */
  | 'json-content-type'
  /** A property the API does not define: ignored. */
  | 'unknown-property'
  /** A JSON number in a string field, read as the digits written (`"reference": 2486791679658155992`). */
  | 'number-as-string'
  /** `null` for an optional field that is not nullable: treated as absent. */
  | 'null-as-absent'
  /** An ePayment `customer` with none of phoneNumber, personalQr, customerToken: no customer. */
  | 'customer-without-identifier'
  /** `http://` merchant URL to a host that is not loopback (production requires https). */
  | 'http-merchant-url'
  /** Force approve's `token` is no payment token at all (the official Postman collection sends an unfilled `{{payment_token}}`): ignored. */
  | 'unusable-token'
  /** Stands for the leniencies beyond the recorded maximum. */
  | 'more';

export interface Leniency {
  kind: LeniencyKind;
  /** What it applies to, as the client wrote it: a body field (`customer.customerInteraction`), a header name, or the request path. */
  field: string;
  /** One sentence for the developer. */
  detail: string;
}

/** The response header that names every leniency applied to the request. */
export const WARNING_HEADER = 'Vipps-Local-Warning';

/** At most this many are recorded per request (a body of unknown properties could hold thousands). */
export const MAX_RECORDED = 50;

declare module 'fastify' {
  interface FastifyRequest {
    /** The leniencies applied to this request so far; null until the first. */
    leniencies: Leniency[] | null;
  }
}

/** Records a leniency on the request. */
export function reportLeniency(req: FastifyRequest, leniency: Leniency): void {
  const list = req.leniencies ?? (req.leniencies = []);
  addLeniency(list, leniency);
}

/** Appends to a list, keeping at most MAX_RECORDED entries plus one `more` entry counting the rest. */
export function addLeniency(list: Leniency[], leniency: Leniency): void {
  if (list.length < MAX_RECORDED) {
    list.push(leniency);
    return;
  }
  const last = list[MAX_RECORDED];
  const count = last ? Number(/^\d+/.exec(last.detail)?.[0] ?? '0') + 1 : 1;
  list[MAX_RECORDED] = { kind: 'more', field: '', detail: `${count} more leniencies not listed.` };
}

/**
 * One header value per leniency, each an RFC 8941 structured-field list member:
 * `unknown-property;field="customer.customerInteraction";detail="Not part of the API; ignored."`
 * Strings are printable ASCII: `"` and `\` are backslash-escaped, and characters outside
 * printable ASCII, and `%`, are percent-encoded as UTF-8 (an unknown property may be named
 * anything). Long strings are cut at 200 characters, ending in `...`.
 */
export function formatWarning(l: Leniency): string {
  return `${l.kind};field=${sfString(l.field)};detail=${sfString(l.detail)}`;
}

const MAX_STRING = 200;

function sfString(value: string): string {
  let s = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING - 3)}...` : value;
  s = s.replace(/[^\x20-\x24\x26-\x7e]/gu, percentEncode);
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function percentEncode(ch: string): string {
  try {
    return encodeURIComponent(ch);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate: U+FFFD
  }
}
