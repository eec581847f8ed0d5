import type { CreateTableBuilder } from 'kysely';
import type { Engine } from '../database.ts';

/** Adds an auto-incrementing integer primary key `id`, written the way each engine wants it. */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, engine: Engine): CreateTableBuilder<T, 'id'> {
  return engine === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** A column of bytes: bytea on PostgreSQL, blob on SQLite (both read back as a Buffer). */
export function binaryType(engine: Engine): 'bytea' | 'blob' {
  return engine === 'postgres' ? 'bytea' : 'blob';
}
