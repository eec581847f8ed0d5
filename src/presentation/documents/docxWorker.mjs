// Worker thread for Word documents (see toDocx in docx.ts), kept between documents: loads the sources as the app
// itself runs (the TypeScript through tsx, or the JavaScript compiled beside it when the app runs compiled, as under
// `npm test`), then builds each document it is sent and sends its bytes back (or the
// error that stopped it).
import { parentPort, workerData } from 'node:worker_threads';
import { loadModule } from '../../adapters/threads/loadModule.mjs';

const { packDocx } = await loadModule(import.meta.url, './docx', workerData?.compiled);
parentPort.on('message', async ({ id, call }) => {
  try {
    parentPort.postMessage({ id, result: await packDocx(call) });
  } catch (error) {
    parentPort.postMessage({ id, error });
  }
});
