// Generates test-support/stripe-schemas.json: JSON Schemas (draft-07) for the objects our Stripe-compatible
// API returns, derived from the TypeScript declarations of stripe-node (node_modules/stripe/cjs, v23) by
// ts-json-schema-generator (devDependency), then adjusted by the steps listed below. The output is checked in,
// so tests never run this; test-support/stripe-validator.ts reads it.
//
// Regenerate (after upgrading stripe or @stripe/stripe-js), then review the diff and rerun the validator tests:
//   node --import tsx scripts/generate-stripe-schemas.ts
// Check only (exit 1 when the checked-in file differs from what the installed packages give; a test runs it):
//   node --import tsx scripts/generate-stripe-schemas.ts --check
//
// Objects (kind → stripe-node type): payment_intent → PaymentIntent, payment_method → PaymentMethod,
// charge → Charge, refund → Refund, event → EventBase + the Event union (below), webhook_endpoint →
// WebhookEndpoint (and DeletedWebhookEndpoint), checkout.session → Checkout.Session, item → LineItem,
// price → Price, product → Product (and DeletedProduct), list → ApiList<T>, error → { error: StripeRawError }.
// 'payment_intent.publishable' is the PaymentIntent with only the fields @stripe/stripe-js declares for it.
//
// What the generator gives as is: every property the type declares, required unless marked `?`
// (nullable fields are `T | null`, so a missing `canceled_at` fails); closed objects
// (additionalProperties: false) except index-signature maps (`Metadata` → string values,
// `use_stripe_sdk`, `currency_options`, …); expandable `string | X` fields as id-or-object.
//
// Adjustments (each also recorded in the JSON under "x-corrections" / "x-fallbacks"):
//  1. Out-of-scope resources are stubs (FALLBACK). Our objects reference ~30 other top-level resources
//     (Customer, Account, Invoice, SetupIntent, BalanceTransaction, …), which pull in most of the API and
//     collide by name (resources/Cards.d.ts `Card` vs Issuing's `Card`). Any reference to a top-level
//     interface in stripe/cjs/resources that has an `object` property and is not one of ours becomes
//     `Stub.<Name>`: an open object that must carry its `id` (when declared) and its `object` literal (and
//     `deleted: true` for Deleted*). The stub list is computed and stored under "x-fallbacks".
//  2. `deleted?: void` (live Product/Price/WebhookEndpoint): the generator would emit `deleted: null`;
//     void cannot travel in JSON, so the property must be absent (Deleted* types carry `deleted: true`).
//  3. Open enums. stripe-node 23 widens nearly every enum with `OtherString` (`string & Record<never,
//     never>`), meaning "more values may come". Such a union is any string; the listed values are kept
//     under "x-stripe-known-values" (the validator's `knownEnumValuesOnly` option enforces them).
//     Unions without OtherString (e.g. Event.type, RawErrorType, every `object` literal) stay closed.
//  4. Lifecycle statuses closed (CORRECTION). v23 also widens PaymentIntent.status, Charge.status,
//     Checkout.Session status and payment_status with OtherString, so the type alone would accept a
//     misspelt status. These state machines are documented as exhaustive, and our server must only emit the
//     listed values, so they are closed to the values stripe-node lists.
//  5. Stripe.Decimal (`unit_amount_decimal`, `fx_rate`, …): a branded class in the types; on the wire a
//     decimal string that stripe-node 23 turns into a Decimal and throws on otherwise. Schema: a string
//     matching the SDK's own grammar (Decimal.from in stripe/cjs/Decimal.js).
//  6. Vipps (CORRECTIONS; Vipps is a private-preview payment method, stripe-node 23 knows it only in
//     PaymentIntent.AllowedPaymentMethodType): PaymentMethod.type gains 'vipps' among the known values and
//     PaymentMethod gains `vipps?: {}` (the private-preview SDK declares `vipps?: {}`); Charge
//     payment_method_details gains `vipps?` shaped like `mobilepay` (`{card: {brand, country, exp_month,
//     exp_year, last4} | null}`), the sibling wallet of the same group. PaymentIntent.payment_method_types
//     is `string[]` already. Nothing is added to payment_method_options (no declared shape to copy).
//  7. Event (FALLBACK + derivation). `Event` is a union of ~250 per-type interfaces over all resources.
//     The schema is EventBase whose `data.object` must be one of our objects (validated by its own schema,
//     dispatched on its `object`), and whose `type` must be one that the union pairs with that object
//     (e.g. 'payment_intent.succeeded' ↔ PaymentIntent), computed from the union's declarations.
//     `previous_attributes` (declared Partial<T>) may only name properties of T; its values are not checked.
//  8. List envelope: ApiList<T>; `data` items are dispatched on their `object` like Event data.object.
//  9. Error body (from stripe-node's StripeRawError, not written by hand): `{ error: StripeRawError }`
//     without the fields the SDK adds itself (headers, statusCode, requestId, detail, exception), and
//     with `type` required (Stripe always sends it; the SDK marks it optional because it also wraps
//     connection errors). `type` is RawErrorType, a closed union in v23.
// 10. anyOf over branches of different JSON types (e.g. `string | Charge | null`) is rewritten as a type
//     switch (if/then) so that an invalid expanded object reports only its own errors. Same meaning.
// 11. Definition names with generics are renamed (ApiList<Refund> → ApiList.Refund) for plain $refs.
import ts from 'typescript';
import tsj from 'ts-json-schema-generator';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, any>;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test-support', 'stripe-schemas.json');
const moduleDir = (name: string): string => realpathSync(join(ROOT, 'node_modules', name));
const STRIPE_DIR = moduleDir('stripe');
const STRIPE_CJS = join(STRIPE_DIR, 'cjs');
const RESOURCES = join(STRIPE_CJS, 'resources') + '/';
const STRIPE_JS_DIR = moduleDir('@stripe/stripe-js');
const versionOf = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
const GENERATOR_DIR = moduleDir('ts-json-schema-generator');

