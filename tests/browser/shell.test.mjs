// The bilingual shell in a real browser: every page in both languages, with and without
// JavaScript, by keyboard, and with axe-core finding no violations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, hydrated, newPage, start } from './harness.mjs';

const PAGES = ['', '/policy', '/accessibility', '/no-such-page'];
let env;

before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

for (const lang of ['ar', 'en']) {
  describe(`${lang} pages with JavaScript`, () => {
    for (const path of PAGES) {
      it(`${lang}${path || ' home'} hydrates, has no axe violations and no console errors`, async () => {
        const page = await newPage(env.browser);
        const response = await page.goto(`${env.base}/${lang}${path}`);
        assert.equal(response.status(), path === '/no-such-page' ? 404 : 200);
        await hydrated(page);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
        assert.ok((await page.title()).length > 0, 'the page has a title');
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
        // A 404 page reports its own status in the console; nothing else may.
        const problems = page.problems.filter((p) => !(path === '/no-such-page' && p.includes('status of 404')));
        assert.deepEqual(problems, []);
        await page.context().close();
      });
    }
  });
}

describe('without JavaScript', () => {
  for (const lang of ['ar', 'en']) {
    it(`${lang} pages render fully and their links work`, async () => {
      const page = await newPage(env.browser, { javaScriptEnabled: false });
      await page.goto(`${env.base}/${lang}`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.ok(await page.isVisible('h1'));
      await page.click(`footer a[href="/${lang}/policy"]`);
      await page.waitForURL(`${env.base}/${lang}/policy`);
      assert.ok((await page.locator('h1').textContent()).length > 5);
      assert.ok(await page.locator('main section h2').count() >= 8, 'every policy section is rendered');
      await page.context().close();
    });
  }
});

describe('language switch', () => {
  it('keeps the current page and remembers the choice', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.base}/ar/policy`);
    await hydrated(page);
    await page.click('a.lang-switch');
    await page.waitForURL(`${env.base}/en/policy`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    await page.goto(`${env.base}/`);
    await page.waitForURL(`${env.base}/en`);
    await page.context().close();
  });

  it('sends a new Arabic-speaking visitor to Arabic, an English-speaking one to English', async () => {
    for (const [locale, expected] of [['ar-EG', 'ar'], ['en-GB', 'en'], ['fr-FR', 'ar']]) {
      const page = await newPage(env.browser, { locale });
      await page.goto(`${env.base}/`);
      await page.waitForURL(`${env.base}/${expected}`);
      await page.context().close();
    }
  });
});

describe('keyboard', () => {
  it('the first Tab reaches the skip link, which moves focus to the main content', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.base}/en/policy`);
    await hydrated(page);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    assert.ok(await page.isVisible('.skip-link'), 'the focused skip link is visible');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement.id === 'main');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.closest('main') !== null);
    assert.ok(focused, 'the next Tab stays inside the main content');
    await page.context().close();
  });

  it('client-side navigation works after hydration', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.base}/ar`);
    await hydrated(page);
    await page.click('nav.site-nav a[href="/ar/policy"]');
    await page.waitForURL(`${env.base}/ar/policy`);
    await page.waitForSelector('nav.site-nav a[aria-current="page"][href="/ar/policy"]');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
