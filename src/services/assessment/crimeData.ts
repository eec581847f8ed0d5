/**
 * The police.uk data behind strategic assessments, for the web app: the analytical store (opened on first
 * use and shared by every partnership, as the data is public and national), the files on the server that can
 * be imported, and the import jobs that run in the background while a page shows their progress. One import
 * runs at a time; each runs on its own store session so pages keep answering from the committed data.
 *
 * Files uploaded from the browser are streamed into the police.uk folder by {@link CrimeData.saveUpload}, as
 * `upload-<batch>` (a folder of CSV files) or `upload-<batch>-<name>.zip`, then imported like any other source
 * there; zip archives are unpacked into the folder's `.work` folder: both are deleted
 * as soon as their import has finished, whether it succeeded or not, and any left by a stopped process are
 * removed at start-up once they are a day old.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConflictError, ValidationError, Validator, type FieldError } from '../../domain/errors.ts';
import type { Kysely } from 'kysely';
import {
  importResolvedFiles,
  resolveStreetFiles,
  type ImportProgress,
  type ImportSummary,
  type StreetFile,
} from '../../adapters/crimeStore/importer.ts';
import { openCrimeStore, openPgCrimeStore, type CrimeStore } from '../../adapters/crimeStore/store.ts';
import type { Database } from '../../adapters/database/schema.ts';
import { EXTRACT_PREFIX } from '../../adapters/crimeStore/zip.ts';
import { parseStreetFileName } from '../../domain/policeUkLayout.ts';
import { currentLogContext, withLogContext } from '../../adapters/logContext.ts';

/** Names the app gives to uploaded sources in the police.uk folder (the batch is 8 to 40 letters and digits). */
export const UPLOAD_SOURCE = /^upload-[a-z0-9]{8,40}(?:$|-)/;
/** Leftovers are removed at start-up once they are older than this. */
const LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;
/** Most bytes one uploaded file may have (a year of national street-level files is about 1.4 GB unzipped). */
export const UPLOAD_LIMIT_BYTES = 4 * 1024 ** 3;

/** An uploaded file larger than {@link UPLOAD_LIMIT_BYTES}: nothing of it is kept (answered 413). */
export class UploadTooLargeError extends Error {
  readonly statusCode = 413;
  constructor() {
    super('The file is too large');
  }
}

export interface Upload {
  /** The file's name on the person's computer: a street-level CSV file (YYYY-MM-<force>-street.csv) or a zip archive. */
  name: unknown;
  /** The browser's identifier for the files uploaded together (8 to 40 lower-case letters and digits). */
  batch: unknown;
  /** The file's bytes as they arrive. */
  file: unknown;
}

export interface CrimeDataOptions {
  /** Where operators read the raw error of a failed import (people see plain words). */
  log?: (message: string, err: unknown) => void;
  /** Told of each finished import's rows (for metrics). */
  onImported?: (summary: ImportSummary) => void;
  /** Uploads and unpacked archives older than this are leftovers, removed by {@link CrimeData.removeLeftovers} (default a day). */
  leftoverAgeMs?: number;
  /**
   * The app's database: imports, their progress and outcome are recorded there (crime_imports), so every instance
   * shows them, and each (month, force) is claimed there (crime_import_claims), so two instances never import the
   * same one at once. Without it (tools and some tests) they are held in this process's memory.
   */
  db?: Kysely<Database>;
  /** The shared PostgreSQL store (decision 0038): the app's PostgreSQL database URL. Without it, the DuckDB file `location`. */
  sharedStoreUrl?: string;
  /** How often the running import records its progress and renews its claims (default 1 s). */
  heartbeatMs?: number;
}

/** A claim not renewed for this long belongs to an instance that stopped: the next import takes it over. */
const CLAIM_LEASE_MS = 60_000;

/**
 * An import's unexpected failure in words for the person importing: what happened, that nothing was changed and
 * what to do, with the reference under which the raw error is logged. Never DuckDB's or Node's own message,
 * which name server folders.
 */
