/**
 * The app's document printer runs Chromium from a worker thread of its own (issue 19: on the main thread, a Board
 * pack's chart round trips waited behind every request in flight). Through the thread it must give exactly what the
 * in-process PdfPrinter gives, say "not available" in the same way, end its browser when closed, and survive its
 * thread dying: the call in flight fails with a clear error, and the next call starts a new thread.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PdfPrinter, PdfUnavailableError } from '../../src/adapters/chromium/pdfPrinter.ts';
import { PrinterThread } from '../../src/adapters/chromium/printerThread.ts';
import { CHROMIUM } from '../support/browser.ts';

const chart = (n: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${200 + n * 10}" height="100" role="img" aria-label="Chart ${n}"><rect width="${20 * n}" height="80" fill="#1d70b8"/><text x="10" y="95" font-size="12">Quarter ${n}</text></svg>`;
const page = `<!DOCTYPE html><html lang="en-GB"><head><title>Printer thread</title></head><body><h1>Rutland Community Safety Partnership</h1><p>Board pack, quarter 2</p></body></html>`;

/**
 * Chromium processes running whose parent is this test process (the printers' browsers). A browser ended after its
 * thread died stays a zombie until this process exits (nothing is left to reap it), holding no memory: not counted.
 */
const browsersOfThisProcess = () =>
  execFileSync('ps', ['-o', 'stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /chrom/i.test(line) && !line.trim().startsWith('Z')).length;

const inProcess = new PdfPrinter(CHROMIUM);
const threaded = new PrinterThread(CHROMIUM);
after(async () => {
  await inProcess.close();
  await threaded.close();
});

describe('the document printer thread', () => {
  it('draws the same pictures as the printer in the app process, on a thread of its own', async () => {
    const svgs = [1, 2, 3].map(chart);
    const [mine, theirs] = await Promise.all([threaded.svgsToPng(svgs), inProcess.svgsToPng(svgs)]);
    assert.equal(mine.length, 3);
    mine.forEach((p, i) => {
      assert.ok(Buffer.isBuffer(p.png));
      assert.equal(p.width, 200 + (i + 1) * 10);
      assert.equal(p.height, 100);
      assert.ok(p.png.equals(theirs[i]!.png), `picture ${i + 1} is byte for byte the same`);
    });
    assert.equal(threaded.threadsStarted.length, 1);
    assert.notEqual(threaded.threadsStarted[0], 0, 'not the main thread');
  });

  it('prints a PDF with the page text in it', async () => {
    const pdf = await threaded.print(page, { header: 'Board pack', footer: 'Rutland' });
    assert.ok(Buffer.isBuffer(pdf));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.length > 1000);
  });

  it('ends its browser when closed, and starts again on the next call', async () => {
    assert.ok(browsersOfThisProcess() >= 1, 'a browser is running for the printers');
    await inProcess.close();
    await threaded.close();
    assert.equal(browsersOfThisProcess(), 0, 'no browser is left running');
    const [picture] = await threaded.svgsToPng([chart(4)]);
    assert.equal(picture!.width, 240);
    assert.equal(threaded.threadsStarted.length, 2);
  });

  it('says PDF documents are not available when Chromium is missing, as the in-process printer does', async () => {
    const missing = new PrinterThread('/nonexistent/chromium');
    try {
      const error = await missing.print(page, { header: '', footer: '' }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof PdfUnavailableError);
      const direct = await new PdfPrinter('/nonexistent/chromium').print(page, { header: '', footer: '' }).catch((e: unknown) => e);
      assert.equal(error.message, (direct as Error).message);
    } finally {
      await missing.close();
    }
  });

  it('fails the call in flight when its thread dies, and the next call starts a new thread', async () => {
    const printer = new PrinterThread(CHROMIUM);
    try {
      await printer.svgsToPng([chart(1)]);
      const inFlight = printer.svgsToPng([1, 2, 3, 4, 5, 6].map(chart));
      // The thread stopped from outside, as a crash would: what it was doing fails, nothing hangs.
      await (printer as unknown as { thread: { terminate(): Promise<void> } }).thread.terminate();
      await assert.rejects(inFlight, /document printer thread stopped/);
      const [again] = await printer.svgsToPng([chart(2)]);
      assert.equal(again!.width, 220);
      assert.equal(printer.threadsStarted.length, 2);
      // The dead thread's browser goes with it (its pipe closed): this printer's new one and the other printer's remain.
      const deadline = Date.now() + 10_000;
      while (browsersOfThisProcess() > 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(browsersOfThisProcess(), 2);
    } finally {
      await printer.close();
    }
  });
});
