/**
 * @duckdb/node-api, loaded on first use. It is a large package with a native binding, and a process that never
 * opens a DuckDB store (an instance on the shared PostgreSQL store, or one that never reads crime data) should not
 * pay for loading it. `loadDuckDb` is awaited by whatever opens a DuckDB database; `listValue` is only called on
 * a DuckDB store's queries, so the package is loaded by then.
 */
type DuckDbModule = typeof import('@duckdb/node-api');

let loaded: DuckDbModule | undefined;

export async function loadDuckDb(): Promise<DuckDbModule> {
  loaded ??= await import('@duckdb/node-api');
  return loaded;
}

/** A DuckDB LIST parameter; only for a DuckDB store's queries (its opening loaded the package). */
export function listValue(...args: Parameters<DuckDbModule['listValue']>): ReturnType<DuckDbModule['listValue']> {
  if (!loaded) throw new Error('DuckDB parameters were made before any DuckDB database was opened');
  return loaded.listValue(...args);
}
