import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3999';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
await page.goto(`${base}/en/login`);
await page.fill('#field-email', 'admin@sharek.example');
await page.fill('#field-password', process.argv[2]);
await page.click('button[type=submit]');
await page.waitForLoadState('load');
const url = process.argv[3];
await page.goto(url);
const h = await page.evaluate(() => document.body.scrollHeight);
console.log('height', h);
const n = Number(process.argv[4] || 4);
for (let i = 0; i < n; i++) {
  await page.evaluate((y) => window.scrollTo(0, y), i * 1400);
  await page.screenshot({ path: `/tmp/x/shot-${i}.png` });
}
await browser.close();
