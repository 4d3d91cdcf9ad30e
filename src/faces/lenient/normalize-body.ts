// Reads a parsed JSON body the way the platform's model binding does, guided by the route's own
// (TypeBox / JSON) schema, before the unchanged strict validation runs:
// - a property the schema does not define (where it says `additionalProperties: false`) is dropped;
// - `null` for an optional property that is not nullable is dropped (absent);
// - a JSON number where the schema wants a string becomes the digits as written (JsonNumber keeps
//   them when JSON.parse would not);
// - any other JsonNumber becomes a plain number, so validation sees what it sees today.
// Each change is recorded as a leniency. What is still wrong afterwards (a string where a number
// belongs, a bad pattern, a missing required field) is left for validation to refuse as before.
import { JsonNumber, plainNumbers } from './lossless-json.ts';
import { addLeniency, type Leniency } from './leniency.ts';

interface SchemaNode {
  /** The JSON types the schema allows; null when it says nothing (anything goes). */
  types: ReadonlySet<string> | null;
  nullable: boolean;
  /** Wants a string and not a number: a number here is read as its digits. */
  wantsString: boolean;
  properties: Map<string, { node: SchemaNode; optional: boolean }> | null;
  patterns: Array<{ re: RegExp; node: SchemaNode }> | null;
  /** false: unknown properties are dropped; a node: they follow it; true: left as they are. */
  additional: false | SchemaNode | true;
  items: SchemaNode | null;
}

type JsonSchema = Record<string, unknown>;

const ANY: SchemaNode = { types: null, nullable: true, wantsString: false, properties: null, patterns: null, additional: true, items: null };

const compiled = new WeakMap<object, SchemaNode>();

/** The normalizer of one schema (compiled once per schema object). */
export function compileSchema(schema: object): SchemaNode {
  let node = compiled.get(schema);
  if (!node) {
    node = compile(schema as JsonSchema, new Map());
    compiled.set(schema, node);
  }
  return node;
}

function compile(schema: JsonSchema, seen: Map<JsonSchema, SchemaNode>): SchemaNode {
  if (schema === null || typeof schema !== 'object') return ANY;
  const known = seen.get(schema);
  if (known) return known;
  const node: SchemaNode = { types: null, nullable: false, wantsString: false, properties: null, patterns: null, additional: true, items: null };
  seen.set(schema, node);

  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    // A union: the types of all branches; the object or array parts of its only object or array branch.
    const parts = branches.map((b) => compile(b, seen));
    node.types = parts.some((p) => p.types === null) ? null : new Set(parts.flatMap((p) => [...p.types!]));
    node.nullable = parts.some((p) => p.nullable);
    const objects = parts.filter((p) => p.properties || p.patterns || p.additional !== true);
    if (objects.length === 1) Object.assign(node, { properties: objects[0]!.properties, patterns: objects[0]!.patterns, additional: objects[0]!.additional });
    const arrays = parts.filter((p) => p.items);
    if (arrays.length === 1) node.items = arrays[0]!.items;
  } else {
    const type = schema.type;
    if (typeof type === 'string') node.types = new Set([type]);
    else if (Array.isArray(type)) node.types = new Set(type as string[]);
    node.nullable = schema.nullable === true || (node.types?.has('null') ?? false);

    const properties = schema.properties as Record<string, JsonSchema> | undefined;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    if (properties) {
      node.properties = new Map(Object.entries(properties).map(([k, s]) => [k, { node: compile(s, seen), optional: !required.has(k) }]));
    }
    const patterns = schema.patternProperties as Record<string, JsonSchema> | undefined;
    if (patterns) node.patterns = Object.entries(patterns).map(([re, s]) => ({ re: new RegExp(re, 'u'), node: compile(s, seen) }));
    const additional = schema.additionalProperties;
    node.additional = additional === false ? false : additional && typeof additional === 'object' ? compile(additional as JsonSchema, seen) : true;
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) node.items = compile(schema.items as JsonSchema, seen);
  }
  node.wantsString = node.types !== null && node.types.has('string') && !node.types.has('number') && !node.types.has('integer');
  return node;
}

export interface NormalizeContext {
  out: Leniency[];
  /** The body came from the lossless parser: JsonNumbers may be anywhere. */
  lossless: boolean;
  /**
   * The body came from JSON.parse and its text can be parsed again losslessly: a number met where a
   * string belongs throws NEEDS_SOURCE_TEXT instead of being read through String(), which may not
   * give the digits written (`2486791679658155992`, `1.50`).
   */
  reparsable: boolean;
}

/** Thrown (by normalizeBody, with `reparsable`) when a number's source text is needed. */
export const NEEDS_SOURCE_TEXT = Symbol('needs the source text of a number');

/** Normalizes `body` in place (returns it, or its replacement when the body itself is a number). */
export function normalizeBody(body: unknown, node: SchemaNode, ctx: NormalizeContext): unknown {
  return normalize(body, node, '', ctx);
}

function numberAsString(value: number | JsonNumber, path: string, ctx: NormalizeContext): string {
  if (typeof value === 'number' && !ctx.lossless && ctx.reparsable) throw NEEDS_SOURCE_TEXT;
  const text = typeof value === 'number' ? String(value) : value.text;
  addLeniency(ctx.out, { kind: 'number-as-string', field: path || 'body', detail: `The number ${text} was read as the string "${text}".` });
  return text;
}

function normalize(value: unknown, node: SchemaNode, path: string, ctx: NormalizeContext): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && node.wantsString) return numberAsString(value, path, ctx);
    return value;
  }
  if (value instanceof JsonNumber) return node.wantsString ? numberAsString(value, path, ctx) : Number(value.text);
  if (Array.isArray(value)) {
    const items = node.items;
    if (items) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
        const next = normalize(item, items, `${path}[${i}]`, ctx);
        if (next !== item) value[i] = next;
      }
    } else if (ctx.lossless) plainNumbers(value);
    return value;
  }
  const { properties, patterns, additional } = node;
  if (!properties && !patterns && additional === true) {
    if (ctx.lossless) plainNumbers(value);
    return value;
  }
  const obj = value as Record<string, unknown>;
  // JSON objects have no inherited enumerable properties; deleting the current key is allowed.
  for (const key in obj) {
    const v = obj[key];
    const known = properties?.get(key);
    let child = known?.node;
    if (!child && patterns) child = patterns.find((p) => p.re.test(key))?.node;
    if (!child) {
      if (additional === false) {
        delete obj[key];
        addLeniency(ctx.out, { kind: 'unknown-property', field: path ? `${path}.${key}` : key, detail: 'Not part of the API; ignored.' });
        continue;
      }
      if (additional === true) {
        if (ctx.lossless) obj[key] = plainNumbers(v);
        continue;
      }
      child = additional;
    }
    // The common case, a string or a boolean, needs nothing (and no path).
    if (typeof v === 'string' || typeof v === 'boolean') continue;
    if (v === null) {
      if (known?.optional && !child.nullable) {
        delete obj[key];
        addLeniency(ctx.out, { kind: 'null-as-absent', field: path ? `${path}.${key}` : key, detail: 'null for an optional field that is not nullable; treated as absent.' });
      }
      continue;
    }
    if (typeof v === 'number' && !child.wantsString) continue;
    const next = normalize(v, child, path ? `${path}.${key}` : key, ctx);
    if (next !== v) obj[key] = next;
  }
  return obj;
}
