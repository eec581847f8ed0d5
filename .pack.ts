import { chromium } from 'playwright-core';
import fs from 'node:fs';
const url = 'http://localhost:3100';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
page.setDefaultTimeout(120000);
await page.goto(`${url}/sign-in`);
await page.getByLabel('Email address').fill('admin@csphub.test');
await page.getByLabel('Password', { exact: true }).fill('demo-password-2026');
await page.getByRole('button', { name: 'Sign in', exact: true }).click();
await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
await page.goto(`${url}/partnerships/3/meetings/1`);
await page.getByRole('button', { name: 'Generate the pack as PDF' }).click();
await page.waitForLoadState('load');
console.log('after generate', page.url());
for (let i = 0; i < 60; i++) {
  await page.goto(`${url}/partnerships/3/meetings/1#pack`);
  const link = page.locator('#pack-list a').first();
  const txt = await link.textContent();
  if (txt && /KB|MB|bytes/.test(txt)) {
    const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
    await dl.saveAs('/tmp/shots/pack.pdf');
    console.log('downloaded', txt);
    break;
  }
  await page.waitForTimeout(2000);
}
await browser.close();
