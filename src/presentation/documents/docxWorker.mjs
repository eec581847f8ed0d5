// Worker thread for Word documents (see toDocx in docx.ts), kept between documents: loads the TypeScript sources
// through tsx, as the app itself is run, then builds each document it is sent and sends its bytes back (or the
// error that stopped it).
import { register } from 'tsx/esm/api';
import { parentPort } from 'node:worker_threads';

register();
const { packDocx } = await import('./docx.ts');
parentPort.on('message', async ({ id, work }) => {
  try {
    const bytes = await packDocx(work);
    parentPort.postMessage({ id, bytes });
  } catch (error) {
    parentPort.postMessage({ id, error });
  }
});
