// Request and response bodies in the request log (docs/decisions.md "Request log"): each kept to at
// most MAX_BODY_BYTES of UTF-8 (cut on a character boundary, with a note), and never a secret.
//
// The hot path only keeps references to strings it already has (the raw request text a content
// parser read, the serialized response). Everything here runs when a batch is written, except
// `capBody`, which the hot path calls on a body longer than MAX_BODY_BYTES characters so that the
// queue never holds more than that per body.

/** Most bytes (UTF-8) of one body kept. */
export const MAX_BODY_BYTES = 8 * 1024;
/** A body that names a secret-looking key is parsed (and its values redacted) up to this size; above it, redacted textually. */
const MAX_PARSED = MAX_BODY_BYTES;
export const REDACTED = '[redacted]';

/** A body as the queue holds it: the text, and its full size in bytes when it was cut already. */
export interface CappedBody {
  text: string;
  /** The original length in UTF-8 bytes, when `text` is a cut. */
  cutFrom?: number;
}

/**
 * Cuts `text` to at most `max` UTF-8 bytes on a character boundary; returns a fresh string (not a
 * slice that keeps the original alive) and the original size.
 */
export function cutUtf8(text: string, max = MAX_BODY_BYTES): { text: string; bytes: number } | null {
  // A string of at most max/3 UTF-16 units is at most max bytes: no need to count.
  if (text.length * 3 <= max) return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= max) return null;
  // At most `max` characters can fit; encode only those.
  const buf = Buffer.from(text.length > max ? text.slice(0, max) : text, 'utf8');
  let end = Math.min(max, buf.length);
  // Back off continuation bytes (10xxxxxx), then drop a lead byte whose sequence would not fit.
  if (end < buf.length) {
    while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  }
  return { text: buf.toString('utf8', 0, end), bytes };
}

/** The hot path's bound: a body longer than MAX_BODY_BYTES characters is cut at once. */
export function capBody(text: string): string | CappedBody {
  if (text.length <= MAX_BODY_BYTES) return text;
  const cut = cutUtf8(text)!;
  return { text: cut.text, cutFrom: cut.bytes };
}

/** Key names whose values are never kept: `client_secret`, `password`, `secret`, `access_token`, `id_token`, `refresh_token`, and any `…secret` or `…password`. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_ ]/g, '');
  return k.endsWith('secret') || k.endsWith('password') || k === 'accesstoken' || k === 'idtoken' || k === 'refreshtoken';
}

/** Does the text name a key worth a closer look? Cheap, and a superset of isSecretKey's keys. */
const SUSPICIOUS = /secret|password|access[-_]?token|id[-_]?token|refresh[-_]?token/i;

export type BodyShape = 'json' | 'form' | 'other';

function shapeOf(text: string): BodyShape {
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') return 'json';
  if (/^[^\s=&{}"]+=/.test(text) && !/\s/.test(text)) return 'form';
  return 'other';
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redactValue(v);
  return out;
}

/** `"key": "value"` / `"key": 123` / `"key": true` with a secret key, also a string cut off at the end. */
const JSON_PAIR = /"((?:[^"\\]|\\.){0,200})"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|-?[0-9][0-9.eE+-]*|true|false)/g;

function redactJsonText(text: string): string {
  return text.replace(JSON_PAIR, (all, key: string, colon: string) => (isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : all));
}

/** A form body: each `key=value` whose key (or its last `[part]`) is secret gets `[redacted]`. */
function redactForm(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      let key: string;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        key = rawKey;
      }
      const last = /\[([^\]]*)\]$/.exec(key)?.[1] ?? key;
      return isSecretKey(last) || isSecretKey(key) ? `${rawKey}=${encodeURIComponent(REDACTED)}` : pair;
    })
    .join('&');
}

/**
 * A body without secrets: returned as given unless it names a secret-looking key. A JSON body up to
 * MAX_PARSED is parsed and every secret key's value replaced; a longer or broken one is redacted in
 * its text (string, number and boolean values); a form body key by key; anything else textually too.
 */
export function redactBody(text: string): string {
  if (!SUSPICIOUS.test(text)) return text;
  const shape = shapeOf(text);
  if (shape === 'form') return redactForm(text);
  if (shape === 'json' && text.length <= MAX_PARSED) {
    try {
      return JSON.stringify(redactValue(JSON.parse(text)));
    } catch {
      // a cut or broken JSON text: below
    }
  }
  return redactJsonText(text);
}

/** A successful `/accesstoken/get` answer: only `token_type` and `expires_in` are kept. */
export function tokenAnswer(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (parsed === null || typeof parsed !== 'object') return null;
    const kept: Record<string, unknown> = {};
    if ('token_type' in parsed) kept.token_type = parsed.token_type;
    if ('expires_in' in parsed) kept.expires_in = parsed.expires_in;
    return JSON.stringify(kept);
  } catch {
    return null;
  }
}

/**
 * A body as stored: redacted, at most MAX_BODY_BYTES, and a note when cut. `what` names it in the
 * note ("The request body").
 */
export function storedBody(body: string | CappedBody | null, what: string, note: (text: string) => void): string | null {
  if (body === null) return null;
  const given = typeof body === 'string' ? body : body.text;
  if (given === '') return null;
  let text = redactBody(given);
  let bytes = typeof body === 'string' ? undefined : body.cutFrom;
  const cut = cutUtf8(text);
  if (cut) {
    text = cut.text;
    bytes ??= cut.bytes;
  }
  if (bytes !== undefined) note(`${what} is ${bytes} bytes long; the first ${Buffer.byteLength(text, 'utf8')} are kept.`);
  return text;
}
