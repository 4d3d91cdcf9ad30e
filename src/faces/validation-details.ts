// Turns schema-validation errors (Ajv, as Fastify reports them) into one entry per bad field, named
// the way the client wrote it, with reasons in the platform's wording.
import type { FieldProblem } from '../domain/reasons.ts';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Canonical spelling of the headers we validate (Fastify lower-cases them). */
const HEADER_NAMES: Record<string, string> = {
  'idempotency-key': 'Idempotency-Key',
  'merchant-serial-number': 'Merchant-Serial-Number',
  'ocp-apim-subscription-key': 'Ocp-Apim-Subscription-Key',
  'vipps-system-name': 'Vipps-System-Name',
  'vipps-system-version': 'Vipps-System-Version',
  'vipps-system-plugin-name': 'Vipps-System-Plugin-Name',
  'vipps-system-plugin-version': 'Vipps-System-Plugin-Version',
  'psp-id': 'Psp-Id',
};

export function fieldProblems(errors: SchemaError[], context: string | undefined): FieldProblem[] {
  const seen = new Map<string, FieldProblem>();
  for (const e of errors) {
    // `nullable` fields that fail produce a follow-up error with no extra information.
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const problem = describe(e, context);
    if (!seen.has(problem.name)) seen.set(problem.name, problem);
  }
  return [...seen.values()];
}

function describe(e: SchemaError, context: string | undefined): FieldProblem {
  let path = pointerToPath(e.instancePath);
  if (e.keyword === 'required') path = join(path, String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties') path = join(path, String(e.params.additionalProperty));
  const name = fieldName(path, context);
  const label = name;
  switch (e.keyword) {
    case 'required':
      return { name, reason: `The ${label} field is required.` };
    case 'additionalProperties':
      return { name, reason: `The field ${label} is not part of the API. Remove it or check its spelling.` };
    case 'type':
      return path === '' && context === 'body'
        ? { name: 'body', reason: 'A JSON object request body is required.' }
        : { name, reason: `The field ${label} must be of type ${String(e.params.type)}.` };
    case 'pattern':
      return { name, reason: `The field ${label} must match the regular expression '${String(e.params.pattern)}'.` };
    case 'minLength':
      return { name, reason: `The field ${label} must be a string with a minimum length of ${String(e.params.limit)}.` };
    case 'maxLength':
      return { name, reason: `The field ${label} must be a string with a maximum length of ${String(e.params.limit)}.` };
    case 'minimum':
      return { name, reason: `The field ${label} must be at least ${String(e.params.limit)}.` };
    case 'maximum':
      return { name, reason: `The field ${label} must be at most ${String(e.params.limit)}.` };
    case 'enum':
      return { name, reason: `The field ${label} must be one of: ${(e.params.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}.` };
    case 'minItems':
      return { name, reason: `The field ${label} must have at least ${String(e.params.limit)} item(s).` };
    case 'maxItems':
      return { name, reason: `The field ${label} must have at most ${String(e.params.limit)} item(s).` };
    case 'format':
      return { name, reason: `The field ${label} must be a valid ${String(e.params.format)}.` };
    default:
      return { name, reason: `The field ${label} is invalid: ${e.message ?? e.keyword}.` };
  }
}

/** `/receipt/orderLines/0/taxRate` → `receipt.orderLines[0].taxRate` */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : join(acc, seg)), '');
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function fieldName(path: string, context: string | undefined): string {
  if (context === 'headers') return HEADER_NAMES[path] ?? path;
  if (path === '') return context === 'params' ? 'reference' : 'body';
  return path;
}