export function plainImportFailure(error: unknown, reference: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const nothingChanged = 'and nothing was changed.';
  const tell = `If it happens again, tell your administrator and give them this reference: ${reference}.`;
  if (/out of memory/i.test(message))
    return `The server ran out of memory during the import, ${nothingChanged} Try importing fewer files at once (for example one year at a time). ${tell}`;
  if (code === 'ENOSPC' || /no space left on device/i.test(message))
    return `The server ran out of disk space during the import, ${nothingChanged} Ask your administrator to free some space, then import again. ${tell}`;
  if (/could not set lock|conflicting lock/i.test(message))
    return `Another program is using the police.uk store (only one CSP Hub process may import at a time), ${nothingChanged} Try again in a few minutes. ${tell}`;
  if (code === 'ENOENT' || /no files found that match|no such file/i.test(message))
    return `A file was removed from the server while it was being imported, ${nothingChanged} Choose the files again and import them. ${tell}`;
  if (code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(message))
    return `CSP Hub is not allowed to read or write a file it needs on the server, ${nothingChanged} ${tell}`;
  return `The import failed because of a problem on the server, and nothing was changed. Try again; if it fails again, tell your administrator and give them this reference: ${reference}.`;
}

export interface ImportSource {
  name: string;
  kind: 'folder' | 'zip archive' | 'file';
}

export interface ImportJob {
  id: string;
  partnershipId: number;
  source: string;
  startedBy: string;
  startedAt: string;
  progress: ImportProgress | null;
  finished: boolean;
  summary: ImportSummary | null;
  errors: FieldError[];
}

/** An import recorded in the database that the running instance stopped renewing: shown as failed. */
function stoppedJob(job: ImportJob): ImportJob {
  return {
    ...job,
    finished: true,
    errors: [
      {
        field: 'source',
        message: `The server running this import stopped before it finished, and nothing was changed. Import the files again. If it happens again, tell your administrator and give them this reference: ${job.id}.`,
      },
    ],
  };
}

export class CrimeData {
  private opening: Promise<CrimeStore> | null = null;
  private running: ImportJob | null = null;
  /** The running import's source, not to be swept. */
  private runningPaths: string[] = [];
  private readonly lastJob = new Map<number, ImportJob>();

  constructor(
    readonly location: string,
    readonly importDir: string,
    private readonly options: CrimeDataOptions = {},
  ) {}

  /** Where zip archives are unpacked: the police.uk folder's `.work` folder, or the system's temporary folder when the police.uk folder cannot be written. */
  private workDir(): string {
    const dir = path.join(this.importDir, '.work');
    try {
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      return os.tmpdir();
    }
  }

