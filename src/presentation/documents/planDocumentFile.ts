/**
 * The plan document as a file to download, one path for the pages and the API: a version of a plan as DOCX or PDF
 * (the version must be the partnership's and belong to the plan named with it), and the published plan's PDF found
 * by the partnership's public address. The document itself is built by planDocument.ts. Printing the PDF needs
 * Chromium: when it cannot be started the answer says so instead of giving a file, and each caller offers its own
 * fallback (the pages a page pointing to the Word document, the API a 503 problem).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { PdfUnavailableError, type DocumentPrinter } from '../../adapters/chromium/pdfPrinter.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { CONTENT_TYPES } from '../../services/documents/documentJobs.ts';
import { getVersion } from '../../services/plans/plans.ts';
import { publicPlan } from '../../services/plans/publicSite.ts';
import { cachedForPartnership } from '../../services/platform/snapshotCache.ts';
import { buildPlanReport, type PlanReport } from './planDocument.ts';
import { toDocx } from './docx.ts';
import { toPrintHtml } from './html.ts';

/** A finished file: its name with the extension, its content type and its bytes. */
export interface DownloadFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The file, or the reason the PDF cannot be printed at the moment. */
export type PlanDocumentFile = { ok: true; file: DownloadFile } | { ok: false; unavailable: PdfUnavailableError };

export type PlanDocumentFormat = 'pdf' | 'docx';

/** A version named with its plan (as in the download URLs): NotFound unless both are the partnership's and match. */
async function assertVersionOfPlan(db: Kysely<Database>, partnershipId: number, planId: number, versionId: number): Promise<void> {
  const version = await getVersion(db, partnershipId, versionId);
  if (version.plan_id !== planId) throw new NotFoundError('Plan version');
}

/**
 * The Word document, kept until anything in the partnership changes: laying out the pages for the contents' page
 * numbers takes a second or two of CPU, so a document downloaded again is not laid out again. The governance
 * diagram is drawn by the printer's Chromium (a note instead when it cannot be).
 */
function planDocx(
  db: Kysely<Database>,
  partnershipId: number,
  versionId: number,
  printer: DocumentPrinter,
  audience: 'partnership' | 'public' = 'partnership',
): Promise<DownloadFile> {
  return cachedForPartnership(db, partnershipId, `plan-docx|${audience}|${versionId}`, async () => {
    const report = await buildPlanReport(db, partnershipId, versionId, { audience });
    return {
      fileName: `${report.fileName}.docx`,
      contentType: CONTENT_TYPES.docx,
      content: await toDocx(report.document, { pictures: printer }),
    };
  });
}

/** The PDF printed by Chromium, or PdfUnavailableError's reason when Chromium cannot be started. */
async function planPdf(report: PlanReport, printer: DocumentPrinter): Promise<PlanDocumentFile> {
  try {
    const content = await printer.print(toPrintHtml(report.document), {
      header: report.document.runningHeader,
      footer: report.document.organisation,
    });
    return { ok: true, file: { fileName: `${report.fileName}.pdf`, contentType: CONTENT_TYPES.pdf, content } };
  } catch (e) {
    if (e instanceof PdfUnavailableError) return { ok: false, unavailable: e };
    throw e;
  }
}

/** A version of a plan as a PDF or a Word document (NotFound unless the version is the partnership's and the plan's). */
export async function planVersionFile(
  db: Kysely<Database>,
  printer: DocumentPrinter,
  partnershipId: number,
  planId: number,
  versionId: number,
  format: PlanDocumentFormat,
): Promise<PlanDocumentFile> {
  await assertVersionOfPlan(db, partnershipId, planId, versionId);
  if (format === 'docx') return { ok: true, file: await planDocx(db, partnershipId, versionId, printer) };
  return planPdf(await buildPlanReport(db, partnershipId, versionId), printer);
}

/**
 * A published plan as the public gets it, by the partnership's public address: the current one, or an earlier
 * published version named by its id (NotFound for anything not published). The public document (decision 0021)
 * holds only what the partnership made public, with small counts suppressed.
 */
export async function publicPlanFile(
  db: Kysely<Database>,
  printer: DocumentPrinter,
  slug: string,
  versionId: number | undefined,
  format: PlanDocumentFormat,
): Promise<PlanDocumentFile> {
  const { partnership, version } = await publicPlan(db, slug, versionId);
  if (format === 'docx') return { ok: true, file: await planDocx(db, partnership.id, version.id, printer, 'public') };
  return planPdf(await buildPlanReport(db, partnership.id, version.id, { audience: 'public' }), printer);
}

/** The partnership's current published plan as a PDF, by its public address (NotFound without a published plan). */
export async function publishedPlanPdf(db: Kysely<Database>, printer: DocumentPrinter, slug: string): Promise<PlanDocumentFile> {
  return publicPlanFile(db, printer, slug, undefined, 'pdf');
}
