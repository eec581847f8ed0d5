/**
 * The app's DocumentPrinter: a PdfPrinter that lives in a worker thread of its own (printerWorker.mjs), so driving
 * Chromium does not wait on the app's event loop. Printing a PDF or drawing a Board pack's twenty charts is dozens of
 * Playwright round trips to the browser; on the main thread each reply waited its turn behind every request in
 * flight, and under issue 19's 50-client soak a Board pack's charts took minutes. Here the main thread sends one
 * message per document and gets the PDF or the pictures back in one.
 *
 * The thread is started on first use and ended by close(). When it dies, the calls in flight fail with an error that
 * says so, its browser is ended (it would outlive the thread), and the next call starts a new thread. PdfUnavailableError (Chromium missing or
 * not starting) comes back as itself, so pages still say "PDF documents are not available".
 */
import { Worker } from 'node:worker_threads';
import { PdfUnavailableError, type DocumentPrinter, type PrintOptions, type RenderedPicture } from './pdfPrinter.ts';

/** What the main thread asks of the printer thread. */
export type PrinterCall =
  { op: 'print'; html: string; options: PrintOptions } | { op: 'svgsToPng'; svgs: string[]; options: { css?: string } } | { op: 'close' };

/** The printer thread's answer to one call: its result, or the error that stopped it (name and message). */
export interface PrinterReply {
  id: number;
  result?: unknown;
  error?: { name: string; message: string };
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function revive(error: { name: string; message: string }): Error {
  const revived = error.name === 'PdfUnavailableError' ? new PdfUnavailableError('') : new Error('');
  return Object.assign(revived, { message: error.message });
}

export class PrinterThread implements DocumentPrinter {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private nextCall = 1;
  /** Every thread this printer started (a new thread has a new threadId), for tests. */
  readonly threadsStarted: number[] = [];

  constructor(private readonly executablePath: string) {}

  private start(): Worker {
    const worker = new Worker(new URL('./printerWorker.mjs', import.meta.url), {
      workerData: { compiled: import.meta.url.endsWith('.js'), executablePath: this.executablePath },
    });
    this.threadsStarted.push(worker.threadId);
    worker.unref();
    let browserPid: number | null = null;
    worker.on('message', (reply: PrinterReply | { browserPid: number }) => {
      if ('browserPid' in reply) {
        browserPid = reply.browserPid;
        return;
      }
      const call = this.waiting.get(reply.id);
      if (!call) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error) call.reject(revive(reply.error));
      else call.resolve(reply.result);
    });
    // A thread that dies fails what it was doing; the next call starts a new one.
    const lost = (error: unknown) => {
      if (this.worker !== worker) return;
      this.worker = null;
      // Its browser would outlive it (a worker's child processes belong to the process): end it here.
      if (browserPid !== null) {
        try {
          process.kill(browserPid, 'SIGKILL');
        } catch {
          // it has gone already
        }
      }
      for (const call of this.waiting.values()) call.reject(error);
      this.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The document printer thread stopped (exit code ${code}) before finishing`)));
    return worker;
  }

  private call(call: PrinterCall): Promise<unknown> {
    const worker = (this.worker ??= this.start());
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, call });
    });
  }

  async print(html: string, options: PrintOptions): Promise<Buffer> {
    return toBuffer((await this.call({ op: 'print', html, options })) as Uint8Array);
  }

  async svgToPng(svg: string, options: { css?: string } = {}): Promise<RenderedPicture> {
    return (await this.svgsToPng([svg], options))[0]!;
  }

  async svgsToPng(svgs: string[], options: { css?: string } = {}): Promise<RenderedPicture[]> {
    if (svgs.length === 0) return [];
    const drawn = (await this.call({ op: 'svgsToPng', svgs, options })) as RenderedPicture[];
    return drawn.map((p) => ({ ...p, png: toBuffer(p.png) }));
  }

  /** Closes the browser and ends the thread, if one was started. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.call({ op: 'close' });
    } catch {
      // the thread has gone already
    }
    this.worker = null;
    await worker.terminate();
  }
}
