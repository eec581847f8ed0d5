/**
 * What the app keeps running beside requests, each closed with the app: the Chromium that prints PDFs, the runner
 * that generates requested documents, and the police.uk crime store with its import jobs.
 */
import type { FastifyInstance } from 'fastify';
import { PrinterThread } from '../../adapters/chromium/printerThread.ts';
import { CrimeData } from '../../services/assessment/crimeData.ts';
import { DocumentRunner } from '../../services/documents/documentRunner.ts';
import { deleteOldDocuments } from '../../services/documents/documentJobs.ts';
import { deleteOldPaperFiles } from '../../services/meetings/papers.ts';
import { documentGenerator } from '../../presentation/documents/generateDocument.ts';
import type { AppServices } from '../context.ts';
import { createMailer } from '../../adapters/mail/mailer.ts';
import { CycleRunner } from '../../services/cycle/reminders.ts';
import { runCrimeRetentionJobs, scheduleCrimeRetention } from '../../services/assessment/crimeRetention.ts';
import os from 'node:os';
import { randomBytes } from 'node:crypto';

export function setUpBackgroundWork(app: FastifyInstance, { db, config }: AppServices): void {
  // PDF documents and the Word documents' pictures: one Chromium for the app, driven from a thread of its own (so its
  // round trips do not wait behind requests), started on first use and closed with the app.
  const pdfPrinter = new PrinterThread(config.chromiumPath);
  app.decorate('pdfPrinter', pdfPrinter);
  // Requested documents are generated in the background by whichever instance claims them first; a job whose
  // instance stopped is taken up again once its lease runs out.
  const documentRunner = new DocumentRunner(db.kysely, documentGenerator(db.kysely, pdfPrinter), {
    ...config.documentJobs,
    log: (message, err) => app.log.error({ err }, message),
    // Logged within the job's context: the line names the job and the request that asked for it.
    onFinished: (job, outcome) => {
      app.metrics.documentFinished(job.kind, job.format, outcome);
      app.log.info({ kind: job.kind, format: job.format, outcome }, 'Document job finished');
    },
  });
  app.decorate('documentRunner', documentRunner);
  app.addHook('onReady', async () => documentRunner.start());
  app.addHook('onClose', async () => {
    // Running jobs get a short while to finish, then go back to the queue for another instance (SIGTERM included).
    await documentRunner.stop(config.shutdown.jobGraceMs);
    await pdfPrinter.close();
  });

  // Reminders and chasers as durable email jobs (decision 0023): SMTP when SMTP_URL is set, otherwise the log.
  const mailer = createMailer({ ...config.mail, log: (message, details) => app.log.info(details, message) });
  const cycleRunner = new CycleRunner(db.kysely, mailer, {
    baseUrl: config.baseUrl,
    secret: config.sessionSecret,
    ...config.documentJobs,
    log: (message, err) => app.log.error({ err }, message),
  });
  app.decorate('cycleRunner', cycleRunner);
  if (config.runReminders) app.addHook('onReady', async () => cycleRunner.start());
  app.addHook('onClose', async () => {
    await cycleRunner.stop();
    mailer.close();
  });

  // The police.uk analytical store, shared by the assessment pages and the API; opened on first use: tables in the
  // PostgreSQL database every instance shares, or the embedded DuckDB file (decision 0038). Imports and their
  // progress are recorded in the database, so every instance shows them. On start-up, uploads and unpacked archives
  // left by a stopped process are removed once a day old.
  const crimeData = new CrimeData(config.crimeStorePath, config.policeDataDir, {
    db: db.kysely,
    ...(config.crimeStore === 'postgres' ? { sharedStoreUrl: config.databaseUrl } : {}),
    log: (message, err) => app.log.error({ err }, message),
    onImported: (summary) => app.metrics.importedRows(summary.rowsAccepted, summary.rowsRejected),
    leftoverAgeMs: config.uploadRetentionHours * 3_600_000,
  });
  app.decorate('crimeData', crimeData);
  app.addHook('onReady', async () => void crimeData.removeLeftovers());
  app.addHook('onClose', async () => crimeData.close());

  // Retention: generated documents finished more than DOCUMENT_RETENTION_DAYS ago, uploaded papers of meetings held
  // more than MEETING_PAPER_RETENTION_YEARS ago, and police.uk uploads never
  // imported within UPLOAD_RETENTION_HOURS, are deleted by every instance every CLEANUP_INTERVAL_MINUTES (deleting
  // twice is harmless). With CRIME_RETENTION_MONTHS set, police.uk months older than the newest that many are
  // dropped by a durable job, added once a day by whichever instance comes first and run by the one that claims it
  // (decision 0053); its lease is long, as it is not renewed while it runs.
  const retentionLease = {
    holder: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    leaseMs: 10 * 60_000,
    maxAttempts: config.documentJobs.maxAttempts,
  };
  let cleanup: NodeJS.Timeout | null = null;
  const cleanUp = async () => {
    try {
      const documents = await deleteOldDocuments(db.kysely, config.documentRetentionDays);
      const papers = await deleteOldPaperFiles(db.kysely, config.meetingPaperRetentionYears);
      const uploads = crimeData.removeLeftovers();
      if (documents || papers || uploads.length)
        app.log.info({ documents, papers, uploads }, 'Retention: deleted old generated documents, meeting papers and uploads');
      if (config.crimeRetentionMonths > 0) {
        await scheduleCrimeRetention(db.kysely, config.crimeRetentionMonths);
        for (const done of await runCrimeRetentionJobs(db.kysely, () => crimeData.store(), retentionLease, {
          log: (message, err) => app.log.warn({ err }, message),
        }))
          if (done.months.length)
            app.log.info({ months: done.months, records: done.records, cutoff: done.cutoff }, 'Retention: dropped old police.uk months');
      }
    } catch (err) {
      app.log.warn({ err }, 'Retention clean-up failed; it runs again later');
    }
  };
  app.decorate('cleanUp', cleanUp);
  app.addHook('onReady', async () => {
    cleanup = setInterval(() => void cleanUp(), config.cleanupIntervalMs);
    cleanup.unref();
  });
  app.addHook('onClose', async () => {
    if (cleanup) clearInterval(cleanup);
  });
}
