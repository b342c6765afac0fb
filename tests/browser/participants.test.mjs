// Participants' accounts (issue 15 §1) in a real browser, in both languages: asking for a
// sign-in (a mistake first), the code from the email (through a real SMTP server, mail.mjs)
// typed on the page, choosing a display name, feedback sent while signed in listed in the
// account and opened from it, signing out, and deleting the account. Without JavaScript the
// email's link opens a page whose button signs in. axe-core on every state; nothing scrolls
// sideways at 390 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, start } from './harness.mjs';
import { startMailCatcher } from './mail.mjs';

let env;
let mail;
before(async () => {
  mail = await startMailCatcher();
  process.env.SHAREK_SMTP_URL = mail.url;
  env = await start();
});
after(async () => { await env?.stop(); await mail?.stop(); });

const expectedNoise = (p) => p.includes('status of 422');
const preload = (p) => /^request failed: .*\/pkg\/[^/]+\/sharek\.js$/.test(p);
const PHONE = { width: 390, height: 844 };

const TEXT = {
  ar: {
    signIn: 'تسجيل الدخول', title: 'سجّل الدخول لمتابعة مشاركتك', emailMissing: 'أدخل بريدك الإلكتروني',
    check: 'تحقّق من بريدك الإلكتروني', subject: 'رمز دخولك إلى شارك', welcome: 'سجّلت الدخول. اختر الاسم',
    saved: 'حُفظت بياناتك.', account: 'حسابك', listed: 'ستظهر هذه الرسالة في حسابك',
    message: 'أقترح تمديد ساعات عمل مركز المجتمع في عجمان حتى التاسعة مساءً.', name: 'منى سالم',
    signedOut: 'سجّلت الخروج.', deleted: 'حُذف حسابك.', deleteConfirm: 'احذف حسابي',
  },
  en: {
    signIn: 'Sign in', title: 'Sign in to follow your participation', emailMissing: 'Enter your email address',
    check: 'Check your email', subject: 'Your Sharek sign-in code', welcome: 'You are signed in. Choose the name',
    saved: 'Your details have been saved.', account: 'Your account', listed: 'this message will be listed in your account',
    message: 'Please keep the Ajman community centre open until 9 in the evening.', name: 'Mona Salem',
    signedOut: 'You have signed out.', deleted: 'Your account has been deleted.', deleteConfirm: 'Delete my account',
  },
};

/** Clicks `selector`; returns the response to the POST it sends once the next page has loaded. */
async function post(page, selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.waitForEvent('load'),
    page.click(selector),
  ]);
  return response;
}

