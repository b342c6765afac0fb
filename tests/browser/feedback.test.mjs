// Feedback answered within 72 hours and rated by participants (issue 16), in a real browser:
// the public form (a mistake first, shown with everything typed), the private tracking page
// that confirms it, adding information; staff find the case, take it, note, route, reply (an
// empty reply first); the participant rates the reply, then says it did not answer them, which
// reopens the case; staff close it. The email path goes through a real SMTP server (mail.mjs):
// the acknowledgement, the reply and its one-click rating link. Without JavaScript, the form's
// error path and sending work; at 390 px nothing scrolls sideways. Both languages, axe-core on
// every state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';
import { startMailCatcher } from './mail.mjs';

let env;
let mail;
before(async () => {
  // The catcher first: the server reads SHAREK_SMTP_URL at start (start() passes the
  // environment through).
  mail = await startMailCatcher();
  process.env.SHAREK_SMTP_URL = mail.url;
  env = await start();
});
after(async () => { await env?.stop(); await mail?.stop(); });

/** Console noise a page may make on purpose: a form shown again with errors (422, 409). */
const expectedNoise = (p) => p.includes('status of 422') || p.includes('status of 409');
/** With scripts off, Chromium cancels the bundle's modulepreload: not the page's fault. */
const preload = (p) => /^request failed: .*\/pkg\/[^/]+\/sharek\.js$/.test(p);
const REFERENCE = /SHK-\d{4}-\d{6}/;
const PHONE = { width: 390, height: 844 };

const TEXT = {
  ar: {
    errorPrefix: 'خطأ:', yours: 'رسالتك', due: 'سنردّ عليك في موعد أقصاه', sent: 'أُضيفت معلوماتك إلى رسالتك.',
    errors: ['اختر موضوعاً', 'اكتب رسالتك، 10 أحرف على الأقل', 'أدخل بريدك الإلكتروني، أو اختر متابعة الرد على صفحة خاصة'],
    add: 'أضف إلى رسالتي', filter: 'تصفية', take: 'تولَّ هذه الحالة', note: 'إضافة الملاحظة', reply: 'إرسال الرد',
    close: 'إغلاق الحالة', textEmpty: 'اكتب النص', rate: 'إرسال التقييم', rated: 'شكراً لك: حُفظ تقييمك.',
    ratedAs: (n) => `قيّمت هذا الرد بـ ${n} من 5`, notAnswered: 'أخبرتنا أن سؤالك لم تتم الإجابة عنه.',
    state: { new: 'جديدة', assigned: 'قيد المعالجة', answered: 'تم الرد', reopened: 'أعيد فتحها', closed: 'مغلقة' },
    receivedSubject: (r) => `تسلّمنا رسالتك (${r})`,
    replySubject: (r) => `ردّنا على رسالتك (${r})`,
    message: 'أقترح إضافة دروس مسائية للكبار في مراكز المجتمع القريبة من الأحياء السكنية. هاتفي ٠٥٠ ١٢٣ ٤٥٦٧',
    more: 'أسكن في منطقة الخوانيج وأستطيع الحضور بعد الخامسة مساءً.',
    noteText: 'راجعت الطلب مع فريق التعليم.',
    replyText: 'شكراً لاقتراحك. سنبدأ دروساً مسائية في مركز الخوانيج الشهر القادم.',
  },
  en: {
    errorPrefix: 'Error:', yours: 'Your message', due: 'We will reply by', sent: 'Your information has been added to your message.',
    errors: ['Choose a topic', 'Write your message, at least 10 characters', 'Enter your email address, or choose to follow the reply on a private page'],
    add: 'Add to my message', filter: 'Filter', take: 'Take this case', note: 'Add note', reply: 'Send reply',
    close: 'Close case', textEmpty: 'Write the text', rate: 'Send rating', rated: 'Thank you: your rating has been saved.',
    ratedAs: (n) => `You rated this reply ${n} of 5`, notAnswered: 'You told us your question was not answered.',
    state: { new: 'New', assigned: 'Being handled', answered: 'Answered', reopened: 'Reopened', closed: 'Closed' },
    receivedSubject: (r) => `We received your message (${r})`,
    replySubject: (r) => `Our reply to your message (${r})`,
    message: 'Please offer evening classes for adults at the community centres near where people live. My phone is 050 123 4567',
    more: 'I live in Al Khawaneej and can attend after 5 in the evening.',
    noteText: 'Checked the request with the education team.',
    replyText: 'Thank you for the suggestion. Evening classes start at the Al Khawaneej centre next month.',
  },
};

