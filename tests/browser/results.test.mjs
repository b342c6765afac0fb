// Results in a real browser (issue 6): the staff dashboard of the demo's periodic survey with
// its charts, data tables, filters, trends and crosstab; the author's settings (a mistake
// first, then targets and publishing); the public results page; the written answers with a
// search that ignores diacritics. Both languages, with axe-core on every state; the dashboard
// and its filter also without JavaScript, and by keyboard alone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { assertAccessible, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

/** Console noise a page may make on purpose: a form shown again with errors (422). */
const expectedNoise = (p) => p.includes('status of 422');

/** The staff address of the demo's periodic survey (the one with responses). */
async function pulse(page, lang) {
  await page.goto(`${env.base}/${lang}/staff/surveys`);
  const name = lang === 'ar' ? 'نبض الرأي العام الربعي' : 'Quarterly public opinion pulse';
  const href = await page.locator('a', { hasText: name }).first().getAttribute('href');
  assert.ok(href, 'the periodic demo survey is listed');
  return `${env.base}${href}`;
}

/** The number of records in a CSV text (RFC 4180: line ends inside quotes belong to a cell). */
function csvRecords(text) {
  let [records, quoted, empty] = [0, false, true];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (c === '\n' && !quoted) {
      if (!empty) records += 1;
      empty = true;
    } else if (c !== '\r') {
      empty = false;
    }
  }
  return empty ? records : records + 1;
}

for (const lang of ['ar', 'en']) {
  const t = (ar, en) => (lang === 'ar' ? ar : en);

  describe(`${lang} results`, () => {
    it('the dashboard shows every question with a chart, its sentence and its data', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      const survey = await pulse(page, lang);
      await page.goto(survey);
      await Promise.all([page.waitForURL(`${survey}/results`), page.click(`a[href$="/results"]`)]);
      assert.equal(await page.getAttribute('html', 'dir'), t('rtl', 'ltr'));
      const charts = page.locator('.chart[role="img"] svg');
      assert.ok(await charts.count() >= 5, 'charts for the questions and the trends');
      // Each chart is labelled by its one-sentence summary.
      const first = page.locator('h2#questions ~ section.result .chart[role="img"]').first();
      const labelled = await first.getAttribute('aria-labelledby');
      const sentence = await page.locator(`#${labelled}`).innerText();
      assert.match(sentence, t(/على مقياس/, /on a scale/));
      assert.match(await page.locator('.figures').first().innerText(), /\d/);
      // The Arabic chart runs right to left.
      assert.equal(await page.locator('.chart svg').first().getAttribute('direction'), t('rtl', 'ltr'));
      // Trends across the three waves, and a downloadable SVG.
      assert.ok(await page.locator('#trends').isVisible());
      const download = await page.locator('a[download][href*="/charts/"]').first().getAttribute('href');
      const svg = await page.request.get(`${env.base}${download}`);
      assert.equal(svg.status(), 200);
      assert.match(svg.headers()['content-type'], /image\/svg\+xml/);
      // Keyboard: the data table opens with Enter on its summary.
      await page.locator('details.data-table summary').first().focus();
      await page.keyboard.press('Enter');
      assert.ok(await page.locator('details.data-table').first().evaluate((d) => d.open));
      await assertAccessible(page, assert);
      assert.deepEqual(page.problems, []);
    });

    it('every export downloads whole by clicking its link, with the browser\'s own headers', async () => {
      const page = await newPage(env.browser, { acceptDownloads: true });
      await signIn(page, env.base, lang, env.admin);
      const survey = await pulse(page, lang);
      await page.goto(`${survey}/results`);
      const files = {};
      for (const name of ['export.csv', 'export.xlsx', 'export.json', 'codebook.csv']) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click(`.export-links a[href$="/${name}"]`),
        ]);
        assert.equal(await download.failure(), null, `${name} downloads without failing`);
        // Named by the survey's address and the UAE date, e.g. quarterly-pulse-2026-12-06-responses.csv.
        assert.match(download.suggestedFilename(), /^quarterly-pulse-\d{4}-\d{2}-\d{2}-(responses|codebook)\.(csv|xlsx|json)$/);
        files[name] = readFileSync(await download.path());
      }
      // The JSON parses and holds every response; the CSV (with its BOM) has a row for each.
      const json = JSON.parse(files['export.json'].toString('utf8'));
      const total = json.responses.length;
      assert.ok(total > 100, `the demo's responses: ${total}`);
      const csv = files['export.csv'].toString('utf8');
      assert.ok(csv.startsWith('\uFEFF'), 'the CSV starts with a BOM');
      assert.equal(csvRecords(csv), total + 1, 'a header and a row per response');
      // The XLSX opens: a zip whose sheet has a header row and a row per response.
      const zip = unzipSync(new Uint8Array(files['export.xlsx']));
      const sheet = strFromU8(zip['xl/worksheets/sheet1.xml']);
      assert.equal((sheet.match(/<row /g) ?? []).length, total + 1, 'the sheet has every response');
      assert.ok(files['codebook.csv'].toString('utf8').startsWith('\uFEFF'), 'the codebook has a BOM');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    it('filters by group and answer, and crosses two questions', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      const survey = await pulse(page, lang);
      await page.goto(`${survey}/results`);
      const all = Number((await page.locator('.figures dd').first().innerText()).trim());
      // The summary comes first, the filters folded until wanted.
      assert.ok((await page.locator('.brief').innerText()).length > 0);
      assert.equal(await page.locator('details.filters[open]').count(), 0);
      await page.click('details.filters > summary');
      await page.check('#filter-group-citizen');
      await page.selectOption('#filter-answer', 'improved=yes');
      await Promise.all([page.waitForURL(/group=citizen/), page.click('.results-filter button[type="submit"]')]);
      const some = Number((await page.locator('.figures dd').first().innerText()).trim());
      assert.ok(some > 0 && some < all, `filtered ${some} of ${all}`);
      assert.ok(await page.isChecked('#filter-group-citizen'), 'the filter is shown as applied');
      await page.selectOption('#crosstab-row', 'group');
      await page.selectOption('#crosstab-col', 'focus');
      await Promise.all([page.waitForURL(/row=group/), page.click('#crosstab ~ form button[type="submit"]')]);
      const table = page.locator('table.crosstab');
      assert.ok(await table.isVisible());
      assert.match(await table.locator('caption').innerText(), t(/حسب/, / by /));
      assert.match(await table.innerText(), /%/);
      await assertAccessible(page, assert);
      // A date that cannot be read is left out, and the page says so.
      await page.goto(`${survey}/results?from=yesterday`);
      assert.ok(await page.locator('.notice[role="status"]', { hasText: t('تعذّرت', 'could not be read') }).isVisible());
      await assertAccessible(page, assert);
    });

    it('authors set targets (a mistake first) and publish; the public page hides small counts', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      const survey = await pulse(page, lang);
      await page.goto(`${survey}/results`);
      await page.fill('#field-target_citizen', 'lots');
      await page.fill('#field-target_academic', '40');
      await Promise.all([page.waitForLoadState('load'), page.click('#settings ~ form button[type="submit"]')]);
      await page.waitForSelector('.error-summary');
      assert.equal(await page.inputValue('#field-target_citizen'), 'lots', 'what was typed is kept');
      assert.equal(await page.getAttribute('#field-target_citizen', 'aria-invalid'), 'true');
      await assertAccessible(page, assert);
      await page.fill('#field-target_citizen', '30');
      await page.check('#field-public');
      await Promise.all([page.waitForURL(/results/), page.click('#settings ~ form button[type="submit"]')]);
      await page.waitForSelector('tr.under');
      assert.match(await page.locator('.notice-warning').innerText(), t(/الأكاديمي|أكاديمي/, /Academic/));
      const href = await page.locator(`a[href^="/${lang}/results/"]`).getAttribute('href');
      const visitor = await newPage(env.browser);
      await visitor.goto(`${env.base}${href}`);
      assert.match(await visitor.locator('h1').innerText(), t(/نتائج الاستبيان/, /Survey results/));
      assert.ok(await visitor.locator('.chart svg').count() >= 4);
      assert.equal(await visitor.locator('a[href*="/text/"]').count(), 0, 'no written answers in public');
      await assertAccessible(visitor, assert);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
    });

    it('written answers are searched without regard to diacritics', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      const survey = await pulse(page, lang);
      await page.goto(`${survey}/results/text/change`);
      await page.fill('#text-search', 'الخدمات');
      await Promise.all([page.waitForURL(/search=/), page.click('form[role="search"] button')]);
      const found = await page.locator('.text-answers li').allInnerTexts();
      assert.ok(found.length > 0, 'the search finds answers written with diacritics');
      assert.ok(found.every((a) => a.includes('الخِدْمَات')));
      await assertAccessible(page, assert);
    });

    it('works without JavaScript', async () => {
      const page = await newPage(env.browser, { javaScriptEnabled: false });
      await signIn(page, env.base, lang, env.admin);
      const survey = await pulse(page, lang);
      await page.goto(`${survey}/results`);
      assert.ok(await page.locator('.chart svg').count() >= 5);
      await page.click('details.filters > summary');
      await page.selectOption('#filter-wave', '2');
      await Promise.all([page.waitForURL(/wave=2/), page.click('.results-filter button[type="submit"]')]);
      assert.equal(await page.locator('#filter-wave').inputValue(), '2');
      assert.ok(await page.locator('.chart svg').count() >= 4);
    });
  });
}

