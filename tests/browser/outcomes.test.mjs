// "You said, we did" (issue 17) in a real browser, in both languages: the public list of
// outcomes with its GET filters and the published survey results, a demo outcome's page (its
// before-and-after chart and timeline), both also without JavaScript; someone leaves an address
// to hear back on the demo survey's thank-you page; staff add an outcome for that survey (a
// mistake first, shown with everything typed), change it (another mistake), publish it and add
// progress; the address gets each email in its language (through a real SMTP server, mail.mjs),
// and its unsubscribe link stops them; the public page, the survey's "Results and what changed"
// block and the home page show the outcome. axe-core on every state; nothing scrolls sideways
// at 390 px. Last, screenshots in Arabic at desktop and phone widths for a person to look at
// (/tmp/shots/outcomes-*.png).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';
import { startMailCatcher } from './mail.mjs';

let env;
let mail;
before(async () => {
  // The catcher first: the server reads SHAREK_SMTP_URL at start.
  mail = await startMailCatcher();
  process.env.SHAREK_SMTP_URL = mail.url;
  env = await start();
});
after(async () => { await env?.stop(); await mail?.stop(); });

/** Console noise a page may make on purpose: a form shown again with errors (422), an unknown
 * unsubscribe link (404). */
const expectedNoise = (p) => p.includes('status of 422') || p.includes('status of 404');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = '/tmp/shots';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const TEXT = {
  ar: {
    dir: 'rtl', site: 'شارك', nav: 'النتائج وما تغيّر', title: 'قلتم، فعلنا', errorPrefix: 'خطأ:',
    pulseOutcome: 'مواعيد أوضح وردود أسرع في مراكز الخدمة', formOutcome: 'نموذج ملاحظات يعمل على الهاتف',
    pulseResults: 'نبض الرأي العام الربعي', survey: 'استبيان رضا المستفيدين عن الخدمات الرقمية',
    said: 'قلتم', did: 'فعلنا', indicator: 'قبل وبعد', timeline: 'مراحل التقدّم', results: 'نتائج الاستبيانات المنشورة',
    planned: 'مخطط لها', inProgress: 'قيد التنفيذ', done: 'نُفّذت', published: 'نُشرت.', block: 'النتائج وما تغيّر',
    contactSaved: 'سنراسلك عند نشر النتائج', required: 'اكتب هذا باللغتين.',
    created: 'أُضيفت النتيجة مسودةً.', saved: 'حُفظت النتيجة.',
    publishedNotice: (n) => `نُشرت النتيجة. الرسائل في قائمة الإرسال: ${n}.`,
    progressNotice: (n) => `أُضيف التقدّم. الرسائل في قائمة الإرسال: ${n}.`,
    draft: 'مسودة', newOutcome: 'نتيجة جديدة',
    publishedSubject: (title) => `قلتم، فعلنا: ${title}`,
    changedSubject: (title, status) => `تحديث: «${title}» أصبحت «${status}»`,
    unsubscribeTitle: 'إيقاف رسائل النتائج', unsubscribeButton: 'أوقف هذه الرسائل',
    unsubscribed: 'تم: لن تصلك رسائل أخرى عن النتائج، وحُذف كل بريد تركته لنكتب إليك.',
    unsubscribeUnknown: 'هذا الرابط غير صالح. انسخ الرابط كاملاً من الرسالة وحاول مرة أخرى.',
    showOpportunities: 'اعرض الفرص',
  },
  en: {
    dir: 'ltr', site: 'Sharek', nav: 'Results and what changed', title: 'You said, we did', errorPrefix: 'Error:',
    pulseOutcome: 'Clearer appointments and faster answers at service centres', formOutcome: 'A feedback form that works on phones',
    pulseResults: 'Quarterly public opinion pulse', survey: 'Digital services satisfaction survey',
    said: 'You said', did: 'We did', indicator: 'Before and after', timeline: 'Progress', results: 'Published survey results',
    planned: 'Planned', inProgress: 'In progress', done: 'Done', published: 'Published.', block: 'Results and what changed',
    contactSaved: 'We will write to you when the outcomes are published', required: 'Write this in both languages.',
    created: 'The outcome was added as a draft.', saved: 'The outcome was saved.',
    publishedNotice: (n) => `The outcome was published. Messages queued: ${n}.`,
    progressNotice: (n) => `The progress was added. Messages queued: ${n}.`,
    draft: 'Draft', newOutcome: 'New outcome',
    publishedSubject: (title) => `You said, we did: ${title}`,
    changedSubject: (title, status) => `Update: ${title} is now “${status}”`,
    unsubscribeTitle: 'Stop emails about outcomes', unsubscribeButton: 'Stop these emails',
    unsubscribed: 'Done: you will receive no more emails about outcomes, and any address you left to hear back has been deleted.',
    unsubscribeUnknown: 'This link is not valid. Copy the whole link from the email and try again.',
    showOpportunities: 'Show opportunities',
  },
};