/** Our objects: kind → [file under stripe/cjs/resources/ without .d.ts, exported interface = definition name]. */
const OBJECTS = {
  payment_intent: ['PaymentIntents', 'PaymentIntent'],
  payment_method: ['PaymentMethods', 'PaymentMethod'],
  charge: ['Charges', 'Charge'],
  refund: ['Refunds', 'Refund'],
  event: ['Events', 'EventBase'],
  webhook_endpoint: ['WebhookEndpoints', 'WebhookEndpoint'],
  'webhook_endpoint.deleted': ['WebhookEndpoints', 'DeletedWebhookEndpoint'],
  'checkout.session': ['Checkout/Sessions', 'Session'],
  item: ['LineItems', 'LineItem'],
  price: ['Prices', 'Price'],
  product: ['Products', 'Product'],
  'product.deleted': ['Products', 'DeletedProduct'],
} as const;
type ObjectKind = keyof typeof OBJECTS;
const OURS = new Map(Object.entries(OBJECTS).map(([kind, [file, name]]) => [`${file}#${name}`, kind as ObjectKind]));

const corrections: string[] = [];
const fallbacks: string[] = [];

// ---------------------------------------------------------------------------------------------------
// 1. Generate. The entry file lives in a temporary folder and imports stripe's declarations by path.
// ---------------------------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'stripe-schemas-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const entry = join(work, 'entry.ts');
const imp = (file: string) => JSON.stringify(join(STRIPE_CJS, file + '.js'));
writeFileSync(
  entry,
  [
    ...Object.values(OBJECTS).map(([file, name]) => `import type { ${name} } from ${imp('resources/' + file)};`),
    `import type { ApiList } from ${imp('lib')};`,
    `import type { StripeRawError } from ${imp('Types')};`,
    // 9. The SDK-side fields are dropped here; the rest of StripeRawError is the wire body.
    `export type StripeErrorObject = Omit<StripeRawError, 'headers' | 'statusCode' | 'requestId' | 'detail' | 'exception'>;`,
    'export interface Roots {',
    ...Object.values(OBJECTS).map(([, name]) => `  ${name}: ${name};`),
    '  ApiList: ApiList<unknown>;',
    '  StripeErrorObject: StripeErrorObject;',
    '}',
  ].join('\n'),
);

