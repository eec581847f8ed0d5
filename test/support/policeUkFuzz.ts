/**
 * The police.uk importers' fuzzing, shared by the quick sample in `npm test` (test/import/policeUkFuzz.test.ts)
 * and the heavy run in `npm run bench -- --only fuzz-police` (bench/fuzzPolice.ts): malformed inputs made from
 * valid ones with a fixed seed, and the oracles that judge what the importer did with them.
 */
import type { CrimeStore } from '../../src/import/policeUk/store.ts';

/** Row counts of every table in the store: a refused import must leave them as they were. */
export async function storeCounts(store: CrimeStore): Promise<Record<string, number>> {
  const [row] = await store.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM street_records) AS records, (SELECT count(*) FROM street_files) AS files,
            (SELECT count(*) FROM lsoas) AS lsoas, (SELECT count(*) FROM lsoa_forces) AS lsoa_forces`,
  );
  return { ...row };
}

/**
 * The data rows of a street-level file, counted without the code under test: the lines after the header
 * (split on line feeds), not counting blank ones (empty, or only a carriage return).
 */
export function dataLines(content: Buffer | string): number {
  const lines = (Buffer.isBuffer(content) ? content.toString('latin1') : content).split('\n').slice(1);
  return lines.filter((l) => l !== '' && l !== '\r').length;
}
