/**
 * A worker thread answering calls: each call is a message with an id, answered by one message with the same id (its
 * result, or the error that stopped it). Several calls may be in flight at once. The thread keeps the process alive
 * only while a call is waiting. When it dies, every call in flight fails with the error, and `onLost` is told (its
 * owner then starts a new one for the next call). Used by the Word documents' thread (presentation/documents/docx.ts)
 * and the printer thread (adapters/chromium/printerThread.ts); the worker's script answers `{ id, call }` with
 * `{ id, result }` or `{ id, error }`, and may send other messages, which go to `onOther`.
 */
import { Worker } from 'node:worker_threads';

/** The worker's answer to one call. */
export interface CallReply {
  id: number;
  result?: unknown;
  /** What stopped the call: turned back into an Error by `revive` (by default a plain Error with the same message). */
  error?: unknown;
}

export interface CallThreadOptions {
  /** What the thread is, for the error when it stops: "The document printer thread". */
  name: string;
  workerData?: unknown;
  /** A message that is not an answer to a call. */
  onOther?(message: unknown): void;
  /** The thread has died (an uncaught error or an exit), after the calls in flight were failed. */
  onLost?(error: unknown): void;
  /** The error a call failed with, from what the worker sent. */
  revive?(error: unknown): unknown;
}

export class CallThread {
  readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private nextCall = 1;
  private ended = false;

  constructor(url: URL, options: CallThreadOptions) {
    this.worker = new Worker(url, { workerData: options.workerData });
    this.worker.unref();
    this.worker.on('message', (message: CallReply) => {
      const call = typeof message?.id === 'number' ? this.waiting.get(message.id) : undefined;
      if (!call) {
        options.onOther?.(message);
        return;
      }
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (message.error !== undefined) call.reject(options.revive ? options.revive(message.error) : message.error);
      else call.resolve(message.result);
    });
    const lost = (error: unknown) => {
      if (this.ended) return;
      this.ended = true;
      for (const call of this.waiting.values()) call.reject(error);
      this.waiting.clear();
      options.onLost?.(error);
    };
    this.worker.on('error', lost);
    this.worker.on('exit', (code) => lost(new Error(`${options.name} stopped (exit code ${code}) before finishing`)));
  }

  /** False once the thread has died or been ended. */
  get alive(): boolean {
    return !this.ended;
  }

  /** Calls in flight. */
  get busy(): number {
    return this.waiting.size;
  }

  /** Ends the thread; calls in flight fail. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** Sends `call` to the thread and waits for its answer. */
  call(call: unknown): Promise<unknown> {
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, call });
    });
  }
}