const config = {
  ...tsj.DEFAULT_CONFIG,
  path: entry,
  type: 'Roots',
  expose: 'all',
  topRef: true,
  jsDoc: 'none',
  skipTypeCheck: true,
  additionalProperties: false,
  encodeRefs: false,
  functions: 'hide',
} as const;
const program = tsj.createProgram(config);
const checker = program.getTypeChecker();

function referencedDeclaration(node: ts.Node): ts.Declaration | undefined {
  if (!ts.isTypeReferenceNode(node)) return undefined;
  let symbol = checker.getSymbolAtLocation(node.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0];
}

function resourceKey(decl: ts.InterfaceDeclaration): string | undefined {
  const file = decl.getSourceFile().fileName;
  if (!file.startsWith(RESOURCES) || !ts.isSourceFile(decl.parent)) return undefined;
  return `${relative(RESOURCES, file).replace(/\.d\.ts$/, '')}#${decl.name.text}`;
}

const literalOf = (m: ts.TypeElement): string | boolean | undefined => {
  if (!ts.isPropertySignature(m) || !m.type || !ts.isLiteralTypeNode(m.type)) return undefined;
  const lit = m.type.literal;
  if (ts.isStringLiteral(lit)) return lit.text;
  if (lit.kind === ts.SyntaxKind.TrueKeyword) return true;
  return undefined;
};
const memberNamed = (decl: ts.InterfaceDeclaration, name: string) =>
  decl.members.find((m) => m.name !== undefined && ts.isIdentifier(m.name) && m.name.text === name);

const stubs = new Map<string, string>();

/** 1. A reference to a resource outside our set becomes an open stub that still checks id/object/deleted. */
class StubParser implements tsj.SubNodeParser {
  supportsNode(node: ts.Node): boolean {
    const decl = referencedDeclaration(node);
    if (!decl || !ts.isInterfaceDeclaration(decl)) return false;
    const key = resourceKey(decl);
    return key !== undefined && !OURS.has(key) && memberNamed(decl, 'object') !== undefined;
  }
  createType(node: ts.Node): tsj.BaseType {
    const decl = referencedDeclaration(node) as ts.InterfaceDeclaration;
    const key = resourceKey(decl)!;
    const [file, interfaceName] = key.split('#') as [string, string];
    const name = ['Stub', ...(dirname(file) === '.' ? [] : dirname(file).split('/')), interfaceName].join('.');
    const props: tsj.ObjectProperty[] = [];
    const id = memberNamed(decl, 'id');
    if (id && !id.questionToken) props.push(new tsj.ObjectProperty('id', new tsj.StringType(), true));
    const object = literalOf(memberNamed(decl, 'object')!);
    if (typeof object === 'string') props.push(new tsj.ObjectProperty('object', new tsj.LiteralType(object), true));
    const deleted = memberNamed(decl, 'deleted');
    if (deleted && literalOf(deleted) === true) props.push(new tsj.ObjectProperty('deleted', new tsj.LiteralType(true), true));
    stubs.set(name, key);
    return new tsj.DefinitionType(name, new tsj.ObjectType(name, [], props, true));
  }
}

/** 2. `deleted?: void`: never, so the generator drops the optional property (it must be absent). */
class VoidPropertyParser implements tsj.SubNodeParser {
  supportsNode(node: ts.Node): boolean {
    return node.kind === ts.SyntaxKind.VoidKeyword && ts.isPropertySignature(node.parent);
  }
  createType(): tsj.BaseType {
    return new tsj.NeverType();
  }
}

const parser = tsj.createParser(program, config, (chain) => {
  chain.addNodeParser(new StubParser()).addNodeParser(new VoidPropertyParser());
});
const generator = new tsj.SchemaGenerator(program, parser, tsj.createFormatter(config), config);
const generated = generator.createSchema('Roots') as Schema;
const defs: Record<string, Schema> = generated.definitions;
delete defs.Roots;

