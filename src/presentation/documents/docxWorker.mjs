// Worker thread for Word documents (see toDocx in docx.ts), kept between documents: loads the sources as the app
// itself runs (the TypeScript through tsx, or the JavaScript compiled beside it when the app runs compiled, as under
// `npm test`), then builds each document it is sent and sends its bytes back (or the
// error that stopped it).
import { parentPort, workerData } from 'node:worker_threads';

let packDocx;
if (workerData?.compiled) ({ packDocx } = await import('./docx.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ packDocx } = await import('./docx.ts'));
}
parentPort.on('message', async ({ id, work }) => {
  try {
    const bytes = await packDocx(work);
    parentPort.postMessage({ id, bytes });
  } catch (error) {
    parentPort.postMessage({ id, error });
  }
});
