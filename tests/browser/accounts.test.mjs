// Staff sign-in, the staff area and user administration in a real browser: both languages,
// with and without JavaScript, by keyboard, with axe-core on every state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

/** Console noise a form page may make on purpose: the 422 of a form shown again with errors. */
const expectedNoise = (p) => p.includes('status of 422') || p.includes('status of 403');

for (const lang of ['ar', 'en']) {
  describe(`${lang} staff pages`, () => {
    it('the sign-in page and its error state are accessible; errors are summarised and focused', async () => {
      const page = await newPage(env.browser);
      await page.goto(`${env.base}/${lang}/login`);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-email', 'someone@ministry.example');
      await Promise.all([page.waitForLoadState('load'), page.click('form button[type="submit"]')]);
      await page.waitForSelector('.error-summary');
      assert.ok((await page.title()).startsWith(lang === 'ar' ? 'خطأ:' : 'Error:'));
      assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
      assert.equal(await page.inputValue('#field-email'), 'someone@ministry.example', 'what was typed is kept');
      assert.equal(await page.getAttribute('#field-password', 'aria-invalid'), 'true');
      await hydrated(page);
      await assertAccessible(page, assert);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });

    it('an administrator signs in, reaches the dashboard and the users page, adds a user', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.click(`a[href="/${lang}/staff/users"]`);
      await page.waitForURL(`${env.base}/${lang}/staff/users`);
      await page.waitForSelector('table.table');
      await assertAccessible(page, assert);
      // A mistake first: everything typed comes back with the errors.
      const email = `analyst-${lang}@ministry.example`;
      await page.fill('#field-email', email);
      await page.fill('#field-display_name', `Analyst ${lang}`);
      await page.fill('#field-password', 'short');
      await page.check('#role-analyst');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/staff/users"] button[type="submit"]')]);
      await page.waitForSelector('.error-summary');
      assert.equal(await page.inputValue('#field-email'), email);
      assert.ok(await page.isChecked('#role-analyst'));
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-password', 'a long enough passphrase');
      await Promise.all([page.waitForURL(`${env.base}/${lang}/staff/users`), page.click('form[action$="/staff/users"] button[type="submit"]')]);
      await page.waitForSelector(`td:has-text("${email}")`);
      // A team, created through the form.
      await page.goto(`${env.base}/${lang}/staff/teams`);
      await page.fill('#field-name_ar', `فريق ${lang}`);
      await page.fill('#field-name_en', `Team ${lang}`);
      await Promise.all([page.waitForURL(`${env.base}/${lang}/staff/teams`), page.click('form[action$="/staff/teams"] button[type="submit"]')]);
      await page.waitForSelector('section.team');
      await hydrated(page);
      await assertAccessible(page, assert);
      // The addition is in the audit log, which filters by action.
      await page.goto(`${env.base}/${lang}/staff/audit`);
      await page.waitForSelector('table.table');
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.selectOption('#audit-action', 'user.create');
      await Promise.all([page.waitForURL(/action=user\.create/), page.click('.filter-form button')]);
      await page.waitForSelector('table.table');
      const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
      assert.ok(actions.length >= 1 && new Set(actions).size === 1, `only additions: ${actions}`);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();

      // The new analyst may enter the staff area but not user administration: a 403 page.
      const analyst = await newPage(env.browser);
      await signIn(analyst, env.base, lang, { email, password: 'a long enough passphrase' });
      assert.equal(await analyst.locator('a[href$="/staff/users"]').count(), 0, 'no link to what they cannot open');
      const response = await analyst.goto(`${env.base}/${lang}/staff/users`);
      assert.equal(response.status(), 403);
      assert.equal(await analyst.locator('table').count(), 0, 'no user data on the 403 page');
      await hydrated(analyst);
      await assertAccessible(analyst, assert);
      await analyst.goto(`${env.base}/${lang}/staff/password`);
      await hydrated(analyst);
      await assertAccessible(analyst, assert);
      await analyst.context().close();
    });
  });
}

describe('without JavaScript', () => {
  it('signing in, adding a user and signing out all work', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await signIn(page, env.base, 'en', env.admin);
    await page.goto(`${env.base}/en/staff/users`);
    assert.ok(await page.isVisible('table.table'), 'the users table renders on the server');
    await page.fill('#field-email', 'nojs@ministry.example');
    await page.fill('#field-display_name', 'No Script');
    await page.fill('#field-password', 'a long enough passphrase');
    await page.check('#role-author');
    await page.click('form[action$="/staff/users"] button[type="submit"]');
    await page.waitForSelector('td:has-text("nojs@ministry.example")');
    await page.click('.site-header form button');
    await page.waitForURL(`${env.base}/en`);
    await page.goto(`${env.base}/en/staff`);
    await page.waitForURL(/\/en\/login\?next=/);
    await page.context().close();
  });
});

describe('keyboard', () => {
  it('signs in with the keyboard alone', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.base}/en/login`);
    await hydrated(page);
    await page.focus('#field-email');
    await page.keyboard.type(env.admin.email);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'field-password');
    await page.keyboard.type(env.admin.password);
    await Promise.all([page.waitForURL(`${env.base}/en/staff`), page.keyboard.press('Enter')]);
    await page.context().close();
  });

  it('a signed-out visitor to a staff page is sent to sign in and returned afterwards', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.base}/ar/staff/users`);
    await page.waitForURL(/\/ar\/login\?next=%2Far%2Fstaff%2Fusers/);
    await page.fill('#field-email', env.admin.email);
    await page.fill('#field-password', env.admin.password);
    await Promise.all([page.waitForURL(`${env.base}/ar/staff/users`), page.click('form button[type="submit"]')]);
    await page.context().close();
  });
});
