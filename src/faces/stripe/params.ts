// Reading Stripe's form parameters (STRIPE-NOTES §3.1): bracket notation decoded by `qs` into nested
// objects of strings, then read against the endpoint's declared parameters. An undeclared parameter
// is `parameter_unknown` naming it (`payment_method_data[foo]`), an empty value (`key=`, stripe-node's
// null) is "unset", integers and booleans arrive as text.
import qs from 'qs';
import { invalidRequest, parameterUnknown } from './stripe-error.ts';

export type ParamKind =
  | 'string'
  | 'integer'
  | 'boolean'
  /** Free keys, string values (metadata); an empty value deletes the key on update. */
  | 'map'
  /** Anything below (a part we accept without reading it, e.g. appearance hashes). */
  | 'any'
  /** A parameter Stripe has and vipps-local does not apply: a clear 400 rather than a silent no-op. */
  | 'unsupported'
  | { enum: readonly string[] }
  | { array: ParamKind }
  | { object: ParamSpec };

export type ParamSpec = Readonly<Record<string, ParamKind>>;

/** A decoded body or query: strings, nested objects and arrays. */
export type RawParams = Record<string, unknown>;

const PARSE_OPTIONS = { depth: 10, arrayLimit: 200, parameterLimit: 2000, allowDots: false, parseArrays: true } as const;

/** `a[0]=x&a[1]=y` and `a[]=x` are arrays; indexes must be 0, 1, 2… as on Stripe. */
export function decodeForm(text: string): RawParams {
  checkSequentialIndexes(text);
  return qs.parse(text, PARSE_OPTIONS) as RawParams;
}

function checkSequentialIndexes(text: string): void {
  const seen = new Map<string, Set<number>>();
  for (const pair of text.split('&')) {
    const key = safeDecode(pair.split('=')[0] ?? '');
    const re = /^(.*?)\[(\d+)\]/;
    const m = re.exec(key);
    if (!m) continue;
    const base = m[1]!;
    const set = seen.get(base) ?? new Set<number>();
    set.add(Number(m[2]));
    seen.set(base, set);
  }
  for (const [base, indexes] of seen) {
    const sorted = [...indexes].sort((a, b) => a - b);
    if (sorted.some((n, i) => n !== i)) {
      throw invalidRequest(
        `Invalid array: if passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array (e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. You passed the keys \`${sorted.join(', ')}\`, we expected to have a key with the value \`${sorted.findIndex((n, i) => n !== i)}\`.`,
        { param: base.replace(/^.*\[/, '').replace(/\]$/, '') || base },
      );
    }
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The query string of a URL, decoded like a body. */
export function decodeQuery(url: string): RawParams {
  const at = url.indexOf('?');
  return at < 0 ? {} : decodeForm(url.slice(at + 1));
}

/** What `readParams` gives back: declared names only, typed; unset ones absent. */
export type Params = Record<string, unknown>;

export function readParams(raw: RawParams, spec: ParamSpec, prefix = ''): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(raw)) {
    const kind = spec[name];
    const path = prefix ? `${prefix}[${name}]` : name;
    if (kind === undefined) throw parameterUnknown(path);
    const read = readValue(value, kind, path);
    if (read !== undefined) out[name] = read;
  }
  return out;
}

function readValue(value: unknown, kind: ParamKind, path: string): unknown {
  if (value === '' && kind !== 'map') return undefined;
  if (kind === 'any') return value;
  if (kind === 'unsupported') throw invalidRequest(`vipps-local does not support the parameter ${path} yet: leave it out.`, { param: path });
  if (kind === 'string') {
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${path} must be a string, not a hash or an array.`, { param: path, code: 'parameter_invalid_string' });
    return value;
  }
  if (kind === 'integer') {
    if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw invalidRequest(`Invalid integer: ${typeof value === 'string' ? value : path}`, { param: path, code: 'parameter_invalid_integer' });
    }
    return Number(value);
  }
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${String(value)}`, { param: path });
    return value === 'true';
  }
  if (kind === 'map') {
    if (value === '') return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest(`Invalid hash: ${path} must be a hash of keys and string values.`, { param: path });
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw invalidRequest(`Invalid value for ${path}[${k}]: metadata values must be strings.`, { param: `${path}[${k}]` });
    }
    return value;
  }
  if ('enum' in kind) {
    if (typeof value !== 'string' || !kind.enum.includes(value)) {
      throw invalidRequest(`Invalid ${path}: must be one of ${kind.enum.join(', ')}`, { param: path, code: 'parameter_invalid_empty' });
    }
    return value;
  }
  if ('array' in kind) {
    const items = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [value];
    return items.map((item, i) => readValue(item, kind.array, `${path}[${i}]`)).filter((v) => v !== undefined);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest(`Invalid object: ${path} must be a hash.`, { param: path });
  }
  return readParams(value as RawParams, kind.object, path);
}

export const EXPAND: ParamSpec = { expand: { array: 'string' } };
