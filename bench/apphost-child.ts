/**
 * The app process of a benchmark (forked by bench/apphost.ts): starts CSP Hub from its environment, then
 * answers requests for its memory and CPU figures until it is told to stop or its parent goes away.
 */
import { processStats } from './lib.ts';
import { startInThisProcess, type FromChild, type ToChild } from './apphost.ts';

const send = (m: FromChild) => process.send?.(m);

try {
  const app = await startInThisProcess(process.env);
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close());
  process.on('message', (m: ToChild) => {
    if (m.type === 'stats') send({ type: 'stats', stats: processStats() });
    if (m.type === 'stop') {
      void close().finally(() => {
        send({ type: 'stopped' });
        process.disconnect();
      });
    }
  });
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  send({ type: 'ready', info: app.info });
} catch (e) {
  send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
  process.disconnect();
}
