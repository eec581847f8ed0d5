// Worker thread of the document printer (see PrinterThread in printerThread.ts): loads the sources as the app itself
// runs (the TypeScript through tsx, or the JavaScript compiled beside it when the app runs compiled, as under
// `npm test`), keeps one PdfPrinter (one Chromium) for the life of the thread, and answers each call with its result
// or the error that stopped it. PDFs and pictures go back as bytes; the error as its name and message.
import { parentPort, workerData } from 'node:worker_threads';
import { loadModule } from '../threads/loadModule.mjs';

const { PdfPrinter } = await loadModule(import.meta.url, './pdfPrinter', workerData?.compiled);
const printer = new PdfPrinter(workerData.executablePath, (pid) => parentPort.postMessage({ browserPid: pid }));

async function answer(call) {
  switch (call.op) {
    case 'print':
      return printer.print(call.html, call.options);
    case 'svgsToPng':
      return printer.svgsToPng(call.svgs, call.options);
    case 'close':
      await printer.close();
      return null;
    default:
      throw new Error(`The printer thread does not know "${call.op}"`);
  }
}

parentPort.on('message', async ({ id, call }) => {
  try {
    parentPort.postMessage({ id, result: await answer(call) });
  } catch (error) {
    parentPort.postMessage({
      id,
      error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) },
    });
  }
});
