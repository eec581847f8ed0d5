/**
 * The Chromium adapter: documents (src/presentation/documents) and the routes that send them depend on the small
 * `DocumentPrinter` interface (print HTML to PDF, draw an SVG picture as PNG, close), which isolates the browser and
 * playwright-core. `PdfPrinter` implements it with Debian's Chromium: one browser per app, launched on first use and
 * closed when the app closes; each document gets its own short-lived page. When Chromium cannot be started (not
 * installed, or playwright-core missing), printing fails with PdfUnavailableError, which pages turn into a clear
 * "PDF documents are not available" message rather than a crash.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';

export class PdfUnavailableError extends Error {
  constructor(why: string) {
    super(`PDF documents are not available on this server: ${why}`);
    this.name = 'PdfUnavailableError';
  }
}

export interface PrintOptions {
  /** Text of the running header, top right of every page. */
  header: string;
  /** Text of the footer, bottom left of every page, beside the page number. */
  footer: string;
}

/** A picture drawn as PNG, with its size in CSS pixels (96 to the inch). */
export interface RenderedPicture {
  png: Buffer;
  width: number;
  height: number;
}

/** Draws SVG pictures as PNG: the PdfPrinter, or a stand-in in tests. */
export interface PictureRenderer {
  /** `css` is added to the page the picture is drawn on: the documents' embedded typeface, so text in it is set the same everywhere. */
  svgToPng(svg: string, options?: { css?: string }): Promise<RenderedPicture>;
  /**
   * Draws several pictures on one page, in order: one browser context and one load of `css` (the typeface) for all of
   * a document's figures. Their ids must be distinct, as they are within one document.
   */
  svgsToPng(svgs: string[], options?: { css?: string }): Promise<RenderedPicture[]>;
}

/** What documents need of a printer; PdfPrinter is the one the app uses. */
export interface DocumentPrinter extends PictureRenderer {
  /** Prints a self-contained HTML page to an A4 PDF with a running header and page numbers. */
  print(html: string, options: PrintOptions): Promise<Buffer>;
  /** Stops the browser, if one was started (when the app closes). */
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/**
 * The page's own upright regular @font-face rules (fonts inlined as data URIs), for the running header and footer:
 * Chromium draws those as documents of their own that do not see the page's web fonts, so without them the page
 * furniture would be set in whatever sans-serif the host has (issue 13).
 */
function furnitureFonts(html: string): string {
  const rules = html.match(/@font-face\s*\{[^}]*\}/g) ?? [];
  return rules.filter((rule) => /font-weight:\s*400\b/.test(rule) && !/font-style:\s*italic/.test(rule)).join('\n');
}

const STYLE =
  'font-family: "Noto Sans", sans-serif; font-size: 8pt; color: #505a5f; width: 100%; margin: 0 18mm; display: flex; justify-content: space-between;';

export class PdfPrinter implements DocumentPrinter {
  private browser: Promise<Browser> | null = null;

  /**
   * `onLaunched` is told the browser's process id each time it starts: PrinterThread ends that process itself if its
   * thread dies, as a worker thread's child processes outlive it.
   */
  constructor(
    private readonly executablePath: string,
    private readonly onLaunched?: (pid: number) => void,
  ) {}

  private async launch(): Promise<Browser> {
    if (!fs.existsSync(this.executablePath))
      throw new PdfUnavailableError(`Chromium is not installed at ${this.executablePath} (set CHROMIUM_PATH)`);
    let chromium: typeof import('playwright-core').chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new PdfUnavailableError('the playwright-core package is not installed');
    }
    try {
      const browser = await chromium.launch({
        executablePath: this.executablePath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
      });
      browser.on('disconnected', () => {
        this.browser = null;
      });
      if (this.onLaunched) {
        const session = await browser.newBrowserCDPSession();
        const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
        await session.detach();
        const pid = processInfo.find((p) => p.type === 'browser')?.id;
        if (pid) this.onLaunched(pid);
      }
      return browser;
    } catch (e) {
      throw new PdfUnavailableError(
        `Chromium at ${this.executablePath} did not start (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
      );
    }
  }

  private getBrowser(): Promise<Browser> {
    if (!this.browser) {
      this.browser = this.launch();
      // A failed launch is retried on the next document, not remembered.
      this.browser.catch(() => {
        this.browser = null;
      });
    }
    return this.browser;
  }

  /**
   * Prints a self-contained HTML page (no external resources) to an A4 PDF with a running header and page numbers.
   * The PDF is tagged (its structure, headings, tables and lists, and the pictures' text alternatives are there for
   * screen readers) and has a bookmark outline of its headings; its title and language come from the page's <title>
   * and <html lang>.
   */
  async print(html: string, options: PrintOptions): Promise<Buffer> {
    const browser = await this.getBrowser();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      const fonts = `<style>${furnitureFonts(html)}</style>`;
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        tagged: true,
        outline: true,
        margin: { top: '22mm', bottom: '20mm', left: '18mm', right: '18mm' },
        headerTemplate: `${fonts}<div style='${STYLE}'><span></span><span>${escapeHtml(options.header)}</span></div>`,
        footerTemplate: `${fonts}<div style='${STYLE}'><span>${escapeHtml(options.footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      });
    } finally {
      await context.close();
    }
  }

  /**
   * Draws an SVG picture (the governance diagram) as a PNG at twice its size, for documents that cannot hold the SVG
   * itself (the DOCX). Returns the PNG and the picture's size in CSS pixels.
   */
  async svgToPng(svg: string, options: { css?: string } = {}): Promise<RenderedPicture> {
    return (await this.svgsToPng([svg], options))[0]!;
  }

  async svgsToPng(svgs: string[], options: { css?: string } = {}): Promise<RenderedPicture[]> {
    if (svgs.length === 0) return [];
    const browser = await this.getBrowser();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true, deviceScaleFactor: 2 });
    try {
      const page = await context.newPage();
      await page.setContent(
        `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><style>${options.css ?? ''}\nhtml, body { margin: 0; background: #ffffff; } svg { display: block; } body > div { width: max-content; }</style></head><body>${svgs.map((svg) => `<div>${svg}</div>`).join('')}</body></html>`,
        { waitUntil: 'load' },
      );
      // Every picture's box in one call, then one screenshot of each box: the same pixels as an element screenshot,
      // without its per-picture waits (visible, stable, scrolled into view), each a round trip to Chromium that the
      // app's event loop answers between requests. Under load (issue 19's soak) those waits made a Board pack's
      // twenty charts take minutes.
      const boxes = await page.$$eval('body > div', (divs) =>
        divs.map((div) => {
          const r = div.querySelector('svg')?.getBoundingClientRect();
          return r ? { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height } : null;
        }),
      );
      const out: RenderedPicture[] = [];
      for (let i = 0; i < svgs.length; i += 1) {
        const box = boxes[i];
        if (!box || box.width < 1 || box.height < 1) throw new Error('The picture has no size');
        const png = await page.screenshot({ type: 'png', fullPage: true, clip: box });
        out.push({ png, width: Math.round(box.width), height: Math.round(box.height) });
      }
      return out;
    } finally {
      await context.close();
    }
  }

  /** Closes the browser, if one was started. */
  async close(): Promise<void> {
    const pending = this.browser;
    this.browser = null;
    if (!pending) return;
    try {
      await (await pending).close();
    } catch {
      // it never started, or has gone already
    }
  }
}
