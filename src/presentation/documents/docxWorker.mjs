// Worker thread entry for Word documents (see toDocx in docx.ts): loads the TypeScript sources through tsx, as the
// app itself is run, then builds the document and sends its bytes back.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { packDocx } = await import('./docx.ts');
const bytes = await packDocx(workerData);
parentPort.postMessage(bytes);
