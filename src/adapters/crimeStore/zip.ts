/**
 * Reads the street-level files out of a police.uk zip archive with Node's own zlib (no dependency): the
 * central directory is parsed (Zip64 included, as the monthly archives pass 4 GB), and each
 * `*-street.csv` entry is inflated as a stream into a temporary folder for DuckDB's CSV reader.
 *
 * An archive is untrusted input. Its declared sizes are not believed: the bytes are counted as they are
 * inflated, and extraction stops as soon as one entry, all entries together or one entry's expansion ratio
 * passes its limit (a "zip bomb"), or the archive holds too many entries. Each entry's CRC-32 and size are
 * checked after inflating. Whatever goes wrong, the temporary folder is removed and the error is a
 * ValidationError in plain words that names the archive (never a server folder) and the entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ValidationError } from '../../domain/errors.ts';
import { parseStreetFileName } from '../../domain/policeUkLayout.ts';

export interface ZipLimits {
  /** Most entries (of any kind) the archive may hold. */
  maxEntries: number;
  /** Most bytes one street-level file may unpack to. */
  maxEntryBytes: number;
  /** Most bytes all the street-level files together may unpack to. */
  maxTotalBytes: number;
  /** Most times larger than its packed size an entry may grow, checked once it has passed ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/**
 * A police.uk archive of 36 months of every force holds about 5,000 entries (street, outcomes, stop and search)
 * and about 4 GB of street-level files; the largest street file (a month of the Metropolitan Police) is about
 * 25 MB, and CSV text deflates about 4 to 10 times.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxEntryBytes: 512 * 1024 ** 2,
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 1024 ** 2,
};

/** Most bytes of central directory read into memory (20,000 entries with long names take about 2 MB). */
const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 ** 2;

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** "512 MB", "98 KB": sizes for people (1024-based, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Math.floor(value * 10) / 10} ${units[unit]}`;
}

/** An entry's name as shown to people: printable and not too long. */
function shown(name: string): string {
  const clean = name.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

function refused(file: string, why: string): ValidationError {
  return new ValidationError([{ field: 'files', message: `${path.basename(file)} was not imported: ${why}` }]);
}

const DOWNLOAD_AGAIN = 'Download it again from police.uk and import it again.';

function notZip(file: string, why: string): ValidationError {
  return refused(file, `it is not a readable zip archive (${why}). ${DOWNLOAD_AGAIN}`);
}

function damaged(file: string, why: string): ValidationError {
  return refused(file, `the archive is damaged (${why}). ${DOWNLOAD_AGAIN}`);
}

/** Reads up to `length` bytes at `position`, never past the end of the file and never allocating more than it holds. */
function readAt(fd: number, size: number, position: number, length: number): Buffer {
  if (!Number.isSafeInteger(position) || position < 0 || position >= size || length <= 0) return Buffer.alloc(0);
  const buffer = Buffer.alloc(Math.min(length, size - position));
  const n = fs.readSync(fd, buffer, 0, buffer.length, position);
  return buffer.subarray(0, n);
}

/** The entries of a zip archive, from its central directory. */
export function readZipEntries(file: string, limits: Pick<ZipLimits, 'maxEntries'> = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    return parseCentralDirectory(file, fd, limits.maxEntries);
  } catch (error) {
    // A damaged archive can point any field anywhere: a read past a buffer's end means it is damaged.
    if (error instanceof RangeError) throw notZip(file, 'its directory of files is damaged');
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function parseCentralDirectory(file: string, fd: number, maxEntries: number): ZipEntry[] {
  const size = fs.fstatSync(fd).size;
  const tailLength = Math.min(size, 65_557);
  const tail = readAt(fd, size, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw notZip(file, 'no end of central directory');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw notZip(file, 'Zip64 locator missing');
    const z64 = readAt(fd, size, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== 0x06064b50) throw notZip(file, 'Zip64 record missing');
    count = Number(z64.readBigUInt64LE(32));
    cdSize = Number(z64.readBigUInt64LE(40));
    cdOffset = Number(z64.readBigUInt64LE(48));
  }
  if (count > maxEntries)
    throw refused(
      file,
      `it holds ${count.toLocaleString('en-GB')} files, more than the ${maxEntries.toLocaleString('en-GB')} an archive may hold. Import it in parts.`,
    );
  if (cdOffset + cdSize > size) throw damaged(file, 'its directory of files runs past the end of the file: it may be cut short');
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) throw notZip(file, 'its directory of files is too large');
  const cd = readAt(fd, size, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw notZip(file, 'its directory of files is damaged');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw notZip(file, 'its directory of files is damaged');
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    // Zip64 extended information: the 64-bit values, in order, for each 32-bit field that overflowed.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const length = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + length;
    }
    entries.push({ name, method, flags, crc, compressedSize, uncompressedSize, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

export interface ExtractedFiles {
  files: string[];
  skipped: string[];
  /** Removes the temporary folder (asynchronously: it may hold thousands of files). */
  cleanup: () => Promise<void>;
}

export interface ExtractOptions {
  /** Where the temporary folder is made; default the system's temporary folder. */
  tempDir?: string;
  /** Limits on what the archive may unpack to; any not given take {@link DEFAULT_ZIP_LIMITS}. */
  limits?: Partial<ZipLimits>;
}

/** The temporary folders that extraction makes start with this (so leftovers can be recognised). */
export const EXTRACT_PREFIX = 'csphub-police-zip-';

/** Counts an entry's bytes as they are inflated and stops at the first limit passed; computes the CRC-32 on the way. */
class Meter extends Transform {
  bytes = 0;
  crc = 0;
  constructor(private readonly check: (bytes: number) => Error | null) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const problem = this.check(this.bytes);
    if (problem) return callback(problem);
    this.crc = zlib.crc32(chunk, this.crc);
    callback(null, chunk);
  }
}

/** Counts the packed bytes read so far, for the expansion ratio. */
class Counter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/** Inflates the street-level entries of a zip archive into a new temporary folder, within the limits. */
export async function extractStreetFilesFromZip(file: string, options: ExtractOptions = {}): Promise<ExtractedFiles> {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const entries = readZipEntries(file, limits);
  const dir = fs.mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), EXTRACT_PREFIX));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const files: string[] = [];
  const seen = new Set<string>();
  const skipped: string[] = [];
  let total = 0;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      for (const entry of entries) {
        if (entry.name.endsWith('/')) continue;
        const base = path.posix.basename(entry.name.replace(/\\/g, '/'));
        if (!parseStreetFileName(base)) {
          skipped.push(entry.name);
          continue;
        }
        const name = shown(entry.name);
        if (entry.flags & 0x1) throw refused(file, `${name} is encrypted. Import the files as police.uk publishes them.`);
        if (entry.method !== 0 && entry.method !== 8)
          throw refused(
            file,
            `${name} is packed in a way CSP Hub cannot read (method ${entry.method}). Unpack the archive and import the CSV files, or download it again from police.uk.`,
          );
        const local = readAt(fd, size, entry.localHeaderOffset, 30);
        if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw damaged(file, `${name} cannot be found in it`);
        const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        if (start + entry.compressedSize > size) throw damaged(file, `${name} runs past the end of the file: it may be cut short`);
        const target = path.join(dir, base);
        if (seen.has(target)) throw refused(file, `${base} appears twice in it. Import one copy.`);
        const totalBefore = total;
        const packed = new Counter();
        const meter = new Meter((bytes) => {
          if (bytes > limits.maxEntryBytes)
            return refused(
              file,
              `${name} unpacks to more than ${formatBytes(limits.maxEntryBytes)}, the most one file may be. Check that it is a police.uk street-level file.`,
            );
          if (totalBefore + bytes > limits.maxTotalBytes)
            return refused(
              file,
              `its street-level files unpack to more than ${formatBytes(limits.maxTotalBytes)} in all, the most one import may be. Import it in parts (for example a year at a time).`,
            );
          if (bytes > limits.ratioFloorBytes && bytes > limits.maxRatio * Math.max(packed.bytes, 1))
            return refused(
              file,
              `${name} expands to more than ${limits.maxRatio} times its packed size, which police.uk files never do (they expand about 4 to 10 times): it may be a "zip bomb". ${DOWNLOAD_AGAIN}`,
            );
          return null;
        });
        if (entry.compressedSize === 0) {
          fs.writeFileSync(target, '');
        } else {
          const input = fs.createReadStream(file, { start, end: start + entry.compressedSize - 1 });
          try {
            if (entry.method === 0) await pipeline(input, packed, meter, fs.createWriteStream(target));
            else await pipeline(input, packed, zlib.createInflateRaw(), meter, fs.createWriteStream(target));
          } catch (error) {
            if (error instanceof ValidationError) throw error;
            // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR for "unexpected end of file"): the packed bytes are wrong.
            if (String((error as { code?: unknown }).code).startsWith('Z_')) throw damaged(file, `${name} could not be unpacked`);
            throw error;
          }
        }
        if (meter.bytes !== entry.uncompressedSize)
          throw damaged(
            file,
            `${name} unpacked to ${meter.bytes.toLocaleString('en-GB')} bytes, not the ${entry.uncompressedSize.toLocaleString('en-GB')} it declares`,
          );
        if (meter.crc >>> 0 !== entry.crc >>> 0) throw damaged(file, `${name} does not match its checksum`);
        total += meter.bytes;
        files.push(target);
        seen.add(target);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { files, skipped, cleanup };
}
