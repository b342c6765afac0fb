// Consultations with comments and moderation (issue 15 §2–§5) in a real browser, in both
// languages: the demo consultation's document with counts per section, signing in from the
// comments page (the code through a real SMTP server, mail.mjs) and coming back to it, a
// mistake, a published comment, a held one (and its notice), the moderator's queue with what
// screening found marked, hiding with a policy category and the public notice that replaces
// the text, the staff document editor and official replies, and a reply posted with JavaScript
// off. axe-core on every state; nothing scrolls sideways at 390 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';
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
    consultation: 'استشارة عامة حول مسودة استراتيجية التطوع الوطنية', section: 'الهدف الأول: تطوع متاح للجميع',
    sectionCount: 'التعليقات على هذا القسم: ', removeQuestion: 'أتحذف «', signInLink: 'سجّل الدخول للتعليق', subject: 'رمز دخولك إلى شارك',
    name: 'منى سالم', empty: 'اكتب تعليقك.', posted: 'شكراً لك: نُشر تعليقك.',
    fair: 'المنصة الحالية بطيئة جداً والقرار بتقليص ساعات المراكز فاشل.', rude: 'الموظف المسؤول حمار ولا يفهم شيئاً',
    heldNotice: 'بانتظار المشرف', hiddenNotice: 'أخفاه المشرف: يتضمن لغة غير لائقة', official: 'رد رسمي',
    answer: 'شكراً لك: سنطلق نسخة أسرع من المنصة هذا الربع.', banNote: 'الإساءة للموظفين غير مقبولة.', banTitle: 'لا يمكنك التعليق حالياً', appeal: 'كنت غاضباً وأعتذر.', appealSent: 'أُرسل تظلّمك. سيقرر مشرف آخر وسنراسلك بالبريد الإلكتروني.', reply: 'أوافق، والتسجيل معقد أيضاً.', replyName: 'عمر',
    followed: 'أنت تتابع هذه الاستشارة. سنراسلك بالبريد الإلكتروني عندما تنشر الوزارة ما تغيّر بفضلها، وعند تغيّر ذلك.', stopFollowing: 'إيقاف المتابعة',
  },
  en: {
    consultation: 'Public consultation on the draft national volunteering strategy', section: 'Goal 1: Volunteering open to everyone',
    sectionCount: 'Comments on this section: ', removeQuestion: 'Remove “', signInLink: 'Sign in to comment', subject: 'Your Sharek sign-in code',
    name: 'Mona Salem', empty: 'Write your comment.', posted: 'Thank you: your comment is published.',
    fair: 'The current platform is far too slow, and cutting the centres’ hours is a bad decision.', rude: 'The officer in charge is an idiot who understands nothing',
    heldNotice: 'Waiting for a moderator', hiddenNotice: 'Hidden by a moderator: uses inappropriate language', official: 'Official reply',
    answer: 'Thank you: a faster version of the platform launches this quarter.', banNote: 'Insulting staff is not allowed.', banTitle: 'You cannot comment for now', appeal: 'I was angry and I apologise.', appealSent: 'Your appeal has been sent. A different moderator will decide and we will email you.', reply: 'I agree, and registering is complicated too.', replyName: 'Omar',
    followed: 'You follow this consultation. We will email you when the ministry publishes what changed because of it, and when that changes.', stopFollowing: 'Stop following',
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

/** The newest sign-in code mailed to `to`. */
async function codeFor(to, subject, timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const arrived = await mail.waitFor(0);
    const found = arrived.filter((m) => m.to.includes(to) && m.subject.startsWith(subject));
    if (found.length) return found[found.length - 1].subject.match(/\d{6}/)?.[0];
    if (Date.now() > deadline) assert.fail(`no "${subject}" to ${to}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Signs a new participant in from the page they are on (its "sign in" link), choosing `name`. */
async function participantSignIn(page, lang, email, name, subject) {
  const back = page.url();
  await Promise.all([page.waitForURL(/\/account\/sign-in\?next=/), page.click('a[href*="/account/sign-in?next="]')]);
  await page.fill('#field-email', email);
  assert.equal((await post(page, 'main form button[type="submit"]')).status(), 303);
  await page.fill('#field-code', await codeFor(email, subject));
  assert.equal((await post(page, 'main form button[type="submit"]')).status(), 303);
  assert.match(page.url(), /\/account\?welcome=1&next=/);
  await page.fill('#field-display_name', name);
  assert.equal((await post(page, 'form:has(#field-display_name) button[type="submit"]')).status(), 303);
  assert.equal(page.url(), back);
}

async function done(...pages) {
  for (const page of pages) {
    assert.deepEqual(page.problems.filter((p) => !expectedNoise(p) && !preload(p)), []);
    await page.context().close();
  }
}

for (const lang of ['ar', 'en']) {
  const t = TEXT[lang];
  describe(`${lang} consultations`, () => {
    it('comments, holds abuse for a moderator who hides it, answers officially, replies without JavaScript', { timeout: 300_000 }, async () => {
      const page = await newPage(env.browser);
      await page.goto(`${env.base}/${lang}/opportunities`);
      await Promise.all([page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/), page.click(`a:has-text("${t.consultation}")`)]);
      await hydrated(page);
      assert.equal(await text(page, '.document-section h3'), `1. ${t.section}`);
      assert.ok((await text(page, '.document-section p:last-child a')).startsWith(t.sectionCount));
      await assertAccessible(page, assert);
      const consultation = page.url();

      // The first section's comments, then signing in from there and coming back.
      await Promise.all([page.waitForURL(/\/comments\?section=/), page.click('.document-section p:last-child a')]);
      await hydrated(page);
      assert.equal(await text(page, `a[href*="/account/sign-in?next="]`), t.signInLink);
      await assertAccessible(page, assert);
      await participantSignIn(page, lang, `mona-${lang}@example.ae`, t.name, t.subject);
      await hydrated(page);

      // Following the consultation, to hear when an outcome of it is published.
      const sectionPage = page.url();
      assert.equal((await post(page, 'form.follow-form button[type="submit"]')).status(), 303);
      assert.ok(page.url().includes('followed=1'), page.url());
      assert.equal(await text(page, 'main .notice'), t.followed);
      assert.equal(await text(page, 'form.follow-form button'), t.stopFollowing);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.goto(sectionPage);
      await hydrated(page);

      // A mistake, then a comment that publishes, then one that is held.
      assert.equal((await post(page, 'form.comment-form button[type="submit"]')).status(), 422);
      assert.deepEqual((await page.locator('.error-summary li').allInnerTexts()).map((s) => s.trim()), [t.empty]);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-body', t.fair);
      assert.equal((await post(page, 'form.comment-form button[type="submit"]')).status(), 303);
      assert.equal(await text(page, 'main .notice'), t.posted);
      assert.equal(await text(page, '.comments .comment-body'), t.fair);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-body', t.rude);
      assert.equal((await post(page, 'form.comment-form button[type="submit"]')).status(), 303);
      assert.ok(page.url().includes('held=1'), page.url());
      assert.ok((await text(page, '.comments .comment-held')).startsWith(t.heldNotice));
      await hydrated(page);
      await assertAccessible(page, assert);
      const phone = await newPage(env.browser, { viewport: PHONE });
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(page.url());
      assert.ok(await noScroll(phone) <= PHONE.width, `comments: ${await noScroll(phone)} px wide`);

      // The moderator's queue marks what screening found; hiding cites a category.
      const staff = await newPage(env.browser);
      await signIn(staff, env.base, lang, env.admin);
      await staff.goto(`${env.base}/${lang}/staff/moderation`);
      await hydrated(staff);
      const item = staff.locator('.queued', { hasText: t.rude.slice(0, 12) });
      assert.ok((await item.locator('blockquote mark').count()) >= 1);
      await assertAccessible(staff, assert);
      const staffPhone = await newPage(env.browser, { viewport: PHONE });
      await staffPhone.context().addCookies(await staff.context().cookies());
      await staffPhone.goto(`${env.base}/${lang}/staff/moderation`);
      assert.ok(await noScroll(staffPhone) <= PHONE.width, `queue: ${await noScroll(staffPhone)} px wide`);
      await item.locator('.hide-form select').selectOption('language');
      assert.equal((await post(staff, '.queued .hide-form button')).status(), 303);
      assert.ok(staff.url().endsWith('done=hidden'), staff.url());
      await hydrated(staff);
      await assertAccessible(staff, assert);
      const listUrl = page.url().replace(/[?#].*$/, '');
      // The author is banned from commenting: the ban page says why and takes an appeal; the
      // appeals page tells the banning moderator another must decide.
      await staff.goto(`${env.base}/${lang}/staff/moderation?state=hidden`);
      const hiddenItem = staff.locator('.queued', { hasText: t.rude.slice(0, 12) });
      await hiddenItem.locator('details.ban summary').click();
      await hiddenItem.locator('textarea[name="note"]').fill(t.banNote);
      assert.equal((await post(staff, '.queued details.ban[open] button[type="submit"]')).status(), 303);
      assert.ok(staff.url().endsWith('done=banned'), staff.url());
      await hydrated(staff);
      await assertAccessible(staff, assert);
      await page.goto(`${env.base}/${lang}/account/ban`);
      await hydrated(page);
      assert.equal(await text(page, 'h1'), t.banTitle);
      await assertAccessible(page, assert);
      await page.fill('#field-appeal', t.appeal);
      assert.equal((await post(page, 'main form button[type="submit"]')).status(), 303);
      assert.equal(await text(page, 'main .notice'), t.appealSent);
      await hydrated(page);
      await assertAccessible(page, assert);
      await staff.goto(`${env.base}/${lang}/staff/moderation/appeals`);
      await hydrated(staff);
      assert.equal(await staff.locator('.queued', { hasText: t.appeal }).count(), 1);
      await assertAccessible(staff, assert);

      const visitor = await newPage(env.browser);
      await visitor.goto(listUrl);
      assert.ok((await text(visitor, '.comment-hidden')).startsWith(t.hiddenNotice));
      assert.ok(!(await visitor.content()).includes(t.rude));
      await hydrated(visitor);
      await assertAccessible(visitor, assert);

      // Staff edit the document and answer as the ministry.
      const id = consultation.match(/[0-9a-f-]{36}$/)[0];
      await staff.goto(`${env.base}/${lang}/staff/opportunities/${id}/document`);
      await hydrated(staff);
      await assertAccessible(staff, assert);
      // Removing a section asks first, with how many comments move; keeping it changes nothing.
      const remove = staff.locator('.section-editor a.button-danger-quiet').first();
      await Promise.all([staff.waitForURL(/\?remove=/), remove.click()]);
      await hydrated(staff);
      assert.ok((await text(staff, '.danger-zone')).includes(t.removeQuestion));
      await assertAccessible(staff, assert);
      await Promise.all([staff.waitForURL(/\/document#section-/), staff.click('.danger-zone a')]);
      assert.equal(await staff.locator('.danger-zone').count(), 0);
      await staff.goto(`${env.base}/${lang}/staff/opportunities/${id}/comments`);
      await hydrated(staff);
      await assertAccessible(staff, assert);
      const fair = staff.locator('.comments > li', { hasText: t.fair });
      await fair.locator('details.answer summary').first().click();
      await fair.locator('textarea').first().fill(t.answer);
      assert.equal((await post(staff, '.comments > li details.answer[open] button[type="submit"]')).status(), 303);

      // Another participant replies with JavaScript off.
      const plain = await newPage(env.browser, { javaScriptEnabled: false });
      await plain.goto(consultation);
      await plain.click('.document a.button');
      await plain.waitForURL(/\/comments$/);
      const thread = plain.locator('.comments > li', { hasText: t.fair }).locator('a[href*="/comments/"]').first();
      await Promise.all([plain.waitForURL(/\/comments\/[0-9a-f-]{36}$/), thread.click()]);
      assert.ok((await text(plain, '.comment-official')).includes(t.official));
      await participantSignIn(plain, lang, `omar-${lang}@example.ae`, t.replyName, t.subject);
      await plain.fill('#field-body', t.reply);
      assert.equal((await post(plain, 'form.comment-form button[type="submit"]')).status(), 303);
      assert.ok((await text(plain, '.replies')).includes(t.reply));
      await done(page, phone, staff, staffPhone, visitor, plain);
    });
  });
}
