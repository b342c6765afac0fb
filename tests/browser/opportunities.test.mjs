// Participation opportunities in a real browser: staff add one (a mistake first, shown with
// everything typed) and change it; the public catalogue, its filters, the detail page and the
// home page show it. Both languages, with axe-core on every state; filtering and adding also
// without JavaScript.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

/** Console noise a page may make on purpose: a form shown again with errors (422). */
const expectedNoise = (p) => p.includes('status of 422');

const form = 'form.opportunity-form';

/** Fills the staff form; `values` names fields by their name attribute. */
async function fillOpportunity(page, values) {
  if (values.kind) await page.check(`#kind-${values.kind}`);
  for (const name of ['title_ar', 'title_en', 'summary_ar', 'summary_en', 'body_en', 'starts_at', 'ends_at', 'location', 'link']) {
    if (values[name] !== undefined) await page.fill(`#field-${name}`, values[name]);
  }
  if (values.topic) await page.selectOption('#field-topic', values.topic);
  for (const group of values.groups ?? []) await page.check(`#groups-${group}`);
  if (values.published) await page.check('#field-published');
}

async function submit(page) {
  await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type="submit"]`)]);
}

for (const lang of ['ar', 'en']) {
  describe(`${lang} opportunities`, () => {
    const title = `Youth consultation ${lang}`;
    const arabicTitle = `استشارة الشباب ${lang}`;
    const shown = lang === 'ar' ? arabicTitle : title;
    const workshop = lang === 'ar' ? `ورشة التعليم ${lang}` : `Education workshop ${lang}`;

    it('staff add an opportunity, seeing a mistake first, and change it', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await page.click(`a[href="/${lang}/staff/opportunities"]`);
      await page.waitForURL(`${env.base}/${lang}/staff/opportunities`);
      await hydrated(page);
      await assertAccessible(page, assert);
      await fillOpportunity(page, {
        kind: 'consultation', title_ar: arabicTitle, summary_en: 'Tell us what young people need',
        topic: 'health', groups: ['ngo', 'citizen'], starts_at: '2020-01-02T09:00', ends_at: '2020-01-01T09:00',
        link: 'not a link',
      });
      await submit(page);
      await page.waitForSelector('.error-summary');
      assert.ok((await page.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Error:'));
      assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
      assert.equal(await page.inputValue('#field-title_ar'), arabicTitle, 'what was typed is kept');
      assert.ok(await page.isChecked('#groups-ngo'));
      assert.ok(await page.isChecked('#kind-consultation'));
      assert.equal(await page.getAttribute('#field-title_en', 'aria-invalid'), 'true');
      assert.equal(await page.locator('.error-summary li').count(), 3);
      await hydrated(page);
      await assertAccessible(page, assert);
      await fillOpportunity(page, { title_en: title, ends_at: '2099-12-31T23:00', link: 'https://example.gov/youth', published: true });
      await submit(page);
      await page.waitForURL(`${env.base}/${lang}/staff/opportunities?created=1`);
      await page.waitForSelector(`td a:has-text("${shown}")`);
      await hydrated(page);
      await assertAccessible(page, assert);
      // A second one, upcoming, to filter by.
      await fillOpportunity(page, {
        kind: 'workshop', title_ar: workshop, title_en: workshop, topic: 'education',
        starts_at: '2099-01-01T09:00', ends_at: '2099-01-01T12:00', location: 'Hall 3', published: true,
      });
      await submit(page);
      await page.waitForURL(`${env.base}/${lang}/staff/opportunities?created=1`);
      // Change the first: the form holds what is stored.
      await Promise.all([page.waitForURL(/\/staff\/opportunities\/[0-9a-f-]{36}$/), page.click(`td a:has-text("${shown}")`)]);
      await hydrated(page);
      assert.equal(await page.inputValue('#field-link'), 'https://example.gov/youth');
      assert.equal(await page.inputValue('#field-ends_at'), '2099-12-31T23:00');
      await assertAccessible(page, assert);
      await page.fill('#field-summary_ar', 'أخبرونا بما يحتاجه الشباب');
      await submit(page);
      await page.waitForURL(/\?saved=1$/);
      await page.waitForSelector('.notice');
      await assertAccessible(page, assert);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });

    it('the catalogue lists, filters and links to each opportunity', async () => {
      const page = await newPage(env.browser);
      await page.goto(`${env.base}/${lang}`);
      await hydrated(page);
      // The demo's open opportunities close sooner than this test's (2099), so they are featured.
      await page.waitForSelector('#featured-title ~ ul a');
      const featured = await page.locator('#featured-title ~ ul a').count();
      assert.ok(featured >= 1 && featured <= 3, `featured: ${featured}`);
      assert.equal(await page.locator(`#featured-title ~ ul a:has-text("${shown}")`).count(), 0, 'the latest deadline is not among the first three');
      assert.equal(await page.locator(`#featured-title ~ ul a:has-text("${workshop}")`).count(), 0, 'upcoming ones are not featured');
      await assertAccessible(page, assert);
      await page.click(`nav a[href="/${lang}/opportunities"]`);
      await page.waitForURL(`${env.base}/${lang}/opportunities`);
      await hydrated(page);
      assert.ok(await page.isVisible(`a:has-text("${shown}")`));
      assert.ok(await page.isVisible(`a:has-text("${workshop}")`));
      assert.equal(await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), `/${lang}/opportunities/feed.atom`);
      await assertAccessible(page, assert);
      await page.selectOption('#filter-topic', 'education');
      await page.selectOption('#filter-status', 'upcoming');
      await Promise.all([page.waitForURL(/topic=education/), page.click('form.filter-form button[type="submit"]')]);
      await hydrated(page);
      assert.ok(page.url().includes('status=upcoming'), 'the filtered view is a shareable address');
      assert.ok(await page.isVisible(`a:has-text("${workshop}")`));
      assert.equal(await page.locator(`a:has-text("${shown}")`).count(), 0);
      assert.equal(await page.inputValue('#filter-topic'), 'education');
      await assertAccessible(page, assert);
      await Promise.all([page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/), page.click(`a:has-text("${workshop}")`)]);
      await page.waitForSelector('h1');
      assert.equal((await page.locator('h1').textContent()).trim(), workshop);
      assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), workshop);
      assert.equal(await page.locator('meta[property="og:locale"]').getAttribute('content'), lang === 'ar' ? 'ar_AR' : 'en_US');
      // Typed as 09:00 UAE time, shown as 09:00 UAE time (stored as 05:00 UTC).
      assert.equal(await page.locator('time').first().getAttribute('datetime'), '2099-01-01T09:00:00+04:00');
      assert.match(await page.locator('time').first().innerText(), lang === 'ar' ? /09:00 بتوقيت الإمارات/ : /09:00 UAE time/);
      await hydrated(page);
      await assertAccessible(page, assert);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  });
}