// 11. Plain names for generic instances.
const renames = new Map<string, string>();
for (const name of Object.keys(defs)) {
  if (/[<>]/.test(name)) renames.set(name, name.replace(/<unknown>$/, '').replace(/<(.*)>$/, '.$1').replace(/[<>]/g, '.'));
}
for (const [from, to] of renames) {
  defs[to] = defs[from]!;
  delete defs[from];
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const refName = (node: Schema): string | undefined => (typeof node.$ref === 'string' ? node.$ref.replace('#/definitions/', '') : undefined);

function walk(node: unknown, visit: (n: Schema) => Schema | void): unknown {
  if (Array.isArray(node)) return node.map((n) => walk(n, visit));
  if (node === null || typeof node !== 'object') return node;
  let out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = walk(v, visit);
  const replaced = visit(out);
  if (replaced) out = replaced;
  return out;
}
function rewriteAll(visit: (n: Schema) => Schema | void): void {
  for (const name of Object.keys(defs)) defs[name] = walk(defs[name], visit) as Schema;
}

rewriteAll((n) => {
  const name = refName(n);
  if (name && renames.has(name)) return ref(renames.get(name)!);
});

function need(name: string): Schema {
  const d = defs[name];
  if (!d) throw new Error(`stripe-node no longer declares ${name} as expected; review scripts/generate-stripe-schemas.ts`);
  return d;
}

// 5. Decimal: the generator sees the brand object; on the wire it is a decimal string.
const decimal = need('Decimal');
if (decimal.type !== 'object' || !Object.keys(decimal.properties ?? {}).some((k) => k.includes('brand'))) {
  throw new Error('Decimal is no longer the branded type; review step 5');
}
defs.Decimal = {
  type: 'string',
  pattern: '^[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?$',
  description: 'Stripe.Decimal on the wire: a decimal string (the grammar of Decimal.from in stripe-node 23).',
};
corrections.push('Decimal: a decimal string matching Decimal.from\'s grammar (stripe-node coerces these fields and throws otherwise); the types show a branded class.');

// 3. Open enums: anyOf [consts…, OtherString] → any string, listed values kept as "x-stripe-known-values".
need('OtherString');
rewriteAll((n) => {
  if (!Array.isArray(n.anyOf) || !n.anyOf.some((b: Schema) => refName(b) === 'OtherString')) return;
  const rest = n.anyOf.filter((b: Schema) => refName(b) !== 'OtherString');
  const known = rest.filter((b: Schema) => typeof b.const === 'string').map((b: Schema) => b.const as string);
  const others = rest.filter((b: Schema) => typeof b.const !== 'string');
  const open = { type: 'string', 'x-stripe-known-values': known };
  return others.length === 0 ? open : { anyOf: [open, ...others] };
});
delete defs.OtherString;

// 4. Lifecycle statuses closed to the values stripe-node lists.
const CLOSED = ['PaymentIntent.Status', 'Charge.Status', 'Session.Status', 'Session.PaymentStatus'];
for (const name of CLOSED) {
  const d = need(name);
  const known = d['x-stripe-known-values'];
  if (d.type !== 'string' || !Array.isArray(known)) throw new Error(`${name} is no longer an open enum; review step 4`);
  defs[name] = { type: 'string', enum: known };
}
corrections.push(`Closed to the listed values although stripe-node 23 adds OtherString: ${CLOSED.join(', ')} (Session = Checkout.Session).`);

// 6. Vipps.
const pmType = need('PaymentMethod.Type');
if ((pmType['x-stripe-known-values'] as string[]).includes('vipps')) throw new Error('PaymentMethod.Type lists vipps now; drop that correction');
pmType['x-stripe-known-values'].push('vipps');
const pm = need('PaymentMethod');
if (pm.properties.vipps) throw new Error('PaymentMethod declares vipps now; drop that correction');
defs['PaymentMethod.Vipps'] = { type: 'object', additionalProperties: false };
pm.properties = sortKeys({ ...pm.properties, vipps: ref('PaymentMethod.Vipps') });
corrections.push("PaymentMethod: 'vipps' added to the known values of type, and an optional `vipps: {}` hash (as in the private-preview SDK).");
const details = need('Charge.PaymentMethodDetails');
if (details.properties.vipps) throw new Error('Charge.PaymentMethodDetails declares vipps now; drop that correction');
const mobilepay = need('Charge.PaymentMethodDetails.Mobilepay');
if (refName(mobilepay.properties?.card?.anyOf?.[0] ?? {}) !== 'Charge.PaymentMethodDetails.Mobilepay.Card') throw new Error('Mobilepay details changed shape; review step 6');
defs['Charge.PaymentMethodDetails.Vipps.Card'] = structuredClone(need('Charge.PaymentMethodDetails.Mobilepay.Card'));
defs['Charge.PaymentMethodDetails.Vipps'] = walk(structuredClone(mobilepay), (n) => {
  if (refName(n) === 'Charge.PaymentMethodDetails.Mobilepay.Card') return ref('Charge.PaymentMethodDetails.Vipps.Card');
}) as Schema;
details.properties = sortKeys({ ...details.properties, vipps: ref('Charge.PaymentMethodDetails.Vipps') });
corrections.push('Charge.payment_method_details: optional `vipps` hash, a copy of the `mobilepay` one ({card: {brand, country, exp_month, exp_year, last4} | null}).');

corrections.push('Live Product, Price and WebhookEndpoint: `deleted?: void` means the property is absent (the generator would allow null).');

// 9. Error body.
// The alias is a chain of $refs to the generator's Omit<…>/Pick<…> definitions: take the object they name.
for (let r = refName(need('StripeErrorObject')); r; r = refName(need('StripeErrorObject'))) defs.StripeErrorObject = structuredClone(need(r));
const errorObject = need('StripeErrorObject');
if (!errorObject.properties?.type || errorObject.required?.includes('type')) throw new Error('StripeRawError.type changed; review step 9');
errorObject.required = [...(errorObject.required ?? []), 'type'].sort();
defs.StripeErrorBody = { type: 'object', properties: { error: ref('StripeErrorObject') }, required: ['error'], additionalProperties: false };
corrections.push("Error body { error: StripeRawError }: without the SDK's own fields (headers, statusCode, requestId, detail, exception); `type` required.");

// 7/8. Dispatch on `object` (Event data.object, list items).
const dispatch: Schema[] = [];
const objectValue = (name: string): string => need(name).properties.object.const;
for (const [kind, [, name]] of Object.entries(OBJECTS)) {
  if (kind === 'event') continue;
  const deleted = kind.endsWith('.deleted');
  const live = Object.entries(OBJECTS).some(([k]) => k === `${kind}.deleted`);
  const cond: Schema = { properties: { object: { const: objectValue(name) } } };
  if (deleted) Object.assign(cond, { properties: { ...cond.properties, deleted: { const: true } }, required: ['deleted'] });
  if (live) cond.not = { required: ['deleted'] };
  dispatch.push({ if: cond, then: ref(name) });
}
const objectKinds = [...new Set(Object.entries(OBJECTS).filter(([k]) => k !== 'event').map(([, [, n]]) => objectValue(n)))];
defs.StripeObject = {
  description: 'One of the objects this file describes, chosen by its `object` (and `deleted`).',
  type: 'object',
  properties: { object: { type: 'string', enum: objectKinds } },
  required: ['object'],
  allOf: dispatch,
};
const list = need('ApiList');
if (list.properties?.data?.items === undefined) throw new Error('ApiList changed; review step 8');
// List items may also be Events (GET /v1/events); an Event's data.object may not be one.
defs.StripeListItem = {
  description: 'An item of a list: one of the objects above, or an Event.',
  type: 'object',
  properties: { object: { type: 'string', enum: [...objectKinds, 'event'] } },
  required: ['object'],
  allOf: [...dispatch, { if: { properties: { object: { const: 'event' } } }, then: ref(OBJECTS.event[1]) }],
};
list.properties.data.items = ref('StripeListItem');

// 7. Event: which event types the union pairs with each of our objects.
const typeOfEvents = new Map<ObjectKind, string[]>();
const eventsFile = program.getSourceFile(join(RESOURCES, 'Events.d.ts'));
if (!eventsFile) throw new Error('Events.d.ts not in the program');
const eventAlias = eventsFile.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'Event');
if (!eventAlias || !ts.isUnionTypeNode(eventAlias.type)) throw new Error('Event is no longer a union; review step 7');
for (const member of eventAlias.type.types) {
  const decl = referencedDeclaration(member);
  if (!decl || !ts.isInterfaceDeclaration(decl)) throw new Error('unexpected Event member');
  const type = literalOf(memberNamed(decl, 'type')!);
  const dataType = checker.getTypeAtLocation(decl).getProperty('data');
  const objectSymbol = dataType && checker.getTypeOfSymbol(dataType).getProperty('object');
  if (typeof type !== 'string' || !objectSymbol) throw new Error(`cannot read ${decl.name.text}`);
  const objectType = checker.getTypeOfSymbol(objectSymbol);
  const kinds = (objectType.isUnion() ? objectType.types : [objectType]).map((t) => {
    const d = t.getSymbol()?.declarations?.[0];
    return d && ts.isInterfaceDeclaration(d) ? OURS.get(resourceKey(d) ?? '') : undefined;
  });
  if (new Set(kinds).size !== 1) throw new Error(`${decl.name.text}: data.object mixes our objects with others; review step 7`);
  const kind = kinds[0];
  if (kind) typeOfEvents.set(kind, [...(typeOfEvents.get(kind) ?? []), type]);
}
const eventBase = need('EventBase');
const eventData = need('Event.Data');
if (refName(eventData.properties?.object ?? {}) !== 'Event.Data.Object') throw new Error('Event.Data changed; review step 7');
defs['Event.Data'] = {
  type: 'object',
  properties: { object: ref('StripeObject'), previous_attributes: { type: 'object' } },
  required: ['object'],
  additionalProperties: false,
};
delete defs['Event.Data.Object'];
delete defs['Event.Data.PreviousAttributes'];
eventBase.allOf = [...typeOfEvents].map(([kind, types]) => {
  const name = OBJECTS[kind][1];
  const objectIs = { properties: { object: { const: objectValue(name) } }, required: ['object'] };
  return {
    if: { properties: { data: { properties: { object: objectIs }, required: ['object'] } }, required: ['data'] },
    then: {
      properties: {
        type: { enum: types },
        data: { properties: { previous_attributes: { propertyNames: { enum: Object.keys(need(name).properties) } } } },
      },
    },
  };
});
const eventTypes = Object.fromEntries([...typeOfEvents].map(([k, t]) => [k, t]));
fallbacks.push(
  'Event: EventBase plus the pairs (type, data.object) of the Event union whose data.object is one of our objects; ' +
    'data.object is validated by its own schema; previous_attributes (Partial<T>) may only name properties of T, values unchecked.',
);