  /**
   * Removes uploads and unpacked archives older than a day (left by a process that stopped during an import, or
   * uploaded and never imported). Returns what was removed: relative to the police.uk folder, or the full path in the
   * system's temporary folder.
   */
  removeLeftovers(now = Date.now()): string[] {
    const removed: string[] = [];
    const sweep = (dir: string, matches: (name: string) => boolean, label: (name: string) => string) => {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        if (!matches(name)) continue;
        const p = path.join(dir, name);
        try {
          if (now - fs.lstatSync(p).mtimeMs < (this.options.leftoverAgeMs ?? LEFTOVER_AGE_MS)) continue;
          if (this.running && this.runningPaths.some((r) => r === p)) continue;
          fs.rmSync(p, { recursive: true, force: true });
          removed.push(label(name));
        } catch (error) {
          this.options.log?.(`Could not remove the police.uk leftover ${p}`, error);
        }
      }
    };
    sweep(
      this.importDir,
      (n) => UPLOAD_SOURCE.test(n),
      (n) => n,
    );
    sweep(
      path.join(this.importDir, '.work'),
      (n) => n.startsWith(EXTRACT_PREFIX),
      (n) => `.work/${n}`,
    );
    sweep(
      os.tmpdir(),
      (n) => n.startsWith(EXTRACT_PREFIX),
      (n) => path.join(os.tmpdir(), n),
    );
    return removed;
  }

  /** Which store answers: the shared PostgreSQL one, or the DuckDB file. */
  get engine(): CrimeStore['engine'] {
    return this.options.sharedStoreUrl ? 'postgres' : 'duckdb';
  }

  /** The store, opened on first use. */
  store(): Promise<CrimeStore> {
    const url = this.options.sharedStoreUrl;
    // A store that could not be opened is tried again by the next request, not remembered as failed.
    this.opening ??= (url ? Promise.resolve(openPgCrimeStore(url)) : openCrimeStore(this.location)).catch((error: unknown) => {
      this.opening = null;
      throw error;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    if (this.running) await this.waitForImport();
    const opening = this.opening;
    this.opening = null;
    if (opening) (await opening.catch(() => null))?.close();
  }

  private async waitForImport(): Promise<void> {
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Folders, zip archives and street-level CSV files at the top of the server's police.uk folder. */
  sources(): ImportSource[] {
    if (!fs.existsSync(this.importDir)) return [];
    return fs
      .readdirSync(this.importDir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .map((e): ImportSource | null => {
        if (e.isDirectory()) return { name: e.name, kind: 'folder' };
        if (e.isFile() && e.name.toLowerCase().endsWith('.zip')) return { name: e.name, kind: 'zip archive' };
        if (e.isFile() && e.name.endsWith('-street.csv')) return { name: e.name, kind: 'file' };
        return null;
      })
      .filter((s): s is ImportSource => s !== null)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Streams a file uploaded from the browser into the police.uk folder, to be imported like any other source
   * there: a CSV file goes into the folder `upload-<batch>/`, a zip archive becomes `upload-<batch>-<name>`.
   * Returns the source to import and the bytes received; a file over the limit is removed and refused.
   */
  async saveUpload(upload: Upload): Promise<{ source: string; bytes: number }> {
    const name = typeof upload.name === 'string' ? upload.name : '';
    const batch = typeof upload.batch === 'string' ? upload.batch : '';
    const zip = /^[A-Za-z0-9._ -]+\.zip$/i.test(name);
    const v = new Validator();
    if (!(upload.file instanceof Readable)) v.add('files', 'Choose police.uk files to upload');
    else if (!zip && !parseStreetFileName(name))
      v.add('files', `${name || 'The file'} is not a police.uk street-level file (YYYY-MM-<force>-street.csv) or a zip archive`);
    if (!/^[a-z0-9]{8,40}$/.test(batch)) v.add('files', 'The upload has no batch identifier');
    v.throwIfAny();
    const target = zip ? path.join(this.importDir, `upload-${batch}-${name}`) : path.join(this.importDir, `upload-${batch}`, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > UPLOAD_LIMIT_BYTES) callback(new UploadTooLargeError());
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(upload.file as Readable, limit, fs.createWriteStream(target));
    } catch (error) {
      fs.rmSync(target, { force: true });
      throw error;
    }
    return { source: zip ? path.basename(target) : `upload-${batch}`, bytes };
  }

  /**
   * The latest import started from this partnership, if any, on whichever instance ran it (from the database when
   * there is one). An unfinished import whose instance stopped renewing it is shown as failed.
   */
  async jobFor(partnershipId: number): Promise<ImportJob | null> {
    const db = this.options.db;
    if (!db) return this.lastJob.get(partnershipId) ?? null;
    const row = await db
      .selectFrom('crime_imports')
      .selectAll()
      .where('partnership_id', '=', partnershipId)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    if (this.running?.id === row.id) return this.running;
    const job: ImportJob = {
      id: row.id,
      partnershipId: row.partnership_id,
      source: row.source,
      startedBy: row.started_by,
      startedAt: row.started_at,
      progress: row.progress ? (JSON.parse(row.progress) as ImportProgress) : null,
      finished: Boolean(row.finished),
      summary: row.summary ? (JSON.parse(row.summary) as ImportSummary) : null,
      errors: JSON.parse(row.errors) as FieldError[],
    };
    const stale = Date.now() - Date.parse(row.heartbeat_at) > CLAIM_LEASE_MS;
    return !job.finished && stale ? stoppedJob(job) : job;
  }

  /** Records the job's progress (and outcome once finished) where every instance reads it. */
  private async record(job: ImportJob): Promise<void> {
    const db = this.options.db;
    if (!db) return;
    const now = new Date();
    await db
      .updateTable('crime_imports')
      .set({
        heartbeat_at: now.toISOString(),
        progress: job.progress ? JSON.stringify(job.progress) : null,
        finished: job.finished ? 1 : 0,
        summary: job.summary ? JSON.stringify(job.summary) : null,
        errors: JSON.stringify(job.errors),
      })
      .where('id', '=', job.id)
      .execute();
    if (!job.finished)
      await db
        .updateTable('crime_import_claims')
        .set({ lease_until: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString() })
        .where('import_id', '=', job.id)
        .execute();
  }

  /**
   * Claims the months and forces of an import, so that no other import (on any instance) writes them meanwhile.
   * Returns the refusal in words when another import holds one of them.
   */
  private async claim(job: ImportJob, files: StreetFile[], attempt = 1): Promise<string | null> {
    const db = this.options.db;
    if (!db) return null;
    const now = new Date();
    try {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('crime_import_claims').where('lease_until', '<', now.toISOString()).execute();
        await trx
          .insertInto('crime_import_claims')
          .values(
            files.map((f) => ({
              month: f.month,
              force: f.force,
              import_id: job.id,
              lease_until: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(),
            })),
          )
          .execute();
      });
      return null;
    } catch (error) {
      const held = await db
        .selectFrom('crime_import_claims as c')
        .leftJoin('crime_imports as i', 'i.id', 'c.import_id')
        .select(['c.month', 'c.force', 'i.source', 'i.started_by'])
        .where('c.import_id', '<>', job.id)
        .execute();
      const clash = held.find((h) => files.some((f) => f.month === h.month && f.force === h.force));
      // The claim that stood in the way was released between the insert and this read (its import finished): try again.
      if (!clash && attempt < 3) return this.claim(job, files, attempt + 1);
      if (!clash) throw error;
      return `${clash.force} ${clash.month} is being imported just now by another import (${clash.source ?? 'unknown'}, started by ${clash.started_by ?? 'someone'}), and nothing was changed. Wait for it to finish, then import again if you still need to.`;
    }
  }

  private async release(job: ImportJob): Promise<void> {
    await this.options.db?.deleteFrom('crime_import_claims').where('import_id', '=', job.id).execute();
  }

  /** Starts importing one of {@link sources} in the background; the job reports its progress as it goes. */
  async startImport(partnershipId: number, sourceName: unknown, startedBy: string): Promise<ImportJob> {
    const source = this.sources().find((s) => s.name === sourceName);
    if (!source) throw new ValidationError([{ field: 'source', message: 'Choose the police.uk files to import' }]);
    if (this.running) throw new ConflictError(`Another import (${this.running.source}) is running: wait for it to finish`);
    const job: ImportJob = {
      id: randomUUID(),
      partnershipId,
      source: source.name,
      startedBy,
      startedAt: new Date().toISOString(),
      progress: null,
      finished: false,
      summary: null,
      errors: [],
    };
    this.running = job;
    try {
      await this.options.db
        ?.insertInto('crime_imports')
        .values({
          id: job.id,
          partnership_id: partnershipId,
          source: job.source,
          started_by: startedBy,
          started_at: job.startedAt,
          heartbeat_at: job.startedAt,
        })
        .execute();
    } catch (error) {
      this.running = null;
      throw error;
    }
    this.lastJob.set(partnershipId, job);
    // The import's log lines carry the id of the request that started it, and the job's.
    void withLogContext({ ...currentLogContext(), job: `police-uk-import:${job.id}` }, () =>
      this.run(job, path.join(this.importDir, source.name)),
    );
    return job;
  }

  private async run(job: ImportJob, sourcePath: string): Promise<void> {
    let session: CrimeStore | null = null;
    this.runningPaths = [sourcePath];
    let recording = Promise.resolve();
    const heartbeat = setInterval(() => {
      recording = recording
        .then(() => this.record(job))
        .catch((error: unknown) => this.options.log?.(`Could not record police.uk import ${job.id}`, error));
    }, this.options.heartbeatMs ?? 1000);
    heartbeat.unref();
    try {
      const resolved = await resolveStreetFiles(sourcePath, { tempDir: this.workDir() });
      try {
        const refusal = await this.claim(job, resolved.files);
        if (refusal) throw new ValidationError([{ field: 'source', message: refusal }]);
        try {
          session = await (await this.store()).session();
          job.summary = await importResolvedFiles(session, resolved, { onProgress: (p) => (job.progress = p), tempDir: this.workDir() });
        } finally {
          await this.release(job);
        }
      } finally {
        await resolved.cleanup();
      }
      this.options.onImported?.(job.summary);
    } catch (error) {
      if (error instanceof ValidationError) {
        job.errors = error.errors;
        // A refusal DuckDB's reader caused: its own words, for the operator.
        if (error.cause !== undefined) this.options.log?.(`Police.uk import ${job.id} of ${job.source} refused`, error.cause);
      } else {
        job.errors = [{ field: 'source', message: plainImportFailure(error, job.id) }];
        this.options.log?.(`Police.uk import ${job.id} of ${job.source} failed`, error);
      }
    } finally {
      clearInterval(heartbeat);
      await recording;
      if (session?.engine === 'duckdb') session.close();
      // An upload has served its purpose, imported or not: the person uploads again to retry.
      if (UPLOAD_SOURCE.test(job.source)) {
        try {
          await fs.promises.rm(sourcePath, { recursive: true, force: true });
        } catch (error) {
          this.options.log?.(`Could not delete the uploaded police.uk files ${sourcePath}`, error);
        }
      }
      this.runningPaths = [];
      job.finished = true;
      try {
        await this.record(job);
      } catch (error) {
        this.options.log?.(`Could not record the outcome of police.uk import ${job.id}`, error);
      }
      this.running = null;
    }
  }

  /** Waits for the running import, if any (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.waitForImport();
  }
}
