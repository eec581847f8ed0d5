/**
 * The police.uk data behind strategic assessments, for the web app: the analytical store (opened on first
 * use and shared by every partnership, as the data is public and national), the files on the server that can
 * be imported, and the import jobs that run in the background while a page shows their progress. One import
 * runs at a time; each runs on its own store session so pages keep answering from the committed data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError, type FieldError } from '../services/errors.ts';
import { importStreetFiles, type ImportProgress, type ImportSummary } from '../import/policeUk/importer.ts';
import { openCrimeStore, type CrimeStore } from '../import/policeUk/store.ts';

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

export class CrimeData {
  private opening: Promise<CrimeStore> | null = null;
  private running: ImportJob | null = null;
  private readonly lastJob = new Map<number, ImportJob>();

  constructor(
    readonly location: string,
    readonly importDir: string,
  ) {}

  /** The store, opened on first use. */
  store(): Promise<CrimeStore> {
    this.opening ??= openCrimeStore(this.location);
    return this.opening;
  }

  async close(): Promise<void> {
    if (this.running) await this.waitForImport();
    if (this.opening) (await this.opening).close();
    this.opening = null;
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

  /** The latest import started from this partnership, if any. */
  jobFor(partnershipId: number): ImportJob | null {
    return this.lastJob.get(partnershipId) ?? null;
  }

  /** Starts importing one of {@link sources} in the background; the job reports its progress as it goes. */
  startImport(partnershipId: number, sourceName: unknown, startedBy: string): ImportJob {
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
    this.lastJob.set(partnershipId, job);
    void this.run(job, path.join(this.importDir, source.name));
    return job;
  }

  private async run(job: ImportJob, sourcePath: string): Promise<void> {
    let session: CrimeStore | null = null;
    try {
      session = await (await this.store()).session();
      job.summary = await importStreetFiles(session, sourcePath, { onProgress: (p) => (job.progress = p) });
    } catch (error) {
      job.errors =
        error instanceof ValidationError
          ? error.errors
          : [{ field: 'source', message: `The import failed and nothing was changed: ${error instanceof Error ? error.message : String(error)}` }];
    } finally {
      session?.close();
      job.finished = true;
      this.running = null;
    }
  }

  /** Waits for the running import, if any (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.waitForImport();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The police.uk store and its import jobs; one per app, closed with the app. */
    crimeData: CrimeData;
  }
}