// 'payment_intent.publishable': the fields @stripe/stripe-js declares, typed as stripe-node types them.
const stripeJsFile = join(STRIPE_JS_DIR, 'dist', 'api', 'payment-intents.d.ts');
const stripeJsSource = ts.createSourceFile(stripeJsFile, readFileSync(stripeJsFile, 'utf8'), ts.ScriptTarget.Latest, true);
const stripeJsPI = stripeJsSource.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'PaymentIntent');
if (!stripeJsPI) throw new Error('@stripe/stripe-js no longer declares PaymentIntent in dist/api/payment-intents.d.ts');
const publishable = stripeJsPI.members.filter(ts.isPropertySignature).map((m) => ({ name: (m.name as ts.Identifier).text, optional: m.questionToken !== undefined }));
const paymentIntent = need('PaymentIntent');
for (const { name } of publishable) {
  if (!paymentIntent.properties[name]) throw new Error(`stripe-js PaymentIntent field ${name} is unknown to stripe-node`);
}
defs['PaymentIntent.Publishable'] = {
  description: 'A PaymentIntent retrieved with a publishable key: the fields @stripe/stripe-js declares, with stripe-node\'s types.',
  type: 'object',
  properties: Object.fromEntries(publishable.map(({ name }) => [name, paymentIntent.properties[name]])),
  required: publishable.filter((p) => !p.optional).map((p) => p.name),
  additionalProperties: false,
};