/** The outcome staff add in each run; the titles carry the language so the two runs differ. */
const NEW = (lang) => ({
  title_ar: `مواعيد حجز إلكتروني أسهل (${lang})`,
  title_en: `Easier online booking (${lang})`,
  said_ar: 'قال المشاركون في استبيان الخدمات الرقمية إن حجز المواعيد عبر الموقع معقّد.',
  said_en: 'People in the digital services survey said booking an appointment on the website was complicated.',
  did_ar: 'بسّطنا الحجز إلى ثلاث خطوات وأضفنا تذكيراً بالبريد الإلكتروني.',
  did_en: 'We cut booking down to three steps and added an email reminder.',
  responsible_ar: 'إدارة الخدمات الرقمية',
  responsible_en: 'Digital Services Department',
  due_on: '2027-03-31',
  note_ar: 'بدأ العمل على الحجز المبسّط في الموقع.',
  note_en: 'Work on the simpler booking has started on the website.',
  done_ar: 'الحجز المبسّط متاح للجميع.',
  done_en: 'The simpler booking is live for everyone.',
});

const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();
const texts = async (page, selector) => (await page.locator(selector).allInnerTexts()).map((s) => s.trim());
const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Clicks `selector`; returns the response to the POST it sends once the next page has loaded. */
async function post(page, selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.waitForEvent('load'),
    page.click(selector),
  ]);
  return response;
}

/** Submits a GET form and waits for the address it leads to. */
async function submitGet(page, selector, url) {
  await Promise.all([page.waitForURL(url), page.click(selector)]);
}

/** The page is in `lang`, in the right direction. */
async function assertLanguage(page, lang) {
  const { htmlLang, dir } = await page.evaluate(() => ({
    htmlLang: document.documentElement.lang, dir: document.documentElement.dir,
  }));
  assert.equal(htmlLang, lang);
  assert.equal(dir, TEXT[lang].dir);
}

/** Opens `url` at phone width (with `cookies`) and asserts nothing scrolls sideways. */
async function assertNoSideScroll(url, what, cookies = []) {
  const phone = await newPage(env.browser, { viewport: PHONE });
  if (cookies.length) await phone.context().addCookies(cookies);
  await phone.goto(url);
  await hydrated(phone);
  const width = await pageWidth(phone);
  assert.ok(width <= PHONE.width, `${what} is ${width} px wide at ${PHONE.width} px`);
  assert.deepEqual(phone.problems, []);
  await phone.context().close();
}

/**
 * How big the chart's axis labels are on screen, in CSS pixels: the SVG is drawn at a fixed
 * size and scaled to fit, so on a phone its 12-unit text shrinks with it.
 */
async function chartTextPx(page) {
  return page.evaluate(() => {
    const label = document.querySelector('.chart svg text');
    return parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM().a;
  });
}

/**
 * Whether the example day in `selector` (2027-03-31) reads year first on screen. In a
 * right-to-left paragraph, digits after Arabic letters are Arabic numbers and the hyphens
 * between them do not join them (Unicode bidi W2, W4), so without an isolate the three parts
 * are laid out right to left and the example shows as 31-03-2027, the opposite of the format
 * it explains.
 */
