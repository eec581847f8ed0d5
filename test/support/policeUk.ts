/**
 * Helpers for the police.uk import and assessment tests: the fixture folders, an independent reader of
 * street-level files (a plain split on commas: the fixtures have no quoted fields) and a tiny zip writer
 * (Node's zlib) so that archives can be built in a test without a dependency.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'police-uk');
export const STREET_FIXTURES = path.join(FIXTURES, 'street');
export const MALFORMED_FIXTURE = path.join(FIXTURES, 'malformed', '2024-04', '2024-04-essex-street.csv');

export interface FixtureRow {
  file: string;
  line: number;
  crimeId: string;
  month: string;
  reportedBy: string;
  longitude: string;
  latitude: string;
  lsoaCode: string;
  lsoaName: string;
  crimeType: string;
  outcome: string;
}

export function csvFiles(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.csv'))
    .map((f) => path.join(folder, f))
    .sort();
}

/** Every data row of the street-level files in a folder, read without the code under test. */
export function readStreetRows(folder: string): FixtureRow[] {
  const rows: FixtureRow[] = [];
  for (const file of csvFiles(folder)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (i === 0 || text === '') return;
      const f = text.split(',');
      rows.push({
        file: path.basename(file),
        line: i + 1,
        crimeId: f[0] ?? '',
        month: f[1] ?? '',
        reportedBy: f[2] ?? '',
        longitude: f[4] ?? '',
        latitude: f[5] ?? '',
        lsoaCode: f[7] ?? '',
        lsoaName: f[8] ?? '',
        crimeType: f[9] ?? '',
        outcome: f[10] ?? '',
      });
    });
  }
  return rows;
}

export function tempDir(prefix = 'csphub-police-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * One entry of {@link writeZip}: its content, or a spec that lets a test build archives that lie: `compressed`
 * (raw deflate data written as is), `declaredSize` (the uncompressed size written in the headers) and `crc`.
 */
export type ZipEntrySpec = Buffer | string | { data?: Buffer | string; compressed?: Buffer; declaredSize?: number; crc?: number };

/** Writes a zip archive (deflated entries) of the given name -> content pairs. */
export function writeZip(target: string, entries: Record<string, ZipEntrySpec>): void {
  fs.writeFileSync(target, zipBytes(entries));
}

/** The bytes of a zip archive (deflated entries) of the given name -> content pairs. */
export function zipBytes(entries: Record<string, ZipEntrySpec>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, spec] of Object.entries(entries)) {
    const given = typeof spec === 'string' || Buffer.isBuffer(spec) ? { data: spec } : spec;
    const data = given.data === undefined ? null : Buffer.isBuffer(given.data) ? given.data : Buffer.from(given.data);
    const compressed = given.compressed ?? zlib.deflateRawSync(data ?? Buffer.alloc(0));
    const size = given.declaredSize ?? data?.length ?? 0;
    const nameBytes = Buffer.from(name);
    const crc = given.crc ?? (data ? zlib.crc32(data) : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