// 10. anyOf over distinct JSON types → type switch.
const jsonTypes = (s: Schema, seen = new Set<string>()): string[] | undefined => {
  const name = refName(s);
  if (name) {
    if (seen.has(name)) return undefined;
    seen.add(name);
    return jsonTypes(need(name), seen);
  }
  if (typeof s.type === 'string') return [s.type === 'integer' ? 'number' : s.type];
  if (Array.isArray(s.type)) return s.type;
  if (typeof s.const === 'string') return ['string'];
  if (Array.isArray(s.anyOf)) {
    const all = s.anyOf.map((b: Schema) => jsonTypes(b, seen));
    return all.some((t: unknown) => t === undefined) ? undefined : [...new Set(all.flat() as string[])];
  }
  return undefined;
};
const isOnlyType = (s: Schema) => Object.keys(s).length === 1 && typeof s.type === 'string';
rewriteAll((n) => {
  if (!Array.isArray(n.anyOf) || Object.keys(n).length !== 1) return;
  const byType = new Map<string, Schema[]>();
  for (const branch of n.anyOf as Schema[]) {
    const types = jsonTypes(branch);
    if (!types || types.length !== 1) return;
    byType.set(types[0]!, [...(byType.get(types[0]!) ?? []), branch]);
  }
  if (byType.size < 2) return;
  const cases = [...byType].filter(([, branches]) => !(branches.length === 1 && isOnlyType(branches[0]!)));
  const out: Schema = { type: [...byType.keys()] };
  if (cases.length === 0) return out;
  out.allOf = cases.map(([type, branches]) => ({ if: { type }, then: branches.length === 1 ? branches[0] : { anyOf: branches } }));
  return out;
});

