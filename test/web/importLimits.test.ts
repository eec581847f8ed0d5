/**
 * Imports never hold up other people's requests (issue 11), through the real app on each engine: a 6.5 KB
 * workbook with one value in A1048576, a workbook that unpacks to far more than it says or than any figures file
 * needs, a CSV of 100,000 rows, and a 47 MB partnership file that is not valid JSON are each refused with a clear
 * message, while the event loop never stalls for more than 200 ms and memory stays bounded.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { EventLoopWatch, MemoryWatch } from '../support/fuzz.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { zipOf, zipEntries } from '../support/zip.ts';

/** Runs `work` while watching the event loop and memory; the watch's timer gets one more turn before it is read. */
async function watched<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; growthMiB: number }> {
  const loop = new EventLoopWatch().start();
  const memory = new MemoryWatch().start(5);
  const result = await work();
  await new Promise((resolve) => setTimeout(resolve, 25));
  return { result, stallMs: loop.stop(), growthMiB: memory.stop() };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

for (const engine of ENGINES) {
  describe(`imports that must not hold up the server on ${engine}`, { timeout: 180_000 }, () => {
    let t: TestApp;
    let p: { id: number };
    let editor: Browser;
    let platform: Browser;
    const base = () => `/partnerships/${p.id}`;
    const figureCount = async () =>
      Number(
        (
          await t.k
            .selectFrom('figures')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Limitshire Partnership');
      await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'L1',
        title: 'Shed burglaries',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
      });
      editor = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      platform = new Browser(t.app);
      await platform.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      // The first upload starts the reader; its start-up is not what is measured.
      await editor.postFile(`${base()}/figures/upload`, 'file', {
        filename: 'warm-up.csv',
        data: Buffer.from('indicator,period,value\nL1,2019-04,x\n'),
      });
    });
    after(() => t.close());

    it('refuses a 6.5 KB workbook with one value in A1048576 quickly, naming the row', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Figures');
      ws.addRow(['indicator', 'period', 'value']);
      ws.getCell('A1048576').value = 'L1';
      const data = Buffer.from(await wb.xlsx.writeBuffer());
      assert.ok(data.length < 8_000, `${data.length} bytes`);
      const send = await editor.prepareFile(`${base()}/figures/upload`, 'file', { filename: 'far.xlsx', data, type: XLSX });
      const { result: res, stallMs, growthMiB } = await watched(send);
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 1048576, column &quot;period&quot;: Enter the period/);
      assert.ok(stallMs < 200, `the event loop stalled for ${stallMs} ms`);
      assert.ok(growthMiB < 150, `memory grew by ${growthMiB} MiB`);
      assert.equal(await figureCount(), 0);
    });

    it('refuses a workbook that unpacks to more than it says, or to more than a figures file could need, before unpacking it', async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('Figures').addRow(['indicator', 'period', 'value']);
      const good = zipEntries(Buffer.from(await wb.xlsx.writeBuffer()));
      // 40 MB of spaces inside the sheet: a zip bomb of about 40 KB.
      const sheet = good.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
      const bomb = Buffer.concat([
        sheet.data.subarray(0, sheet.data.indexOf('<sheetData>')),
        Buffer.alloc(40 * 1024 * 1024, ' '),
        sheet.data.subarray(sheet.data.indexOf('<sheetData>')),
      ]);
      const honest = zipOf(good.map((e) => (e === sheet ? { name: e.name, data: bomb } : e)));
      const lying = zipOf(good.map((e) => (e === sheet ? { name: e.name, data: bomb, declaredSize: 2_000 } : e)));
      assert.ok(honest.length < 2_000_000, `${honest.length} bytes`);
      for (const [name, data, message] of [
        ['honest.xlsx', honest, /would unpack to 40\.\d MB: the largest workbook CSP Hub reads unpacks to 20 MB/],
        ['lying.xlsx', lying, /is damaged: xl\/worksheets\/sheet1\.xml unpacks to more than the 2,000 bytes the file says/],
      ] as const) {
        const send = await editor.prepareFile(`${base()}/figures/upload`, 'file', { filename: name, data, type: XLSX });
        const { result: res, stallMs, growthMiB } = await watched(send);
        assert.equal(res.status, 400, name);
        assert.match(res.body, message, name);
        assert.ok(stallMs < 200, `${name}: the event loop stalled for ${stallMs} ms`);
        assert.ok(growthMiB < 150, `${name}: memory grew by ${growthMiB} MiB`);
      }
      assert.equal(await figureCount(), 0);
    });

    it('refuses a CSV of 100,000 rows with a clear message, without stalling', async () => {
      const lines = ['indicator,period,value'];
      for (let i = 0; i < 100_000; i++) lines.push(`L1,2019-04,${i}`);
      const send = await editor.prepareFile(`${base()}/figures/upload`, 'file', {
        filename: 'many.csv',
        data: Buffer.from(lines.join('\n')),
      });
      const { result: res, stallMs } = await watched(send);
      assert.equal(res.status, 400);
      assert.match(res.body, /many\.csv has more than 10,000 rows of figures: upload them in files of up to 10,000 rows/);
      assert.ok(stallMs < 200, `the event loop stalled for ${stallMs} ms`);
      // Columns: empty ones beyond the fiftieth (Excel's trailing commas) are ignored, anything in one is refused.
      const wide = `indicator,period,value${','.repeat(80)}\nL1,2019-04,5${','.repeat(59)}x\n`;
      const res2 = await editor.postFile(`${base()}/figures/upload`, 'file', { filename: 'wide.csv', data: Buffer.from(wide) });
      assert.equal(res2.status, 400);
      assert.match(res2.body, /Row 2: wide\.csv has something in column 62, beyond the 50 columns CSP Hub reads/);
      assert.equal(
        (
          await editor.postFile(`${base()}/figures/upload`, 'file', {
            filename: 'trailing.csv',
            data: Buffer.from(`indicator,period,value${','.repeat(80)}\nL1,2019-04,5${','.repeat(80)}\n`),
          })
        ).status,
        303,
      );
      await t.k.deleteFrom('figures').execute();
      assert.equal(await figureCount(), 0);
    });

    it('refuses a 47 MB file that is not valid JSON with where it goes wrong, without stalling', async () => {
      // Rows enough for 47 MB, then a stray word: V8 says "Unexpected token" without a position for it.
      const row = '{"id":1,"partnership_id":1,"action":"create","summary":"A row of padding for the size of the file"},\n';
      const count = Math.ceil((46.7 * 1024 * 1024) / row.length);
      const text = `{"format":"csphub-partnership","formatVersion":1,"exportedAt":"2024-04-01T09:30:00.000Z","tables":{"audit_events":[\n${row.repeat(count)}oops]}}`;
      const data = Buffer.from(text);
      const send = await platform.prepareFile('/admin/partnerships/import', 'file', {
        filename: 'big.json',
        data,
        type: 'application/json',
      });
      const { result: res, stallMs, growthMiB } = await watched(send);
      assert.equal(res.status, 400);
      assert.match(res.body, new RegExp(`The file is not valid JSON: Unexpected token .* at line ${count + 2}, column 1`));
      assert.ok(stallMs < 200, `the event loop stalled for ${stallMs} ms`);
      assert.ok(growthMiB < 600, `memory grew by ${growthMiB} MiB`);
    });

    it('refuses a partnership file over the size limit with a clear message', async () => {
      const data = Buffer.alloc(51 * 1024 * 1024, ' ');
      const res = await platform.postFile('/admin/partnerships/import', 'file', { filename: 'huge.json', data, type: 'application/json' });
      assert.equal(res.status, 413);
      assert.match(
        res.body,
        /The file is larger than 50 MB: the largest partnership file this CSP Hub imports is 50 MB\. An administrator of the server can raise it with the IMPORT_LIMIT_MB setting/,
      );
    });
  });
}
