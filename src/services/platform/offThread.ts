/**
 * Reading uploaded files off the event loop. Parsing a workbook, a large CSV or a partnership file is CPU work
 * that would otherwise hold up every other request while it runs, so it runs in one long-lived worker thread
 * (importWorker.mjs, running the tasks in importTasks.ts) with a heap limit and a time limit per file. Files are
 * read one at a time, in the order they arrive. A file that makes the worker run out of memory or time is refused
 * with a clear message; the worker is then replaced for the next file.
 */
import { Worker } from 'node:worker_threads';
import { ValidationError, type FieldError } from '../../domain/errors.ts';
import type { ImportTasks } from './importTasks.ts';

/** The worker's JavaScript heap limit: well above any file within the upload limits, far below the machine's memory. */
export const WORKER_HEAP_MB = 384;
/** How long one file may take to read before it is refused. */
export const READ_TIME_LIMIT_MS = 30_000;

type TaskName = keyof ImportTasks;
type Input<K extends TaskName> = Parameters<ImportTasks[K]>[0];
type Output<K extends TaskName> = Awaited<ReturnType<ImportTasks[K]>>;

interface Job {
  id: number;
  task: TaskName;
  input: unknown;
  transfer: ArrayBuffer[];
  timeLimitMs: number;
  /** What the file is called in a refusal ("big.json"). */
  what: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** What the worker sends back for a job. */
export type WorkerReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; errors: FieldError[] } | { id: number; ok: false; message: string };

let worker: Worker | null = null;
let current: { job: Job; timer: NodeJS.Timeout; worker: Worker } | null = null;
const queue: Job[] = [];
let nextId = 1;

function refusal(job: Job, message: string): ValidationError {
  return new ValidationError([{ field: 'file', message: `${job.what} ${message}` }]);
}

function finish(id: number, settle: (job: Job) => void): void {
  if (!current || current.job.id !== id) return;
  const { job, timer } = current;
  clearTimeout(timer);
  current = null;
  settle(job);
  startNext();
}

function spawn(): Worker {
  const w = new Worker(new URL('./importWorker.mjs', import.meta.url), {
    workerData: { compiled: import.meta.url.endsWith('.js') },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
  });
  w.unref();
  w.on('message', (reply: WorkerReply) => {
    finish(reply.id, (job) => {
      if (reply.ok) job.resolve(reply.value);
      else if ('errors' in reply) job.reject(new ValidationError(reply.errors));
      else job.reject(new Error(reply.message));
    });
  });
  const lost = (error: unknown) => {
    if (worker === w) worker = null;
    if (current?.worker !== w) return;
    const code = (error as { code?: string } | undefined)?.code;
    finish(current.job.id, (job) =>
      job.reject(
        code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? refusal(job, 'is too large or too complex to read: reading it needed more memory than CSP Hub gives one file')
          : new Error(`The file reader stopped: ${error instanceof Error ? error.message : String(error)}`),
      ),
    );
  };
  w.on('error', lost);
  w.on('exit', (code) => lost(new Error(`exit code ${code}`)));
  return w;
}

function startNext(): void {
  if (current || queue.length === 0) return;
  const job = queue.shift()!;
  worker ??= spawn();
  const w = worker;
  const timer = setTimeout(() => {
    // Too slow: stop the worker (a new one reads the next file) and refuse the file.
    worker = null;
    finish(job.id, (j) =>
      j.reject(
        refusal(j, `could not be read within ${job.timeLimitMs / 1000} seconds: it may be damaged, or far larger than it needs to be`),
      ),
    );
    void w.terminate();
  }, job.timeLimitMs);
  timer.unref();
  current = { job, timer, worker: w };
  w.ref();
  w.postMessage({ id: job.id, task: job.task, input: job.input }, job.transfer);
}

/**
 * Runs one of the tasks in importTasks.ts in the worker thread and returns its result. A ValidationError thrown by
 * the task comes back as a ValidationError; running out of memory or time is a ValidationError naming the file.
 */
export function runOffThread<K extends TaskName>(
  task: K,
  input: Input<K>,
  options: { what: string; transfer?: ArrayBuffer[]; timeLimitMs?: number },
): Promise<Output<K>> {
  return new Promise<Output<K>>((resolve, reject) => {
    queue.push({
      id: nextId++,
      task,
      input,
      transfer: options.transfer ?? [],
      timeLimitMs: options.timeLimitMs ?? READ_TIME_LIMIT_MS,
      what: options.what,
      resolve: (value) => {
        worker?.unref();
        resolve(value as Output<K>);
      },
      reject: (error: Error) => {
        worker?.unref();
        reject(error);
      },
    });
    startNext();
  });
}

const COPY_SLICE_BYTES = 4 * 1024 * 1024;

/**
 * A copy of the bytes in an ArrayBuffer of their own, to hand to the worker without copying again. A large file
 * is copied a few megabytes at a time, with a turn for other requests in between (50 MB in one go holds up
 * everything else for a twentieth of a second or more).
 */
export async function ownBuffer(data: Buffer): Promise<ArrayBuffer> {
  const copy = new ArrayBuffer(data.length);
  const target = new Uint8Array(copy);
  for (let at = 0; at < data.length; at += COPY_SLICE_BYTES) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    target.set(data.subarray(at, at + COPY_SLICE_BYTES), at);
  }
  return copy;
}
