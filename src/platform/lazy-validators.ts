// Request validators compiled on first use, from one pool for the process. Fastify compiles every
// route's schemas when an app starts, with a new Ajv for each app: that was most of startServer()'s
// time (issue 18's aim: ready in under 100 ms), paid again by every server a test suite starts.
// Here a route's validator is compiled by the first request that needs it, and the apps of one
// process share their Ajv (one per set of shared schemas and options, as @fastify/ajv-compiler
// pools them), so a schema object is compiled once per process.
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;
interface Validate {
  (data: unknown): boolean;
  errors?: unknown;
}
/** What fastify passes to a validator compiler: the schema, and where it applies. */
type RouteSchema = { schema: unknown; method: string; url: string; httpPart?: string };

const pool = AjvCompiler() as unknown as (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => Validate;

const lazy = (externalSchemas: unknown, options: unknown) => {
  const compile = pool(externalSchemas, options);
  return (route: RouteSchema): Validate => {
    let compiled: Validate | undefined;
    const validate: Validate = (data) => {
      compiled ??= compile(route);
      const ok = compiled(data);
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null;
    return validate;
  };
};

export const lazyValidators = lazy as unknown as ValidatorFactory;
