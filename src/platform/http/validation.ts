// Request validation. Path parameters and query strings arrive as text and are converted to the
// types their schemas name; JSON bodies are checked as sent, so `"7"` is not a number and an unknown
// field is an error rather than something silently dropped.
import { Ajv, type AnySchema, type Options } from 'ajv';
import type { FastifyServerOptions } from 'fastify';
import addFormatsImport from 'ajv-formats';
import { memo, schemaKey, sharedKey } from './compile-cache.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function build(coerceTypes: Options['coerceTypes'], shared: AnySchema[]): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: true, strict: false });
  addFormats(ajv);
  for (const schema of shared) ajv.addSchema(schema);
  return ajv;
}

/**
 * Fastify's validator factory (`schemaController.compilersFactory.buildValidator`, so shared
 * schemas resolve): text parts (params, query, headers) are converted, bodies are not.
 */
function validatorFactory(externalSchemas: Record<string, AnySchema | AnySchema[]>) {
  const shared = Object.values(externalSchemas).flat();
  // Compiled once per process for each schema (see compile-cache.ts).
  const key = sharedKey(shared);
  const text = memo(compilers, `text|${key}`, () => build('array', shared));
  const body = memo(compilers, `body|${key}`, () => build(false, shared));
  return ({ schema, httpPart }: { schema?: unknown; httpPart: string }) =>
    memo(validators, `${httpPart === 'body' ? 'body' : 'text'}|${schemaKey(key, schema)}`, () => (httpPart === 'body' ? body : text).compile(schema as AnySchema));
}

const compilers = new Map<string, Ajv>();
const validators = new Map<string, ReturnType<Ajv['compile']>>();

type ValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

// Fastify's type says the compiler receives a bare schema; at run time it receives the route
// definition ({ schema, method, url, httpPart }), which is what we need to tell bodies apart.
export const buildValidator = validatorFactory as unknown as ValidatorFactory;
