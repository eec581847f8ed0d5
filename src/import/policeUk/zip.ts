/**
 * Reads the street-level files out of a police.uk zip archive with Node's own zlib (no dependency): the
 * central directory is parsed (Zip64 included, as the monthly archives pass 4 GB), and each
 * `*-street.csv` entry is inflated as a stream into a temporary folder for DuckDB's CSV reader.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { ValidationError } from '../../services/errors.ts';
import { parseStreetFileName } from './layout.ts';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const n = fs.readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

function notZip(file: string, why: string): ValidationError {
  return new ValidationError([{ field: 'files', message: `${path.basename(file)} is not a readable zip archive (${why})` }]);
}

/** The entries of a zip archive, from its central directory. */
export function readZipEntries(file: string): ZipEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 65_557);
    const tail = readAt(fd, size - tailLength, tailLength);
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
      const z64 = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (z64.readUInt32LE(0) !== 0x06064b50) throw notZip(file, 'Zip64 record missing');
      count = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw notZip(file, 'damaged central directory');
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      const uncompressed32 = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      let localHeaderOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      // Zip64 extended information: the 64-bit values, in order, for each 32-bit field that overflowed.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const length = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (uncompressed32 === 0xffffffff) q += 8;
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
        }
        e += 4 + length;
      }
      entries.push({ name, method, compressedSize, localHeaderOffset });
      p = extraEnd + commentLength;
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

export interface ExtractedFiles {
  files: string[];
  skipped: string[];
  cleanup: () => void;
}

/** Inflates the street-level entries of a zip archive into a new temporary folder. */
export async function extractStreetFilesFromZip(file: string): Promise<ExtractedFiles> {
  const entries = readZipEntries(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-police-zip-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  const files: string[] = [];
  const skipped: string[] = [];
  try {
    const fd = fs.openSync(file, 'r');
    try {
      for (const entry of entries) {
        if (entry.name.endsWith('/')) continue;
        const base = path.posix.basename(entry.name);
        if (!parseStreetFileName(base)) {
          skipped.push(entry.name);
          continue;
        }
        if (entry.method !== 0 && entry.method !== 8) throw notZip(file, `${entry.name} uses an unsupported compression method`);
        const local = readAt(fd, entry.localHeaderOffset, 30);
        if (local.readUInt32LE(0) !== 0x04034b50) throw notZip(file, `damaged entry ${entry.name}`);
        const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        const target = path.join(dir, base);
        if (files.includes(target)) throw new ValidationError([{ field: 'files', message: `${base} appears twice in ${path.basename(file)}` }]);
        if (entry.compressedSize === 0) {
          fs.writeFileSync(target, '');
        } else {
          const input = fs.createReadStream(file, { start, end: start + entry.compressedSize - 1 });
          const output = fs.createWriteStream(target);
          if (entry.method === 0) await pipeline(input, output);
          else await pipeline(input, zlib.createInflateRaw(), output);
        }
        files.push(target);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  return { files, skipped, cleanup };
}
