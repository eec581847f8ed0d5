// Worker thread entry for reading uploaded files (see offThread.ts): loads the TypeScript sources through tsx, as
// the app itself is run, then runs each task it is sent (importTasks.ts) and sends back the result, or the
// problems of a file that cannot be read, or what went wrong.
import { register } from 'tsx/esm/api';
import { parentPort } from 'node:worker_threads';

register();
const { importTasks } = await import('./importTasks.ts');

parentPort.on('message', async ({ id, task, input }) => {
  try {
    const value = await importTasks[task](input);
    parentPort.postMessage({ id, ok: true, value });
  } catch (e) {
    if (e && e.name === 'ValidationError' && Array.isArray(e.errors)) parentPort.postMessage({ id, ok: false, errors: e.errors });
    else parentPort.postMessage({ id, ok: false, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
});
