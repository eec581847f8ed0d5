/**
 * Fastify's own schema compilers (Ajv for what comes in, fast-json-stringify for what goes out), shared by every
 * app built in this process, and each route schema compiled once per process rather than once per app. Compiling
 * the route schemas is two thirds of building the app (about 0.6 s of CPU); a server builds one app, but the
 * tests build one or more per file. The functions are the ones Fastify would make itself: the same compiler
 * packages (found from Fastify's own folder, so the versions are Fastify's), the same options, and a schema with
 * the same JSON gets the same function. Fastify counts compilers given this way as custom ones and then leaves a
 * `headers` schema as written instead of lower-casing its property names: write any headers schema in lower case.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** What both compiler packages make: given the shared schemas and options, a function that compiles one route schema. */
type Compile = (route: { schema: unknown }) => unknown;
type Factory = (externalSchemas: unknown, options: unknown) => Compile;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const { AjvCompiler } = fromFastify('@fastify/ajv-compiler') as { AjvCompiler: () => Factory };
const { SerializerSelector } = fromFastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => Factory };

/** Shares one factory's compiled functions: a schema compiled before (same JSON, shared schemas and options) is not compiled again. */
function remembering(factory: Factory): Factory {
  const compiled = new Map<string, unknown>();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    const context = JSON.stringify([externalSchemas, options]);
    return (route) => {
      const key = `${context}\n${JSON.stringify(route.schema)}`;
      if (!compiled.has(key)) compiled.set(key, compile(route));
      return compiled.get(key);
    };
  };
}

export const sharedSchemaCompilers = {
  buildValidator: remembering(AjvCompiler()),
  buildSerializer: remembering(SerializerSelector()),
} as unknown as Factories;