describe('opportunities without JavaScript', () => {
  it('adding an opportunity and filtering the catalogue work as plain forms', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await signIn(page, env.base, 'en', env.admin);
    await page.goto(`${env.base}/en/staff/opportunities`);
    const title = 'Open day without script';
    await fillOpportunity(page, { kind: 'event', title_en: title, topic: 'culture', groups: ['academic'] });
    await submit(page);
    await page.waitForSelector('.error-summary');
    assert.equal(await page.inputValue('#field-title_en'), title);
    assert.ok(await page.isChecked('#groups-academic'));
    // Published, an event needs a place or a link: a way to take part.
    await fillOpportunity(page, { title_ar: 'يوم مفتوح', published: true });
    await submit(page);
    await page.waitForSelector('.error-summary a[href="#field-location"]');
    assert.equal(await page.inputValue('#field-title_ar'), 'يوم مفتوح');
    await fillOpportunity(page, { location: 'Sharjah, the cultural centre' });
    await submit(page);
    await page.waitForURL(`${env.base}/en/staff/opportunities?created=1`);
    await page.goto(`${env.base}/en/opportunities`);
    await page.selectOption('#filter-topic', 'culture');
    await page.selectOption('#filter-group', 'academic');
    await Promise.all([page.waitForURL(/topic=culture&group=academic/), page.click('form.filter-form button[type="submit"]')]);
    assert.ok(await page.isVisible(`a:has-text("${title}")`));
    assert.equal(await page.locator('a:has-text("Youth consultation")').count(), 0);
    await Promise.all([page.waitForURL(/\/en\/opportunities\/[0-9a-f-]{36}$/), page.click(`a:has-text("${title}")`)]);
    assert.equal((await page.locator('h1').textContent()).trim(), title);
    await page.context().close();
  });
});