const sendButton = 'form.feedback-form button[type="submit"]';
const addButton = 'form:has(#field-message) button[type="submit"]';
const rateButton = 'form.rating-form button[type="submit"]';
const notice = 'main .notice[role="status"]';

/** Clicks `selector`; returns the response to the POST it sends once the next page has loaded. */
async function post(page, selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.waitForEvent('load'),
    page.click(selector),
  ]);
  return response;
}

/** The error summary has focus (`autofocus`; without JavaScript waitForFunction cannot poll). */
async function summaryFocused(page, js = true) {
  const check = () => document.activeElement?.classList.contains('error-summary');
  if (js) await page.waitForFunction(check, null, { timeout: 10_000 });
  else assert.ok(await page.evaluate(check), 'the error summary has focus');
}

/** The hrefs of the error summary's links. */
const summaryLinks = (page) => page.locator('.error-summary li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();
const noScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth);

/** axe-core on a page shown without JavaScript: its markup checked in a copy, scripts blocked. */
async function assertAccessibleAsServed(page) {
  const url = page.url();
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const context = await env.browser.newContext();
  try {
    await context.route('**/*', (route) => {
      const request = route.request();
      if (request.isNavigationRequest() && request.url() === url) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      if (/\.(js|wasm)(\.gz)?$/.test(new URL(request.url()).pathname) || request.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    const copy = await context.newPage();
    await copy.goto(url);
    await assertAccessible(copy, assert);
  } finally {
    await context.close();
  }
}

/** Fills the public form. */
async function fill(page, { topic, about, message, group, web, name, email }) {
  if (topic !== undefined) await page.selectOption('#field-topic', topic);
  if (about !== undefined) await page.selectOption('#field-about', about);
  if (message !== undefined) await page.fill('#field-message', message);
  if (group !== undefined) await page.selectOption('#field-group', group);
  if (web) await page.check('#field-reply_by-1');
  if (name !== undefined) await page.fill('#field-name', name);
  if (email !== undefined) await page.fill('#field-email', email);
}

/** Empty topic, a short message, reply by email without an address: 422 and three errors. */
async function refusedOnce(page, lang, values, js = true) {
  const t = TEXT[lang];
  await fill(page, { message: 'Short', ...values });
  const refused = await post(page, sendButton);
  assert.equal(refused.status(), 422);
  await page.waitForSelector('.error-summary');
  assert.ok((await page.title()).startsWith(t.errorPrefix), await page.title());
  await summaryFocused(page, js);
  assert.deepEqual(await summaryLinks(page), ['#field-topic', '#field-message', '#field-email']);
  const items = await page.locator('.error-summary li').allInnerTexts();
  assert.deepEqual(items.map((s) => s.trim()), t.errors);
  assert.equal(await page.inputValue('#field-message'), 'Short', 'what was typed is kept');
  assert.equal(await page.getAttribute('#field-topic', 'aria-invalid'), 'true');
  assert.ok(await page.isChecked('#field-reply_by-0'));
  if (js) await hydrated(page);
  await (js ? assertAccessible(page, assert) : assertAccessibleAsServed(page));
}

/** Sends the form; on the tracking page, returns the reference and the page's address. */
async function sent(page, lang, values, js = true) {
  const t = TEXT[lang];
  await fill(page, values);
  const response = await post(page, sendButton);
  assert.equal(response.status(), 303);
  assert.match(page.url(), new RegExp(`/${lang}/feedback/track/[0-9a-zA-Z_-]+\\?new=1$`));
  const confirmation = await text(page, '.confirmation');
  const reference = confirmation.match(REFERENCE)?.[0];
  assert.ok(reference, confirmation);
  assert.ok(confirmation.includes(t.due), confirmation);
  const due = await page.locator('.confirmation time').getAttribute('datetime');
  assert.match(due, /\+04:00$/, 'shown in UAE time');
  const hours = (Date.parse(due) - Date.now()) / 3_600_000;
  assert.ok(hours > 71 && hours < 72.01, `due in 72 hours, not ${hours}`);
  assert.equal(await text(page, 'h1'), `${t.yours} ${reference}`);
  if (js) await hydrated(page);
  await (js ? assertAccessible(page, assert) : assertAccessibleAsServed(page));
  return { reference, track: page.url().replace(/\?new=1$/, '') };
}

/** A staff action on the case page: back on the case with `?done=<action>` and a notice. */
async function act(page, action, button, label) {
  if (label) assert.equal(await text(page, button), label);
  const response = await post(page, button);
  assert.equal(response.status(), 303, `${action}: ${response.status()}`);
  assert.ok(page.url().endsWith(`?done=${action}`), page.url());
  await page.waitForSelector(notice);
  await hydrated(page);
  await assertAccessible(page, assert);
}

const caseState = (page) => text(page, 'dl.facts dd');

/** No unexpected console errors or failed requests; the pages closed. */
async function done(...pages) {
  for (const page of pages) {
    assert.deepEqual(page.problems.filter((p) => !expectedNoise(p) && !preload(p)), []);
    await page.context().close();
  }
}

/** The first message to `to` with this subject, waiting for the outbox (sent every 15 s). */
async function mailFor(to, subject, timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const arrived = await mail.waitFor(0);
    const found = arrived.find((m) => m.to.includes(to) && m.subject === subject);
    if (found) return found;
    if (Date.now() > deadline) {
      assert.fail(`no "${subject}" to ${to} within ${timeoutMs} ms; arrived: ${JSON.stringify(arrived.map((m) => [m.to, m.subject]))}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const lang of ['ar', 'en']) {
  const t = TEXT[lang];
  describe(`${lang} feedback`, () => {
    it('someone sends feedback, staff answer it, the participant rates the reply', { timeout: 240_000 }, async () => {
      const topic = lang === 'ar' ? 'education' : 'health';
      const person = await newPage(env.browser);
      await person.goto(`${env.base}/${lang}`);
      await hydrated(person);
      await Promise.all([person.waitForURL(`${env.base}/${lang}/feedback`), person.click(`nav a[href="/${lang}/feedback"]`)]);
      await hydrated(person);
      assert.equal(await person.locator('#field-topic option').first().getAttribute('value'), '');
      assert.ok(await person.isChecked('#field-reply_by-0'), 'by email is the default');
      await assertAccessible(person, assert);

      // A mistake first: everything typed comes back.
      const abouts = await person.locator('#field-about option').evaluateAll((os) => os.map((o) => o.value));
      const about = abouts[1];
      await refusedOnce(person, lang, { group: 'resident', name: 'Sara', ...(about ? { about } : {}) });
      assert.equal(await person.inputValue('#field-group'), 'resident');
      assert.equal(await person.inputValue('#field-name'), 'Sara');
      if (about) assert.equal(await person.inputValue('#field-about'), about);

      const { reference, track } = await sent(person, lang, { topic, message: t.message, web: true });
      assert.equal(await person.locator('ol.thread').count(), 0, 'no reply yet');

      // Adding information.
      assert.equal(await text(person, addButton), t.add);
      await person.fill('#field-message', t.more);
      assert.equal((await post(person, addButton)).status(), 303);
      assert.equal(person.url(), `${track}?sent=1`);
      assert.equal(await text(person, notice), t.sent);
      assert.ok((await text(person, 'ol.thread li.mine')).includes(t.more));
      await hydrated(person);
      await assertAccessible(person, assert);

      // Staff find it with the filters and work on it.
      const staff = await newPage(env.browser);
      await signIn(staff, env.base, lang, env.admin);
      await hydrated(staff);
      await assertAccessible(staff, assert);
      await Promise.all([staff.waitForURL(`${env.base}/${lang}/staff/feedback`), staff.click(`a[href="/${lang}/staff/feedback"]`)]);
      await hydrated(staff);
      await assertAccessible(staff, assert);
      await staff.selectOption('#field-state', 'new');
      await staff.selectOption('#field-topic', topic);
      assert.equal(await text(staff, 'form.filter-form button[type="submit"]'), t.filter);
      await Promise.all([staff.waitForURL(/state=new/), staff.click('form.filter-form button[type="submit"]')]);
      await hydrated(staff);
      assert.ok(staff.url().includes(`topic=${topic}`), 'the filtered list is an address');
      assert.equal(await staff.inputValue('#field-state'), 'new');
      assert.equal(await staff.locator('tbody tr').count(), 1, 'only this case is new on this topic');
      await assertAccessible(staff, assert);
      await Promise.all([staff.waitForURL(/\/staff\/feedback\/[0-9a-f-]{36}$/), staff.click(`td a:has-text("${reference}")`)]);
      await hydrated(staff);
      assert.ok((await text(staff, 'h1')).includes(reference));
      assert.equal(await text(staff, 'blockquote.message'), t.message);
      // Screening marks the phone number for whoever answers (feedback is never held for it).
      assert.equal(await staff.locator('blockquote.message mark', { hasText: /[0-9٠-٩]{3}/ }).count(), 1);
      assert.ok(await staff.locator('section.screened li').count() >= 1);
      assert.equal(await caseState(staff), t.state.new);
      await assertAccessible(staff, assert);

      await act(staff, 'assign', 'form.inline-form[action$="/assign"] button', t.take);
      assert.equal(await caseState(staff), t.state.assigned);
      await staff.fill('#field-note', t.noteText);
      await act(staff, 'note', 'form[action$="/note"] button[type="submit"]', t.note);
      assert.ok((await staff.locator('ol.thread').innerText()).includes(t.noteText));
      const team = (await staff.locator('#field-team option').first().innerText()).trim();
      await staff.selectOption('#field-team', { index: 0 });
      await act(staff, 'route', 'form[action$="/route"] button[type="submit"]');
      assert.ok((await staff.locator('dl.facts').first().innerText()).includes(team), `routed to ${team}`);

      // An empty reply is refused; then the reply.
      await staff.fill('#field-reply', '');
      const empty = await post(staff, 'form[action$="/reply"] button[type="submit"]');
      assert.equal(empty.status(), 422);
      await staff.waitForSelector('.error-summary');
      assert.equal((await staff.locator('.error-summary li').innerText()).trim(), t.textEmpty);
      assert.ok((await staff.title()).startsWith(t.errorPrefix));
      await hydrated(staff);
      await summaryFocused(staff);
      await assertAccessible(staff, assert);
      await staff.fill('#field-reply', t.replyText);
      await act(staff, 'reply', 'form[action$="/reply"] button[type="submit"]', t.reply);
      assert.equal(await caseState(staff), t.state.answered);

      // The participant reads and rates it.
      await person.goto(track);
      await hydrated(person);
      assert.ok((await person.locator('ol.thread').innerText()).includes(t.replyText));
      assert.equal(await person.locator('details.rating[open]').count(), 1);
      await assertAccessible(person, assert);
      await person.check('input[name="score"][value="4"]');
      await person.fill('textarea[name="comment"]', lang === 'ar' ? 'رد واضح.' : 'A clear reply.');
      assert.equal(await text(person, rateButton), t.rate);
      assert.equal((await post(person, rateButton)).status(), 303);
      assert.equal(person.url(), `${track}?rated=1`);
      assert.equal(await text(person, notice), t.rated);
      assert.ok((await text(person, '.rating-given')).includes(t.ratedAs(4)));
      await hydrated(person);
      await assertAccessible(person, assert);

      // "My question was not answered" reopens the case.
      await person.click('details.rating summary');
      await person.check('input[name="not_answered"]');
      assert.equal((await post(person, rateButton)).status(), 303);
      assert.ok((await text(person, '.rating-given')).includes(t.notAnswered));
      await hydrated(person);
      await assertAccessible(person, assert);
      await staff.goto(staff.url().replace(/\?.*$/, ''));
      await hydrated(staff);
      assert.equal(await caseState(staff), t.state.reopened);
      assert.ok(await staff.isVisible('ol.thread .rating-given'), 'staff see the rating');
      await assertAccessible(staff, assert);
      await act(staff, 'close', '.danger-zone button[type="submit"]', t.close);
      assert.equal(await caseState(staff), t.state.closed);

      await person.goto(track);
      await hydrated(person);
      assert.ok((await person.locator('dl.facts').innerText()).includes(t.state.closed));
      assert.equal(await person.locator('#field-message').count(), 0, 'nothing to add to a closed case');
      await assertAccessible(person, assert);
      await done(person, staff);
    });

    it('by email: the acknowledgement, the reply, and rating from the email\'s link', { timeout: 240_000 }, async () => {
      const address = `person-${lang}@example.org`;
      const person = await newPage(env.browser);
      await person.goto(`${env.base}/${lang}/feedback`);
      await hydrated(person);
      const { reference, track } = await sent(person, lang, { topic: 'environment', message: t.message, email: address });
      const received = await mailFor(address, t.receivedSubject(reference));
      assert.ok(received.body.includes(track), `the tracking link is in the email:\n${received.body}`);

      const staff = await newPage(env.browser);
      await signIn(staff, env.base, lang, env.admin);
      await staff.goto(`${env.base}/${lang}/staff/feedback`);
      await Promise.all([staff.waitForURL(/\/staff\/feedback\/[0-9a-f-]{36}$/), staff.click(`td a:has-text("${reference}")`)]);
      await hydrated(staff);
      await staff.fill('#field-reply', t.replyText);
      await act(staff, 'reply', 'form[action$="/reply"] button[type="submit"]', t.reply);

      const reply = await mailFor(address, t.replySubject(reference));
      assert.ok(reply.body.includes(t.replyText), reply.body);
      const link = reply.body.match(new RegExp(`https?://\\S+?/${lang}/feedback/rate/[0-9a-zA-Z_-]+\\?score=5`))?.[0];
      assert.ok(link, `a rating link in:\n${reply.body}`);
      const { pathname, search } = new URL(link);
      await person.goto(`${env.base}${pathname}${search}`);
      await hydrated(person);
      assert.ok((await text(person, 'h1')).includes(reference));
      assert.ok(await person.isChecked('input[name="score"][value="5"]'), 'the score chosen in the email');
      await assertAccessible(person, assert);
      assert.equal((await post(person, rateButton)).status(), 303);
      assert.ok(person.url().endsWith('?rated=1'), person.url());
      assert.equal(await text(person, notice), t.rated);
      assert.ok((await text(person, '.rating-given')).includes(t.ratedAs(5)));
      await hydrated(person);
      await assertAccessible(person, assert);
      await done(person, staff);
    });

    it('without JavaScript: the errors and sending work as a plain form', { timeout: 120_000 }, async () => {
      const page = await newPage(env.browser, { javaScriptEnabled: false });
      const first = await page.goto(`${env.base}/${lang}/feedback`);
      assert.equal(first.status(), 200);
      await assertAccessibleAsServed(page);
      await refusedOnce(page, lang, { group: 'ngo' }, false);
      assert.equal(await page.inputValue('#field-group'), 'ngo');
      await sent(page, lang, { topic: 'culture', message: t.message, web: true }, false);
      await done(page);
    });
  });
}

describe('ar feedback at 390 px', () => {
  it('the form, its errors and the tracking page do not scroll sideways', { timeout: 120_000 }, async () => {
    const page = await newPage(env.browser, { viewport: PHONE });
    await page.goto(`${env.base}/ar/feedback`);
    await hydrated(page);
    assert.ok(await noScroll(page) <= PHONE.width, `the form: ${await noScroll(page)} px`);
    await refusedOnce(page, 'ar', {});
    assert.ok(await noScroll(page) <= PHONE.width, `the errors: ${await noScroll(page)} px`);
    await sent(page, 'ar', { topic: 'economy', message: TEXT.ar.message, web: true });
    assert.ok(await noScroll(page) <= PHONE.width, `the tracking page: ${await noScroll(page)} px`);
    await done(page);
  });
});