// Stubs and prune.
for (const [name, key] of [...stubs].sort()) fallbacks.push(`${name}: stub for ${key} (out of scope: open object with id/object checked)`);
const KINDS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(OBJECTS).map(([k, [, n]]) => [k, n])),
  'payment_intent.publishable': 'PaymentIntent.Publishable',
  list: 'ApiList',
  error: 'StripeErrorBody',
};
const reachable = new Set<string>();
const visitRefs = (name: string) => {
  if (reachable.has(name)) return;
  reachable.add(name);
  walk(need(name), (n) => {
    const r = refName(n);
    if (r) visitRefs(r);
  });
};
Object.values(KINDS).forEach(visitRefs);
for (const name of Object.keys(defs)) if (!reachable.has(name)) delete defs[name];

function sortKeys<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

const output = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $comment: 'GENERATED by scripts/generate-stripe-schemas.ts from stripe-node type declarations; do not edit by hand. Regenerate: node --import tsx scripts/generate-stripe-schemas.ts',
  'x-generated-from': {
    stripe: versionOf(STRIPE_DIR),
    '@stripe/stripe-js': versionOf(STRIPE_JS_DIR),
    'ts-json-schema-generator': versionOf(GENERATOR_DIR),
  },
  'x-kinds': KINDS,
  'x-event-types': eventTypes,
  'x-corrections': corrections,
  'x-fallbacks': fallbacks,
  definitions: sortKeys(defs),
};
const text = JSON.stringify(output, null, 1) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== text) {
    console.error(`${relative(ROOT, OUT)} is not what the installed stripe-node declares; regenerate: node --import tsx scripts/generate-stripe-schemas.ts`);
    process.exit(1);
  }
  console.log(`${relative(ROOT, OUT)} is up to date`);
} else {
  writeFileSync(OUT, text);
  console.log(`${relative(ROOT, OUT)}: ${Object.keys(defs).length} definitions, ${(text.length / 1024).toFixed(0)} KiB, ${stubs.size} stubs`);
}
