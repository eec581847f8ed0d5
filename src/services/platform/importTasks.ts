/**
 * The work the import worker (importWorker.mjs, started by offThread.ts) does off the event loop: reading an
 * uploaded file of figures into rows, and checking a whole-partnership file. Each takes and returns plain data.
 */
import { readFigureTable, type TableRow } from '../performance/figureFileReader.ts';
import { checkImportFile, type CheckedImportFile } from '../transfer/partnershipImport.ts';

export const importTasks = {
  readFigureTable: (input: { filename: string; data: ArrayBuffer }): Promise<TableRow[]> =>
    readFigureTable(input.filename, new Uint8Array(input.data)),
  checkImportFile: (input: { data: ArrayBuffer; catalogue: [string, number][] }): CheckedImportFile =>
    checkImportFile(new Uint8Array(input.data), new Map(input.catalogue)),
};

export type ImportTasks = typeof importTasks;
