/**
 * A plan version's tables people download, as ExportTables (written as CSV or XLSX by tableExport.ts): the risk
 * register of every priority, and the funding allocations of every funding stream with what is allocated, spent
 * and remaining, in pounds. Built from the same PlanDocument the plan's pages show.
 */
import { riskScoreColumns } from '../riskScores.ts';
import type { PlanDocument } from '../../services/plans/plans.ts';
import type { ExportTable } from './tableExport.ts';

const pounds = (pence: number) => pence / 100;

/** Every risk of the version, priority by priority, as the priority pages list them (5x5 scores when the partnership uses them). */
export function riskRegisterTable(doc: PlanDocument, fiveByFive = false): ExportTable {
  const scores = riskScoreColumns(fiveByFive);
  return {
    title: `Risk register ${doc.version.label}`,
    columns: [
      { header: 'Priority', type: 'text' },
      { header: 'Risk', type: 'text' },
      { header: scores.headers[0], type: 'text' },
      { header: scores.headers[1], type: 'text' },
      { header: 'Actions to mitigate', type: 'text' },
      { header: 'Partner responsible', type: 'text' },
      { header: 'Review date', type: 'date' },
    ],
    rows: doc.priorities.flatMap((p) =>
      p.risks.map((r) => [p.title, r.risk, ...scores.cells(r), r.mitigation ?? null, r.responsible_partner ?? null, r.review_date ?? null]),
    ),
  };
}

/** Every allocation of every funding stream, as the funding page shows them. */
export function fundingAllocationsTable(doc: PlanDocument): ExportTable {
  const priorityName = (id: number | null) => doc.priorities.find((p) => p.id === id)?.title ?? null;
  return {
    title: `Funding allocations ${doc.version.label}`,
    columns: [
      { header: 'Funding stream', type: 'text' },
      { header: 'Funder', type: 'text' },
      { header: 'Project', type: 'text' },
      { header: 'Priority', type: 'text' },
      { header: 'Allocated', type: 'money' },
      { header: 'Spent', type: 'money' },
      { header: 'Remaining', type: 'money' },
      { header: 'Board approval', type: 'text' },
    ],
    rows: doc.streams.flatMap((s) =>
      s.allocations.map((a) => {
        const needs = s.approval_threshold_pence !== null && a.amount_pence > s.approval_threshold_pence;
        return [
          s.name,
          s.funder ?? null,
          a.project,
          priorityName(a.priority_id),
          pounds(a.amount_pence),
          pounds(a.spent_pence),
          pounds(a.amount_pence - a.spent_pence),
          a.board_approved ? 'Approved' : needs ? 'Needs Board approval' : 'Not needed',
        ];
      }),
    ),
  };
}
