// Compiling the routes' schemas (request validators, response serializers) is most of a node's
// start: about two seconds of three. A process that starts several nodes (the test suite starts
// hundreds) compiles each distinct schema once: compiled functions are kept for the life of the
// process, keyed by the schema's JSON and by the shared schemas it may refer to. Compiled code is
// pure, so sharing it between nodes of one process changes nothing they do.
import { createHash } from 'node:crypto';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value) ?? '').digest('base64url');

/** Memoizes `make` by key for the life of the process. */
export function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = make();
    cache.set(key, hit);
  }
  return hit;
}

/** A key for a set of shared schemas (computed once per node). */
export const sharedKey = (shared: unknown) => digest(shared);

/** A key for one schema under a shared set. */
export const schemaKey = (shared: string, schema: unknown) => `${shared}|${digest(schema)}`;

type Serializer = (doc: unknown) => string;
type SerializerFactory = ReturnType<typeof SerializerSelector>;
const serializers = new Map<string, Serializer>();

/** Fastify's serializer factory (fast-json-stringify), with compiled serializers kept per process. */
export const cachedSerializers: SerializerFactory = (externalSchemas, serializerOpts) => {
  const compile = SerializerSelector()(externalSchemas, serializerOpts);
  const shared = sharedKey([externalSchemas, serializerOpts ?? null]);
  return (route) => memo(serializers, schemaKey(shared, route.schema), () => compile(route) as Serializer);
};