const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();
const noScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The newest message to `to` whose subject starts with `subject` (the outbox sends every 15 s). */
async function mailFor(to, subject, seen, timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const arrived = await mail.waitFor(0);
    const found = arrived.filter((m) => m.to.includes(to) && m.subject.startsWith(subject) && !seen.has(m.subject));
    if (found.length) return found[found.length - 1];
    if (Date.now() > deadline) assert.fail(`no "${subject}" to ${to}; arrived: ${JSON.stringify(arrived.map((m) => [m.to, m.subject]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function done(...pages) {
  for (const page of pages) {
    assert.deepEqual(page.problems.filter((p) => !expectedNoise(p) && !preload(p)), []);
    await page.context().close();
  }
}

for (const lang of ['ar', 'en']) {
  const t = TEXT[lang];
  describe(`${lang} participant accounts`, () => {
    it('signs in with the emailed code, follows feedback, signs out, deletes the account', { timeout: 240_000 }, async () => {
      const email = `mona-${lang}@example.ae`;
      const seen = new Set();
      const page = await newPage(env.browser);
      await page.goto(`${env.base}/${lang}`);
      await hydrated(page);
      await Promise.all([page.waitForURL(`${env.base}/${lang}/account/sign-in`), page.click(`nav a[href="/${lang}/account/sign-in"]`)]);
      await hydrated(page);
      assert.equal(await text(page, 'h1'), t.title);
      await assertAccessible(page, assert);

      // A mistake first.
      const refused = await post(page, 'main form button[type="submit"]');
      assert.equal(refused.status(), 422);
      assert.deepEqual((await page.locator('.error-summary li').allInnerTexts()).map((s) => s.trim()), [t.emailMissing]);
      await hydrated(page);
      await assertAccessible(page, assert);

      await page.fill('#field-email', email);
      assert.equal((await post(page, 'main form button[type="submit"]')).status(), 303);
      assert.match(page.url(), new RegExp(`/${lang}/account/sign-in/code/[0-9a-f-]{36}$`));
      assert.equal(await text(page, 'h1'), t.check);
      assert.equal(await page.getAttribute('#field-code', 'autocomplete'), 'one-time-code');
      assert.equal(await page.getAttribute('#field-code', 'inputmode'), 'numeric');
      await hydrated(page);
      await assertAccessible(page, assert);

      const letter = await mailFor(email, t.subject, seen);
      seen.add(letter.subject);
      const code = letter.subject.match(/\d{6}/)?.[0];
      assert.ok(code, letter.subject);
      await page.fill('#field-code', code);
      assert.equal((await post(page, 'main form button[type="submit"]')).status(), 303);
      assert.equal(page.url(), `${env.base}/${lang}/account?welcome=1`);
      assert.ok((await text(page, 'main .notice')).startsWith(t.welcome));
      await hydrated(page);
      await assertAccessible(page, assert);
      assert.ok(await noScroll(page) <= 1280);

      // A display name.
      await page.fill('#field-display_name', t.name);
      assert.equal((await post(page, 'form:has(#field-display_name) button[type="submit"]')).status(), 303);
      assert.equal(await text(page, 'main .notice'), t.saved);
      assert.equal(await page.inputValue('#field-display_name'), t.name);
      await hydrated(page);
      await assertAccessible(page, assert);

      // Feedback sent while signed in is listed in the account and opens from there.
      await page.goto(`${env.base}/${lang}/feedback`);
      await hydrated(page);
      assert.ok((await text(page, 'main .notice')).includes(t.listed));
      assert.equal(await page.inputValue('#field-email'), email);
      await page.selectOption('#field-topic', 'social_services');
      await page.fill('#field-message', t.message);
      assert.equal((await post(page, 'form.feedback-form button[type="submit"]')).status(), 303);
      const reference = (await text(page, '.confirmation')).match(/SHK-\d{4}-\d{6}/)?.[0];
      assert.ok(reference);
      await page.goto(`${env.base}/${lang}/account`);
      await hydrated(page);
      await Promise.all([page.waitForURL(/\/account\/feedback\/[0-9a-f-]{36}$/), page.click(`td a:has-text("${reference}")`)]);
      await hydrated(page);
      assert.equal(await text(page, 'blockquote.message'), t.message);
      await assertAccessible(page, assert);

      // On a phone nothing scrolls sideways.
      const phone = await newPage(env.browser, { viewport: PHONE });
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(`${env.base}/${lang}/account`);
      assert.ok(await noScroll(phone) <= PHONE.width, `account page: ${await noScroll(phone)} px wide`);

      // Signing out.
      await page.goto(`${env.base}/${lang}/account`);
      await hydrated(page);
      assert.equal((await post(page, 'form[action$="/account/sign-out"] button')).status(), 303);
      assert.equal(await text(page, 'main .notice'), t.signedOut);
      await page.goto(`${env.base}/${lang}/account`);
      assert.ok(page.url().includes(`/${lang}/account/sign-in?next=`), page.url());

      // Signing in again with the email's link, without JavaScript: the link's page has a
      // button (a mail scanner following the link signs no one in).
      await page.fill('#field-email', email);
      await post(page, 'main form button[type="submit"]');
      const second = await mailFor(email, t.subject, seen);
      seen.add(second.subject);
      const link = second.body.match(/https?:\/\/\S+\/account\/sign-in\/link\/[0-9a-f]{64}/)?.[0];
      assert.ok(link, second.body);
      const plain = await newPage(env.browser, { javaScriptEnabled: false });
      await plain.goto(link);
      assert.equal(await text(plain, 'main button[type="submit"]'), t.signIn);
      assert.equal((await post(plain, 'main form button[type="submit"]')).status(), 303);
      assert.equal(plain.url(), `${env.base}/${lang}/account`);
      assert.ok((await text(plain, 'main')).includes(reference));

      // Deleting the account: a confirmation page, then the button.
      await Promise.all([plain.waitForURL(`${env.base}/${lang}/account/delete`), plain.click(`a[href="/${lang}/account/delete"]`)]);
      assert.equal(await text(plain, 'main .danger-zone button'), t.deleteConfirm);
      await page.context().addCookies(await plain.context().cookies());
      await page.goto(`${env.base}/${lang}/account/delete`);
      await hydrated(page);
      await assertAccessible(page, assert);
      assert.equal((await post(plain, 'main .danger-zone button')).status(), 303);
      assert.equal(await text(plain, 'main .notice'), t.deleted);
      await done(page, phone, plain);
    });
  });
}
