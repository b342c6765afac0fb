// Phones (issue 21 §7): at 390 px wide, no page scrolls sideways, in either language. The test
// walks the site as the demo administrator sees it — every page linked from the home page, the
// catalogue and the staff area, a level deep — and measures each page's width. Tables and
// charts may scroll inside their own box; the page itself may not.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const PHONE = { width: 390, height: 844 };

/** Same-site page links on the current page (no downloads, feeds, sign-out or API). */
async function pageLinks(page, base, lang) {
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links
    .filter((a) => !a.hasAttribute('download'))
    .map((a) => a.getAttribute('href')));
  return hrefs
    .map((href) => new URL(href, base))
    .filter((url) => url.origin === base && url.pathname.startsWith(`/${lang}`))
    .filter((url) => !/\.(csv|xlsx|json|svg|atom|ics)$/.test(url.pathname))
    .map((url) => `${url.pathname}${url.search}`);
}

for (const lang of ['ar', 'en']) {
  describe(`${lang} at 390 px`, () => {
    it('no page scrolls sideways', async () => {
      const page = await newPage(env.browser, { viewport: PHONE });
      await signIn(page, env.base, lang, env.admin);
      const seen = new Set();
      const queue = [`/${lang}`, `/${lang}/opportunities`, `/${lang}/staff`, `/${lang}/staff/surveys`];
      const wide = [];
      // Breadth first, two levels from the starting pages, at most 60 pages.
      for (let depth = 0; depth < 3 && queue.length; depth += 1) {
        const level = queue.splice(0, queue.length);
        for (const path of level) {
          const key = path.replace(/[?#].*$/, '');
          if (seen.has(key) || seen.size >= 60) continue;
          seen.add(key);
          const response = await page.goto(`${env.base}${path}`);
          if (!response || response.status() >= 400) continue;
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > PHONE.width) {
            const culprits = await page.evaluate((limit) => [...document.querySelectorAll('main *')]
              .filter((el) => el.getBoundingClientRect().right > limit + 1 || el.getBoundingClientRect().left < -1)
              .filter((el) => !el.closest('.table-scroll, .chart-scroll'))
              .slice(0, 3)
              .map((el) => `${el.tagName.toLowerCase()}.${el.className}`), PHONE.width);
            wide.push({ path, width, culprits });
          }
          if (depth < 2) queue.push(...(await pageLinks(page, env.base, lang)));
        }
      }
      assert.ok(seen.size >= 15, `the walk reached the site's pages (${seen.size})`);
      assert.deepEqual(wide, [], 'pages wider than the phone');
    });
  });
}
