// Worker thread entry for reading uploaded files (see offThread.ts): loads the sources as the app itself runs (the
// TypeScript through tsx, or the JavaScript compiled beside it when the app runs compiled, as under `npm test`), then runs each task it is sent (importTasks.ts) and sends back the result, or the
// problems of a file that cannot be read, or what went wrong.
import { parentPort, workerData } from 'node:worker_threads';
import { loadModule } from '../../adapters/threads/loadModule.mjs';

const { importTasks } = await loadModule(import.meta.url, './importTasks', workerData?.compiled);

parentPort.on('message', async ({ id, task, input }) => {
  try {
    const value = await importTasks[task](input);
    parentPort.postMessage({ id, ok: true, value });
  } catch (e) {
    if (e && e.name === 'ValidationError' && Array.isArray(e.errors)) parentPort.postMessage({ id, ok: false, errors: e.errors });
    else parentPort.postMessage({ id, ok: false, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
});