async function exampleDayReadsYearFirst(page, selector) {
  return page.locator(selector).evaluate((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf('2027-03-31');
      if (at < 0) continue;
      const left = (from, to) => {
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        return range.getBoundingClientRect().left;
      };
      return left(at, at + 4) < left(at + 8, at + 10);
    }
    throw new Error(`no example day in ${element.outerHTML}`);
  });
}

/** Every message arrived so far to `to` whose subject is `subject`, waiting for at least one. */
async function mailTo(to, subject, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mail.waitFor(0)).filter((m) => m.to.includes(to) && m.subject === subject);
    if (found.length) return found;
    if (Date.now() > deadline) {
      const arrived = (await mail.waitFor(0)).map((m) => `${m.to}: ${m.subject}`);
      assert.fail(`no "${subject}" to ${to}; arrived: ${JSON.stringify(arrived)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function done(...pages) {
  for (const page of pages) {
    assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
    await page.context().close();
  }
}

for (const lang of ['ar', 'en']) {
  const t = TEXT[lang];

  describe(`${lang} outcomes, public`, () => {
    it('lists outcomes and published results, filters by status, shows an outcome with its chart and timeline', { timeout: 120_000 }, async () => {
      const page = await newPage(env.browser);
      await page.goto(`${env.base}/${lang}`);
      await hydrated(page);
      // The home page's "You said, we did" shows the demo outcomes.
      const home = page.locator('section[aria-labelledby="latest-outcomes"]');
      assert.equal(await text(page, '#latest-outcomes'), t.title);
      assert.equal(await home.locator(`a:has-text("${t.pulseOutcome}")`).count(), 1);
      // The main navigation leads to the list.
      const nav = page.locator(`nav a[href="/${lang}/outcomes"]`);
      assert.equal((await nav.first().innerText()).trim(), t.nav);
      await Promise.all([page.waitForURL(`${env.base}/${lang}/outcomes`), nav.first().click()]);
      await hydrated(page);
      await assertLanguage(page, lang);
      assert.equal(await text(page, 'h1'), t.title);
      assert.equal(await page.title(), `${t.title} | ${t.site}`);
      assert.deepEqual(await texts(page, 'ul.outcome-list h3'), [t.formOutcome, t.pulseOutcome]);
      assert.equal(await text(page, '#published-results'), t.results);
      assert.deepEqual(await texts(page, 'section[aria-labelledby="published-results"] li a'), [t.pulseResults]);
      assert.equal(await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), `/${lang}/outcomes/feed.atom`);
      const filterButton = await text(page, 'form.filter-form button[type="submit"]');
      await assertAccessible(page, assert);

      // Filtering is a GET form: the address can be shared, the choice is kept.
      await page.selectOption('#filter-status', 'done');
      await submitGet(page, 'form.filter-form button[type="submit"]', /\/outcomes\?(topic=&)?status=done$/);
      await hydrated(page);
      assert.equal(await page.inputValue('#filter-status'), 'done');
      assert.deepEqual(await texts(page, 'ul.outcome-list h3'), [t.formOutcome]);
      assert.deepEqual(await texts(page, 'ul.outcome-list .badge.outcome-done'), [t.done]);
      await assertAccessible(page, assert);
      await page.selectOption('#filter-status', 'not_adopted');
      await submitGet(page, 'form.filter-form button[type="submit"]', /status=not_adopted$/);
      await hydrated(page);
      assert.equal(await page.locator('ul.outcome-list').count(), 0, 'nothing is not adopted in the demo');
      await assertAccessible(page, assert);

      // The demo outcome of the quarterly pulse: what was said and done, the chart, the timeline.
      await page.goto(`${env.base}/${lang}/outcomes`);
      await Promise.all([page.waitForURL(new RegExp(`/${lang}/outcomes/${UUID}$`)), page.click(`a:has-text("${t.pulseOutcome}")`)]);
      await hydrated(page);
      await assertLanguage(page, lang);
      assert.equal(await text(page, 'h1'), t.pulseOutcome);
      assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), t.pulseOutcome);
      assert.equal(await text(page, '#said'), t.said);
      assert.equal(await text(page, '#did'), t.did);
      assert.equal(await text(page, '#indicator'), t.indicator);
      assert.equal(await text(page, '.outcome-detail > .badges .badge'), t.inProgress);
      assert.equal(await text(page, '.outcome-detail .eyebrow a'), t.pulseResults);
      const chart = page.locator('section[aria-labelledby="indicator"] .chart[role="img"]');
      assert.equal(await chart.count(), 1);
      assert.equal(await chart.locator('svg circle').count(), 3, 'one point per wave');
      assert.ok((await text(page, 'section[aria-labelledby="indicator"] figcaption')).length > 0);
      assert.equal(await page.locator('section[aria-labelledby="indicator"] details.data-table tbody tr').count(), 3);
      assert.equal(await text(page, '#timeline'), t.timeline);
      assert.deepEqual(await texts(page, '.timeline .timeline-head .badge'), [t.inProgress, t.planned]);
      assert.equal((await texts(page, '.timeline li > p:last-child'))[1], t.published);
      assert.ok(await page.locator(`a[href^="/${lang}/results/"]`).count() >= 1, 'a link to the survey results');
      await assertAccessible(page, assert);
      const detail = page.url();
      await assertNoSideScroll(`${env.base}/${lang}/outcomes`, 'the outcomes list');
      await assertNoSideScroll(detail, 'the demo outcome');
      // The chart's labels stay readable on a phone (the figures are also in the data table).
      const phone = await newPage(env.browser, { viewport: PHONE });
      await phone.goto(detail);
      await hydrated(phone);
      const px = await chartTextPx(phone);
      await phone.context().close();
      await done(page);

      // Last, what the whole walk above does not depend on.
      assert.ok(px >= 9, `the chart's axis labels are ${px.toFixed(1)} px on a ${PHONE.width} px phone`);
      assert.notEqual(filterButton, t.showOpportunities, 'the outcomes filter button says it shows outcomes, not opportunities');
    });

    it('works without JavaScript: filtering and the outcome page', { timeout: 60_000 }, async () => {
      const page = await newPage(env.browser, { javaScriptEnabled: false });
      await page.goto(`${env.base}/${lang}/outcomes`);
      await assertLanguage(page, lang);
      assert.equal(await text(page, 'h1'), t.title);
      assert.deepEqual(await texts(page, 'ul.outcome-list h3'), [t.formOutcome, t.pulseOutcome]);
      await page.selectOption('#filter-status', 'in_progress');
      await page.selectOption('#filter-topic', 'social_services');
      await submitGet(page, 'form.filter-form button[type="submit"]', /topic=social_services&status=in_progress$/);
      assert.deepEqual(await texts(page, 'ul.outcome-list h3'), [t.pulseOutcome]);
      assert.equal(await page.inputValue('#filter-status'), 'in_progress');
      assert.equal(await page.inputValue('#filter-topic'), 'social_services');
      await Promise.all([page.waitForURL(new RegExp(`/${lang}/outcomes/${UUID}$`)), page.click(`a:has-text("${t.pulseOutcome}")`)]);
      assert.equal(await text(page, 'h1'), t.pulseOutcome);
      assert.equal(await page.locator('.chart svg').count(), 1, 'the chart is drawn on the server');
      assert.deepEqual(await texts(page, '.timeline .timeline-head .badge'), [t.inProgress, t.planned]);
      await page.context().close();
    });
  });

}

