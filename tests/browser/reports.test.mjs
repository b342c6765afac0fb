// Impact-review reports in a real browser: an administrator opens the reports page from the
// staff home, gets the errors for a bad period (with what was typed kept), makes the report
// over the demo content, downloads it as a PDF and an HTML file; on a phone nothing scrolls
// sideways; without JavaScript the GET form works the same. Both languages; axe-core on every
// state. Screenshots in Arabic at desktop and phone widths land in the temporary folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const today = new Date().toISOString().slice(0, 10);
const words = {
  ar: { who: 'من شارك', error: 'أدخل اليوم الأول من الفترة' },
  en: { who: 'Who took part', error: 'Enter the first day of the period' },
};

for (const lang of ['ar', 'en']) {
  describe(`${lang} impact reports`, () => {
    it('makes the report, says what is wrong with a period, and downloads it', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await page.click(`a[href="/${lang}/staff/reports"]`);
      await page.waitForURL(`${env.base}/${lang}/staff/reports`);
      await hydrated(page);
      await assertAccessible(page, assert);
      // A missing first day is named, and the last day typed is kept.
      await page.fill('#field-from', '');
      await page.fill('#field-to', today);
      await Promise.all([page.waitForLoadState('load'), page.click('form.filter-form button[type="submit"]')]);
      await page.waitForSelector('.error-summary');
      assert.ok((await page.textContent('.error-summary')).includes(words[lang].error));
      assert.equal(await page.inputValue('#field-to'), today);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-from', '2020-01-01');
      await Promise.all([page.waitForLoadState('load'), page.click('form.filter-form button[type="submit"]')]);
      await page.waitForSelector('article.report');
      assert.ok((await page.textContent('article.report')).includes(words[lang].who));
      assert.ok(await page.locator('article.report .chart svg').count() >= 2, 'charts drawn');
      await hydrated(page);
      await assertAccessible(page, assert);
      if (lang === 'ar') await page.screenshot({ path: join(tmpdir(), 'sharek-report-ar-desktop.png'), fullPage: true });
      // The downloads.
      const pdfHref = await page.getAttribute('a[href*="/impact.pdf"]', 'href');
      const pdf = await page.request.get(`${env.base}${pdfHref}`);
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF');
      const htmlHref = await page.getAttribute('a[href*="/impact.html"]', 'href');
      const html = await page.request.get(`${env.base}${htmlHref}`);
      assert.equal(html.status(), 200);
      assert.match(html.headers()['content-disposition'], /^attachment/);
      assert.ok((await html.text()).includes(words[lang].who));
      assert.deepEqual(page.problems, []);
      // On a phone, nothing but the charts' own boxes scrolls sideways.
      const cookies = await page.context().cookies();
      const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
      await phone.context().addCookies(cookies);
      await phone.goto(page.url());
      await hydrated(phone);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page is ${width} px wide on a 390 px phone`);
      await assertAccessible(phone, assert);
      if (lang === 'ar') await phone.screenshot({ path: join(tmpdir(), 'sharek-report-ar-phone.png'), fullPage: true });
      await phone.context().close();
      await page.context().close();
    });
  });
}

describe('impact reports without JavaScript', () => {
  it('the period form and the report work as a plain GET form', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await signIn(page, env.base, 'en', env.admin);
    await page.goto(`${env.base}/en/staff/reports`);
    await page.fill('#field-from', '2020-01-01');
    await page.fill('#field-to', today);
    await Promise.all([page.waitForLoadState('load'), page.click('form.filter-form button[type="submit"]')]);
    await page.waitForSelector('article.report');
    assert.ok((await page.textContent('article.report')).includes('Who took part'));
    await page.context().close();
  });
});

// Periodic reports: the demo schedules a quarterly report at the start of the last quarter,
// and the server makes that quarter's report a few seconds after it starts (its real
// scheduler loop). An administrator reads the schedule and the archive, downloads the
// archived PDF, gets a translated error for a bad address with the text kept, schedules a
// monthly report and stops it. Both languages (the second sees the first's work), axe on
// every state, a phone width; without JavaScript the forms post the same.
const periodicWords = {
  ar: { bad: 'أدخل عناوين بريد إلكتروني', scheduled: 'جُدول التقرير', stopped: 'أُوقفت الجدولة' },
  en: { bad: 'Enter email addresses such as', scheduled: 'The report is scheduled', stopped: 'The schedule is stopped' },
};

/// Reloads until the archive lists a report (the server's first look is 5 s after it starts).
async function archiveListed(page) {
  for (let i = 0; i < 60; i++) {
    if (await page.locator('a[href$="/pdf"]').count() > 0) return;
    await page.waitForTimeout(1000);
    await page.reload();
  }
  throw new Error('no archived report appeared within a minute');
}

for (const lang of ['ar', 'en']) {
  describe(`${lang} periodic reports`, () => {
    it('lists the schedule and the archive, schedules and stops a report', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await page.goto(`${env.base}/${lang}/staff/reports`);
      await page.click(`a[href="/${lang}/staff/reports/periodic"]`);
      await page.waitForURL(`${env.base}/${lang}/staff/reports/periodic`);
      await archiveListed(page);
      await hydrated(page);
      assert.ok((await page.textContent('main')).includes('impact-reports@ministry.example'));
      await assertAccessible(page, assert);
      if (lang === 'ar') await page.screenshot({ path: join(tmpdir(), 'sharek-periodic-ar-desktop.png'), fullPage: true });
      const pdf = await page.request.get(`${env.base}${await page.getAttribute('a[href$="/pdf"]', 'href')}`);
      assert.equal(pdf.status(), 200);
      assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF');

      // A bad address: named, with what was typed kept.
      await page.check('input[name="cadence"][value="month"]');
      await page.fill('#field-recipients', 'board@ministry.ae\nboard');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/periodic"] button[type="submit"]')]);
      await page.waitForSelector('.error-summary');
      assert.ok((await page.textContent('.error-summary')).includes(periodicWords[lang].bad));
      assert.equal(await page.inputValue('#field-recipients'), 'board@ministry.ae\nboard');
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-recipients', 'board@ministry.ae');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/periodic"] button[type="submit"]')]);
      await page.waitForSelector('[role="status"]');
      assert.ok((await page.textContent('[role="status"]')).includes(periodicWords[lang].scheduled));
      assert.ok((await page.textContent('main')).includes('board@ministry.ae'));
      await hydrated(page);
      await assertAccessible(page, assert);

      // On a phone, nothing scrolls sideways but the tables' own boxes.
      const cookies = await page.context().cookies();
      const phone = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
      await phone.context().addCookies(cookies);
      await phone.goto(`${env.base}/${lang}/staff/reports/periodic`);
      await hydrated(phone);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page is ${width} px wide on a 390 px phone`);
      await assertAccessible(phone, assert);
      if (lang === 'ar') await phone.screenshot({ path: join(tmpdir(), 'sharek-periodic-ar-phone.png'), fullPage: true });
      await phone.context().close();

      // Stopping the new schedule (its row names board@ministry.ae).
      const row = page.locator('li.card', { hasText: 'board@ministry.ae' });
      await Promise.all([page.waitForLoadState('load'), row.locator('button[type="submit"]').click()]);
      await page.waitForSelector('[role="status"]');
      assert.ok((await page.textContent('[role="status"]')).includes(periodicWords[lang].stopped));
      assert.equal(await page.locator('li.card', { hasText: 'board@ministry.ae' }).count(), 0);
      // The one 422 is the form shown again with the bad address, on purpose.
      assert.deepEqual(page.problems.filter((p) => !p.includes('status of 422')), []);
      await page.context().close();
    });
  });
}

describe('periodic reports without JavaScript', () => {
  it('schedules and stops a report with plain forms', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await signIn(page, env.base, 'en', env.admin);
    await page.goto(`${env.base}/en/staff/reports/periodic`);
    await page.check('input[name="cadence"][value="year"]');
    await page.check('input[name="lang"][value="ar"]');
    await page.fill('#field-recipients', 'council@gov.ae');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/periodic"] button[type="submit"]')]);
    assert.ok((await page.textContent('[role="status"]')).includes('The report is scheduled'));
    const row = page.locator('li.card', { hasText: 'council@gov.ae' });
    await Promise.all([page.waitForLoadState('load'), row.locator('button[type="submit"]').click()]);
    assert.ok((await page.textContent('[role="status"]')).includes('The schedule is stopped'));
    await page.context().close();
  });
});
