/** What a document job makes: the document it asks for, built from the partnership's data and written as PDF or DOCX. */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { DocumentPrinter } from '../../adapters/chromium/pdfPrinter.ts';
import { parseReportQuarter } from '../../domain/reportQuarter.ts';
import { CONTENT_TYPES, jobParams } from '../../services/documents/documentJobs.ts';
import type { GenerateDocument, GeneratedFile, Progress } from '../../services/documents/documentRunner.ts';
import { buildPlanReport } from './planDocument.ts';
import { loadQuarterlyReport, quarterlyReportDocument } from './quarterlyReport.ts';
import { annualReviewDocument, loadAnnualReview } from './annualReview.ts';
import type { ReportDocument } from './document.ts';
import { loadMeetingPack, meetingPackDocument } from './meetingPack.ts';
import { toDocx } from './docx.ts';
import { toPrintHtml } from './html.ts';

/** Builds one job's document and writes it in its format: what the document runner is given to run its jobs. */
export function documentGenerator(db: Kysely<Database>, printer: DocumentPrinter): GenerateDocument {
  return (job, progress) => generateDocument(db, printer, job, progress);
}

/** Builds one job's document (a Board pack, an annual review, a plan or a meeting pack) and writes it as PDF or DOCX. */
export async function generateDocument(
  db: Kysely<Database>,
  printer: DocumentPrinter,
  job: Parameters<GenerateDocument>[0],
  progress: Progress,
): Promise<GeneratedFile> {
  const params = jobParams(job);
  const pid = job.partnership_id;
  await progress(10, 'Gathering the figures and text');
  let document: ReportDocument;
  let fileName: string;
  if (job.kind === 'board_pack') {
    const report = await loadQuarterlyReport(db, pid, parseReportQuarter(params.quarter));
    document = quarterlyReportDocument(report, { intervals: params.intervals === true });
    fileName = report.fileName;
  } else if (job.kind === 'annual_review') {
    const review = await loadAnnualReview(db, pid, Number(params.reviewId));
    document = annualReviewDocument(review);
    fileName = review.fileName;
  } else if (job.kind === 'meeting_pack') {
    const pack = await loadMeetingPack(db, pid, Number(params.meetingId));
    document = meetingPackDocument(pack);
    fileName = pack.fileName;
  } else {
    const plan = await buildPlanReport(db, pid, Number(params.versionId));
    document = plan.document;
    fileName = plan.fileName;
  }
  await progress(40, 'Laying out the document');
  let content: Buffer;
  if (job.format === 'pdf') {
    const html = toPrintHtml(document);
    await progress(60, 'Printing the PDF');
    content = await printer.print(html, { header: document.runningHeader, footer: document.organisation });
  } else {
    await progress(60, 'Writing the Word document');
    content = await toDocx(document, { pictures: printer });
  }
  await progress(95, 'Saving the file');
  return { fileName: `${fileName}.${job.format}`, contentType: CONTENT_TYPES[job.format], content };
}