// After both public runs, so the lists there hold the demo's outcomes alone.
for (const lang of ['ar', 'en']) {
  const t = TEXT[lang];

  describe(`${lang} outcomes, staff and the people told`, () => {
    it('someone asks to hear back; staff add, correct, publish and progress an outcome; the email arrives and its link unsubscribes', { timeout: 240_000 }, async () => {
      const o = NEW(lang);
      const title = lang === 'ar' ? o.title_ar : o.title_en;
      const address = `hear-back-${lang}@example.org`;

      // A participant leaves an address on the demo survey's thank-you page.
      const visitor = await newPage(env.browser);
      await visitor.goto(`${env.base}/${lang}/s/digital-services/thanks`);
      await hydrated(visitor);
      const surveyPage = await visitor.locator(`main a[href^="/${lang}/opportunities/"]`).first().getAttribute('href');
      const opportunity = surveyPage.match(new RegExp(`/opportunities/(${UUID})$`))[1];
      await visitor.fill('#field-email', address);
      const saved = await post(visitor, 'form[action$="/contact"] button[type="submit"]');
      assert.ok(saved.status() < 300, `status ${saved.status()}`);
      assert.ok((await text(visitor, 'main [role="status"].notice')).includes(t.contactSaved));

      // Staff: the list, then the form to add one.
      const staff = await newPage(env.browser);
      await signIn(staff, env.base, lang, env.admin);
      await Promise.all([staff.waitForURL(`${env.base}/${lang}/staff/outcomes`), staff.click(`main a[href="/${lang}/staff/outcomes"]`)]);
      await hydrated(staff);
      await assertLanguage(staff, lang);
      assert.ok((await texts(staff, 'table td a')).includes(t.pulseOutcome));
      await assertAccessible(staff, assert);
      // How long hear-back addresses are kept: a number out of range is named, then saved.
      await staff.fill('#field-days', '5');
      await Promise.all([staff.waitForLoadState('load'), staff.click('form[action$="/contacts/retention"] button[type="submit"]')]);
      await staff.waitForSelector('.error-summary');
      assert.equal(await staff.inputValue('#field-days'), '5');
      await hydrated(staff);
      await assertAccessible(staff, assert);
      await staff.fill('#field-days', '400');
      await Promise.all([staff.waitForURL(/retention=saved/), staff.click('form[action$="/contacts/retention"] button[type="submit"]')]);
      await staff.waitForSelector('main [role="status"].notice');
      assert.equal(await staff.inputValue('#field-days'), '400');
      await hydrated(staff);
      await assertAccessible(staff, assert);
      staff.problems = staff.problems.filter((p) => !p.includes('status of 422'));
      await staff.goto(`${env.base}/${lang}/staff/outcomes`);
      await hydrated(staff);
      await Promise.all([staff.waitForURL(`${env.base}/${lang}/staff/outcomes/new`), staff.click(`a.button[href="/${lang}/staff/outcomes/new"]`)]);
      await hydrated(staff);
      assert.equal(await text(staff, 'h1'), t.newOutcome);
      await assertAccessible(staff, assert);
      // Each field is typed in its own language's direction, whatever the page's.
      const directions = await staff.evaluate(() => Object.fromEntries(
        ['title_ar', 'title_en', 'said_ar', 'said_en', 'did_ar', 'did_en', 'responsible_ar', 'responsible_en']
          .map((name) => [name, getComputedStyle(document.getElementById(`field-${name}`)).direction]),
      ));
      const dayHint = await text(staff, '#field-due_on-hint');
      const yearFirst = await exampleDayReadsYearFirst(staff, '#field-due_on-hint');
      // Each indicator choice sends something different: a question key alone is the same
      // in several surveys.
      const indicators = await staff.locator('#field-indicator option').evaluateAll((os) => os.map((o) => o.value));
      const repeated = [...new Set(indicators.filter((v, i) => indicators.indexOf(v) !== i))];

      // A mistake first: "We did" left empty in English.
      await staff.selectOption('#field-link', `opportunity:${opportunity}`);
      for (const name of ['title_ar', 'title_en', 'said_ar', 'said_en', 'did_ar', 'responsible_ar', 'responsible_en', 'due_on']) {
        await staff.fill(`#field-${name}`, o[name]);
      }
      await staff.selectOption('#field-status', 'planned');
      const refused = await post(staff, 'form.card button[type="submit"]');
      assert.equal(refused.status(), 422);
      await staff.waitForSelector('.error-summary');
      assert.ok((await staff.title()).startsWith(t.errorPrefix), await staff.title());
      assert.deepEqual(await texts(staff, '.error-summary li'), [t.required]);
      assert.deepEqual(await staff.locator('.error-summary li a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#field-did_en']);
      const textareaInvalid = await staff.getAttribute('#field-did_en', 'aria-invalid');
      assert.equal(await staff.inputValue('#field-link'), `opportunity:${opportunity}`, 'the choice is kept');
      assert.equal(await staff.inputValue('#field-title_ar'), o.title_ar, 'what was typed is kept');
      assert.equal(await staff.inputValue('#field-said_en'), o.said_en);
      assert.equal(await staff.inputValue('#field-due_on'), o.due_on);
      await hydrated(staff);
      await staff.waitForFunction(() => document.activeElement?.classList.contains('error-summary'), null, { timeout: 10_000 });
      await assertAccessible(staff, assert);

      // Then right: a draft.
      await staff.fill('#field-did_en', o.did_en);
      const created = await post(staff, 'form.card button[type="submit"]');
      assert.equal(created.status(), 303);
      assert.match(staff.url(), new RegExp(`/${lang}/staff/outcomes/${UUID}\\?done=created$`));
      const id = staff.url().match(new RegExp(`/outcomes/(${UUID})\\?`))[1];
      const edit = `${env.base}/${lang}/staff/outcomes/${id}`;
      await hydrated(staff);
      assert.equal(await text(staff, 'main .notice'), t.created);
      assert.ok((await texts(staff, '.staff-outcome > .badges .badge')).includes(t.draft));
      assert.equal(await staff.locator('#publish').count(), 1, 'a draft has the Publish card');
      assert.equal(await staff.locator('#progress').count(), 0);
      assert.equal(await staff.inputValue('#field-did_en'), o.did_en);
      await assertAccessible(staff, assert);
      // The draft is not public yet.
      const early = await fetch(`${env.base}/${lang}/outcomes/${id}`);
      assert.equal(early.status, 404, 'a draft is not public');

      // Changing it, with a mistake (the English title emptied), then right.
      await staff.fill('#field-title_en', '');
      await staff.fill('#field-said_ar', `${o.said_ar} وطلبوا تذكيراً.`);
      const wrong = await post(staff, 'form.card button[type="submit"]');
      assert.equal(wrong.status(), 422);
      await staff.waitForSelector('.error-summary');
      assert.deepEqual(await texts(staff, '.error-summary li'), [t.required]);
      assert.equal(await staff.getAttribute('#field-title_en', 'aria-invalid'), 'true');
      assert.equal(await staff.inputValue('#field-said_ar'), `${o.said_ar} وطلبوا تذكيراً.`, 'what was typed is kept');
      await hydrated(staff);
      await assertAccessible(staff, assert);
      await staff.fill('#field-title_en', o.title_en);
      assert.equal((await post(staff, 'form.card button[type="submit"]')).status(), 303);
      assert.equal(staff.url(), `${edit}?done=saved`);
      assert.equal(await text(staff, 'main .notice'), t.saved);

      // Publishing tells the one address left to hear back.
      assert.equal((await post(staff, 'section[aria-labelledby="publish"] button[type="submit"]')).status(), 303);
      assert.equal(staff.url(), `${edit}?done=published&told=1`);
      await hydrated(staff);
      assert.equal(await text(staff, 'main .notice'), t.publishedNotice(1));
      assert.equal(await staff.locator('#publish').count(), 0);
      assert.deepEqual(await texts(staff, '.timeline .timeline-head .badge.outcome-planned'), [t.planned]);
      await assertAccessible(staff, assert);

      // Progress with a new status tells them again.
      await staff.selectOption('#progress ~ form select[name="status"]', 'in_progress');
      await staff.fill('#field-note_ar', o.note_ar);
      await staff.fill('#field-note_en', o.note_en);
      assert.equal((await post(staff, 'section[aria-labelledby="progress"] button[type="submit"]')).status(), 303);
      assert.equal(staff.url(), `${edit}?done=progress&told=1`);
      await hydrated(staff);
      assert.equal(await text(staff, 'main .notice'), t.progressNotice(1));
      assert.deepEqual(await texts(staff, '.timeline .timeline-head .badge[class*="outcome-"]'), [t.inProgress, t.planned]);
      assert.equal((await texts(staff, '.timeline li > p:last-child'))[0], lang === 'ar' ? o.note_ar : o.note_en);
      assert.equal(await text(staff, '.staff-outcome > .badges .badge'), t.inProgress);
      await assertAccessible(staff, assert);
      await assertNoSideScroll(edit, 'the staff outcome page', await staff.context().cookies());

      // The emails, in the language the address was left in.
      const [first] = await mailTo(address, t.publishedSubject(title));
      assert.ok(first.body.includes(lang === 'ar' ? o.did_ar : o.did_en), first.body);
      assert.ok(first.body.includes(`${env.base}/${lang}/outcomes/${id}`), first.body);
      const inProgress = lang === 'ar' ? TEXT.ar.inProgress : TEXT.en.inProgress;
      const [second] = await mailTo(address, t.changedSubject(title, inProgress));
      assert.ok(second.body.includes(lang === 'ar' ? o.note_ar : o.note_en), second.body);
      const unsubscribe = second.body.match(new RegExp(`${env.base}/${lang}/outcomes/unsubscribe/\\S+`))?.[0];
      assert.ok(unsubscribe, second.body);

      // The link opens a page with one button; pressing it stops the emails.
      await visitor.goto(unsubscribe);
      await hydrated(visitor);
      await assertLanguage(visitor, lang);
      assert.equal(await text(visitor, 'h1'), t.unsubscribeTitle);
      assert.equal(await text(visitor, 'main form button[type="submit"]'), t.unsubscribeButton);
      await assertAccessible(visitor, assert);
      const stopped = await post(visitor, 'main form button[type="submit"]');
      assert.equal(stopped.status(), 303);
      assert.equal(visitor.url(), `${unsubscribe}?done=1`);
      await hydrated(visitor);
      assert.equal(await text(visitor, 'main [role="status"].notice'), t.unsubscribed);
      assert.equal(await visitor.locator('main form').count(), 0);
      await assertAccessible(visitor, assert);
      await assertNoSideScroll(visitor.url(), 'the unsubscribe page');

      // A link mangled by a mail program says so.
      await visitor.goto(`${env.base}/${lang}/outcomes/unsubscribe/not-a-token`);
      const unknown = await post(visitor, 'main form button[type="submit"]');
      assert.equal(unknown.status(), 404);
      assert.equal(await text(visitor, 'main .error-message'), t.unsubscribeUnknown);
      await hydrated(visitor);
      await assertAccessible(visitor, assert);

      // Done: nobody is left to tell.
      await staff.selectOption('#progress ~ form select[name="status"]', 'done');
      await staff.fill('#field-note_ar', o.done_ar);
      await staff.fill('#field-note_en', o.done_en);
      assert.equal((await post(staff, 'section[aria-labelledby="progress"] button[type="submit"]')).status(), 303);
      assert.equal(staff.url(), `${edit}?done=progress&told=0`, 'an address that unsubscribed is not written to');
      assert.deepEqual(await texts(staff, '.timeline .timeline-head .badge[class*="outcome-"]'), [t.done, t.inProgress, t.planned]);
      await hydrated(staff);
      await assertAccessible(staff, assert);

      // The public page, the survey's block, the home page and the list show it.
      await visitor.goto(`${env.base}/${lang}/outcomes/${id}`);
      await hydrated(visitor);
      assert.equal(await text(visitor, 'h1'), title);
      assert.equal(await text(visitor, '.outcome-detail > .badges .badge'), t.done);
      assert.equal(await text(visitor, '.outcome-detail .eyebrow a'), t.survey);
      assert.deepEqual(await texts(visitor, '.timeline .timeline-head .badge'), [t.done, t.inProgress, t.planned]);
      assert.deepEqual(await texts(visitor, '.timeline li > p:last-child'), lang === 'ar'
        ? [o.done_ar, o.note_ar, t.published] : [o.done_en, o.note_en, t.published]);
      assert.equal(await visitor.locator('#indicator').count(), 0, 'no indicator was chosen');
      await assertAccessible(visitor, assert);
      await assertNoSideScroll(visitor.url(), 'the new outcome');

      await visitor.goto(`${env.base}${surveyPage}`);
      await hydrated(visitor);
      const block = visitor.locator('section.closing-loop');
      assert.equal(await text(visitor, '#closing-loop'), t.block);
      assert.equal(await block.locator(`a[href="/${lang}/outcomes/${id}"]`).innerText(), title);
      await assertAccessible(visitor, assert);
      await assertNoSideScroll(visitor.url(), 'the survey opportunity page');

      await visitor.goto(`${env.base}/${lang}`);
      await hydrated(visitor);
      assert.equal(await visitor.locator(`section[aria-labelledby="latest-outcomes"] a[href="/${lang}/outcomes/${id}"]`).count(), 1);
      await visitor.goto(`${env.base}/${lang}/outcomes?status=done`);
      await hydrated(visitor);
      assert.ok((await texts(visitor, 'ul.outcome-list h3')).includes(title));
      await done(staff, visitor);

      // Last, what the whole walk above does not depend on.
      assert.equal(textareaInvalid, 'true', 'a textarea with an error is marked invalid, as text fields and lists are');
      assert.deepEqual(directions, {
        title_ar: 'rtl', title_en: 'ltr', said_ar: 'rtl', said_en: 'ltr',
        did_ar: 'rtl', did_en: 'ltr', responsible_ar: 'rtl', responsible_en: 'ltr',
      }, 'each field is in the direction of the language typed in it');
      assert.ok(yearFirst, `the hint's example day (“${dayHint}”) shows day first, 31-03-2027, on screen`);
      assert.deepEqual(repeated, [], 'indicator choices that send the same value');
    });
  });
}

