// Personal API tokens in a real browser: made in the staff area, shown once, usable against
// the API, revoked in place with JavaScript and by a plain form post without it. Both
// languages; axe-core on every state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const expectedNoise = (p) => p.includes('status of 422');

async function apiMe(base, token) {
  const response = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

for (const lang of ['ar', 'en']) {
  describe(`${lang} API tokens`, () => {
    it('a token is made, shown once, works, and is revoked in place', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await page.click(`a[href="/${lang}/staff/tokens"]`);
      await page.waitForURL(`${env.base}/${lang}/staff/tokens`);
      await hydrated(page);
      await assertAccessible(page, assert);
      // A missing name is reported, and the chosen lifetime kept.
      await page.selectOption('#field-lifetime', '365');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/staff/tokens"] button[type="submit"]')]);
      await page.waitForSelector('.error-summary');
      assert.equal(await page.inputValue('#field-lifetime'), '365');
      await hydrated(page);
      await assertAccessible(page, assert);
      const name = `Report script ${lang}`;
      await page.fill('#field-name', name);
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/staff/tokens"] button[type="submit"]')]);
      const token = await page.inputValue('#made-token');
      assert.match(token, /^shk_[0-9a-f]{64}$/);
      await hydrated(page);
      await assertAccessible(page, assert);
      const me = await apiMe(env.base, token);
      assert.equal(me.status, 200);
      assert.equal(me.body.email, env.admin.email);
      // Revoking with JavaScript updates the list without leaving the page.
      const row = page.locator('tr', { hasText: name });
      await row.locator('button').click();
      await page.waitForSelector(`tr:has-text("${name}") td:nth-child(6):not(:has(*))`);
      await page.waitForFunction(() => document.querySelector('.status-line').textContent.trim().length > 0);
      assert.equal(await row.locator('button').count(), 0, 'a revoked token has no revoke button');
      assert.equal((await apiMe(env.base, token)).status, 401);
      await assertAccessible(page, assert);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });
  });
}

describe('API tokens without JavaScript', () => {
  it('making and revoking a token work as plain forms', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await signIn(page, env.base, 'en', env.admin);
    await page.goto(`${env.base}/en/staff/tokens`);
    await page.fill('#field-name', 'No script token');
    await page.selectOption('#field-lifetime', 'never');
    await page.click('form[action$="/staff/tokens"] button[type="submit"]');
    const token = await page.inputValue('#made-token');
    assert.equal((await apiMe(env.base, token)).status, 200);
    const row = page.locator('tr', { hasText: 'No script token' });
    await Promise.all([page.waitForURL(`${env.base}/en/staff/tokens`), row.locator('button').click()]);
    assert.equal(await page.locator('tr', { hasText: 'No script token' }).locator('button').count(), 0);
    assert.equal((await apiMe(env.base, token)).status, 401);
    await page.context().close();
  });
});
