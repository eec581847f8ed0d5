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
import { CallThread } from '../threads/callThread.ts';
import { PdfUnavailableError, type DocumentPrinter, type PrintOptions, type RenderedPicture } from './pdfPrinter.ts';

/** What the main thread asks of the printer thread. */
export type PrinterCall =
  { op: 'print'; html: string; options: PrintOptions } | { op: 'svgsToPng'; svgs: string[]; options: { css?: string } } | { op: 'close' };

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The error a call failed with, from its name and message (PdfUnavailableError comes back as itself). */
function revive(error: unknown): Error {
  const { name, message } = error as { name: string; message: string };
  return Object.assign(name === 'PdfUnavailableError' ? new PdfUnavailableError('') : new Error(''), { message });
}

export class PrinterThread implements DocumentPrinter {
  private thread: CallThread | null = null;
  /** Every thread this printer started (a new thread has a new threadId), for tests. */
  readonly threadsStarted: number[] = [];

  constructor(private readonly executablePath: string) {}

  private start(): CallThread {
    let browserPid: number | null = null;
    const thread: CallThread = new CallThread(new URL('./printerWorker.mjs', import.meta.url), {
      name: 'The document printer thread',
      workerData: { compiled: import.meta.url.endsWith('.js'), executablePath: this.executablePath },
      revive,
      onOther: (message) => {
        browserPid = (message as { browserPid: number }).browserPid;
      },
      // A thread that dies fails what it was doing (CallThread); its browser would outlive it, as a worker's child
      // processes belong to the process, so it is ended here. The next call starts a new thread.
      onLost: () => {
        if (this.thread !== thread) return;
        this.thread = null;
        if (browserPid === null) return;
        try {
          process.kill(browserPid, 'SIGKILL');
        } catch {
          // it has gone already
        }
      },
    });
    this.threadsStarted.push(thread.worker.threadId);
    return thread;
  }

  private call(call: PrinterCall): Promise<unknown> {
    return (this.thread ??= this.start()).call(call);
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
    const thread = this.thread;
    if (!thread) return;
    try {
      await thread.call({ op: 'close' });
    } catch {
      // the thread has gone already
    }
    this.thread = null;
    await thread.terminate();
  }
}