describe('screenshots (Arabic)', () => {
  it('the list, a demo outcome with its chart, the staff page and the opportunity block, at desktop and phone widths', { timeout: 120_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const probe = await newPage(env.browser);
    await signIn(probe, env.base, 'ar', env.admin);
    const cookies = await probe.context().cookies();
    await probe.goto(`${env.base}/ar/outcomes`);
    const detail = await probe.locator(`a:has-text("${TEXT.ar.pulseOutcome}")`).getAttribute('href');
    const id = detail.match(new RegExp(UUID))[0];
    await probe.goto(`${env.base}/ar/s/digital-services/thanks`);
    const survey = await probe.locator('main a[href^="/ar/opportunities/"]').first().getAttribute('href');
    await probe.goto(`${env.base}${detail}`);
    const pulse = await probe.locator('.outcome-detail .eyebrow a').getAttribute('href');
    await probe.context().close();

    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await newPage(env.browser, { viewport });
      await page.context().addCookies(cookies);
      const shots = [
        ['list', '/ar/outcomes'],
        ['detail', detail],
        ['staff', `/ar/staff/outcomes/${id}`],
        ['opportunity', survey],
        ['pulse-opportunity', pulse],
        ['new-error', '/ar/staff/outcomes/new'],
        ['unsubscribe', '/ar/outcomes/unsubscribe/a-link-from-an-email'],
      ];
      for (const [name, path] of shots) {
        await page.goto(`${env.base}${path}`);
        await hydrated(page);
        if (name === 'new-error') {
          await post(page, 'form.card button[type="submit"]');
          await hydrated(page);
        }
        await page.screenshot({ path: `${SHOTS}/outcomes-${name}-${size}.png`, fullPage: true });
        if (name.endsWith('opportunity')) {
          await page.locator('section.closing-loop').screenshot({ path: `${SHOTS}/outcomes-${name}-block-${size}.png` });
        }
        const width = await pageWidth(page);
        assert.ok(width <= viewport.width, `${path} is ${width} px wide at ${viewport.width} px`);
      }
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    }
  });
});