describe('ar numbers', () => {
  it('negative numbers keep their minus on the left of their digits, in text and in charts', async () => {
    const page = await newPage(env.browser);
    await signIn(page, env.base, 'ar', env.admin);
    const survey = await pulse(page, 'ar');
    // The first wave's recommendation score is negative in the demo (more detractors).
    await page.goto(`${survey}/results?wave=1`);
    await page.locator('details.data-table').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
    const found = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        // A minus that starts a number (not the dash inside a date such as 2026-03-01).
        const i = text.search(/(?<![\d\p{L}])-\d/u);
        if (i < 0) continue;
        const svgText = node.parentElement.closest('text');
        let minus;
        let digit;
        if (svgText) {
          minus = svgText.getStartPositionOfChar(i).x;
          digit = svgText.getStartPositionOfChar(i + 1).x;
        } else {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const a = range.getBoundingClientRect();
          range.setStart(node, i + 1);
          range.setEnd(node, i + 2);
          const b = range.getBoundingClientRect();
          if (a.width === 0) continue;
          [minus, digit] = [a.left, b.left];
        }
        out.push({ text, left: minus < digit, svg: Boolean(svgText) });
      }
      return out;
    });
    assert.ok(found.some((f) => !f.svg), `a negative figure is shown as text: ${JSON.stringify(found)}`);
    assert.deepEqual(found.filter((f) => !f.left), [], 'every minus is on the left');
    await assertAccessible(page, assert);
  });
});
