// The public survey form in a real browser (issue 5): the demo's open survey "digital-services"
// answered page by page with JavaScript (the check runs before sending, rules hide questions
// live), without it (the server answers 422 with the same page), and with the keyboard alone;
// the thank-you page and its "hear back" form; the staff pages that collect responses and enter
// one taken by phone. Both languages, with axe-core on every state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

/** Console noise a page may make on purpose: a form shown again with errors (422). */
const expectedNoise = (p) => p.includes('status of 422');

const TEXT = {
  ar: {
    errorPrefix: 'خطأ:',
    page1: 'الصفحة 1 من 2',
    page2: 'الصفحة 2 من 2',
    continue: 'حفظ ومتابعة',
    submit: 'إرسال إجاباتي',
    back: 'رجوع',
    thanks: 'شكراً لك',
    contactSaved: 'سنراسلك عند نشر النتائج',
    assistSaved: 'حُفظت الإجابة',
    survey: 'استبيان رضا المستفيدين عن الخدمات الرقمية',
    collect: 'جمع الإجابات',
    count: 'عدد الإجابات حتى الآن',
    // Arabic-Indic digits, as many people here type them.
    visits: '٣',
    tooMany: '١٠١',
    notANumber: 'ثلاث',
    nextRound: 'تُفتح الدورة التالية في', uaeTime: 'بتوقيت الإمارات', watching: 'سنراسلك مرة واحدة',
    lastResults: 'نتائج الدورة الأخيرة', betweenRounds: 'بين دورتين', identifying: 'يطلب هذا الاستبيان من المشاركين',
  },
  en: {
    errorPrefix: 'Error:',
    page1: 'Page 1 of 2',
    page2: 'Page 2 of 2',
    continue: 'Save and continue',
    submit: 'Send my answers',
    back: 'Back',
    thanks: 'Thank you',
    contactSaved: 'We will write to you when the outcomes are published',
    assistSaved: 'The response was saved',
    survey: 'Digital services satisfaction survey',
    collect: 'Collecting responses',
    count: 'Responses so far',
    visits: '3',
    tooMany: '101',
    notANumber: 'three',
    nextRound: 'The next round opens on', uaeTime: 'UAE time', watching: 'we will email you once',
    lastResults: 'Results of the last round', betweenRounds: 'Between rounds', identifying: 'This survey asks participants for',
  },
};

const next = 'button[name="action"][value="next"]';
const send = 'button[name="action"][value="submit"]';
const back = 'button[name="action"][value="back"]';
const contactButton = 'form[action$="/contact"] button[type="submit"]';

/** Western digits for Arabic-Indic ones (counts may be shown in either). */
const ascii = (s) => s.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));

const formUrl = (lang) => `${env.base}/${lang}/s/digital-services`;
const pageUrl = (lang, n) => new RegExp(`/${lang}/s/digital-services\\?r=[0-9a-f-]{36}&page=${n}$`);
const thanksUrl = (lang) => `${env.base}/${lang}/s/digital-services/thanks`;

/** The hrefs of the error summary's links. */
async function summaryLinks(page) {
  return page.locator('.error-summary:not([hidden]) li a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
}

/** Waits until the error summary has focus (the island focuses it in the next frame; without
 * JavaScript, `autofocus` does it as the page loads, and waitForFunction cannot poll). */
async function summaryFocused(page, js = true) {
  const check = () => document.activeElement?.classList.contains('error-summary');
  if (js) await page.waitForFunction(check, null, { timeout: 10_000 });
  else assert.ok(await page.evaluate(check), 'the error summary has focus');
}

/**
 * axe-core on a page shown without JavaScript. axe cannot run where scripts are off (its timers
 * never fire), so the page's markup, exactly as the browser holds it, is checked in a copy with
 * scripting on for axe alone: every script of the page itself is removed or blocked.
 */
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
    assert.equal(await copy.evaluate(() => document.documentElement.dataset.hydrated), undefined, 'the copy stays unhydrated');
    await assertAccessible(copy, assert);
  } finally {
    await context.close();
  }
}

/** Clicks `selector`; returns the response to the POST it sends once the next page has loaded. */
async function post(page, selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.waitForEvent('load'),
    page.click(selector),
  ]);
  return response;
}

/** The thank-you page's "hear back" form: a bad address first (422, summary), then a good one. */
async function hearBack(page, lang, js) {
  const t = TEXT[lang];
  assert.ok((await page.locator('h1').textContent()).includes(t.thanks));
  assert.ok(await page.isVisible('#field-email'));
  if (js) await hydrated(page);
  await (js ? assertAccessible(page, assert) : assertAccessibleAsServed(page));

  await page.fill('#field-email', 'not-an-address');
  const refused = await post(page, contactButton);
  assert.equal(refused.status(), 422);
  await page.waitForSelector('.error-summary');
  assert.deepEqual(await summaryLinks(page), ['#field-email']);
  assert.ok((await page.title()).startsWith(t.errorPrefix), await page.title());
  await summaryFocused(page, js);
  assert.equal(await page.inputValue('#field-email'), 'not-an-address', 'what was typed is kept');
  assert.equal(await page.getAttribute('#field-email', 'aria-invalid'), 'true');
  assert.ok(await page.isVisible('#field-email-error'));
  if (js) await hydrated(page);
  await (js ? assertAccessible(page, assert) : assertAccessibleAsServed(page));

  await page.fill('#field-email', `person-${lang}@example.org`);
  const saved = await post(page, contactButton);
  assert.ok(saved.status() < 300, `status ${saved.status()}`);
  const notice = page.locator('main [role="status"].notice');
  await notice.waitFor();
  assert.ok((await notice.textContent()).includes(t.contactSaved));
  assert.equal(await page.locator('.error-summary').count(), 0);
  assert.equal(await page.locator('#field-email').count(), 0, 'the form is replaced by the confirmation');
  assert.ok(!(await page.title()).startsWith(t.errorPrefix));
  if (js) await hydrated(page);
  await (js ? assertAccessible(page, assert) : assertAccessibleAsServed(page));
}

for (const lang of ['ar', 'en']) {
  const t = TEXT[lang];

  describe(`${lang} survey form`, () => {
    it('with JavaScript: checked before sending, rules live, two pages, back, thanks and hear back', { timeout: 180_000 }, async () => {
      const page = await newPage(env.browser);
      const posts = [];
      page.on('request', (r) => { if (r.method() === 'POST' && r.resourceType() === 'document') posts.push(r.url()); });
      await page.goto(formUrl(lang));
      await hydrated(page);
      assert.equal((await page.textContent('#progress')).trim(), t.page1);
      assert.equal((await page.textContent(next)).trim(), t.continue);
      assert.equal(await page.locator('.resume-link').count(), 0, 'no resume link before anything is saved');
      assert.ok(await page.isHidden('.error-summary'));
      // Rules apply live: both follow-up questions wait for the yes/no answer.
      assert.ok(await page.isHidden('#question-satisfaction'));
      assert.ok(await page.isHidden('#question-why_not'));
      await assertAccessible(page, assert);

      // Nothing answered: the check runs in the browser, nothing is sent.
      await page.click(next);
      await page.waitForSelector('.error-summary:not([hidden])');
      await summaryFocused(page);
      assert.deepEqual(await summaryLinks(page), ['#stakeholder_group-citizen', '#q-uses_services-yes', '#q-channel-web']);
      assert.ok((await page.title()).startsWith(t.errorPrefix), await page.title());
      assert.ok(!(await page.title()).startsWith(`${t.errorPrefix} ${t.errorPrefix}`));
      for (const id of ['stakeholder_group-error', 'q-uses_services-error', 'q-channel-error']) {
        assert.ok(await page.isVisible(`#${id}`), `${id} is shown at its question`);
      }
      assert.equal(await page.locator('.error-message:not([hidden])').count(), 3);
      assert.deepEqual(posts, [], 'nothing was sent');
      assert.equal(page.url(), formUrl(lang));
      await assertAccessible(page, assert);
      // Clicking again does not prefix the title twice.
      await page.click(next);
      await summaryFocused(page);
      assert.ok(!(await page.title()).startsWith(`${t.errorPrefix} ${t.errorPrefix}`), await page.title());

      // The rule: satisfaction appears after "yes", the reasons after "no".
      await page.check('#stakeholder_group-academic');
      await page.check('#q-uses_services-yes');
      await page.waitForSelector('#question-satisfaction', { state: 'visible' });
      assert.ok(await page.isHidden('#question-why_not'));
      await page.check('#q-uses_services-no');
      await page.waitForSelector('#question-why_not', { state: 'visible' });
      await page.waitForSelector('#question-satisfaction', { state: 'hidden' });
      await page.check('#q-uses_services-yes');
      await page.waitForSelector('#question-satisfaction', { state: 'visible' });
      await page.check('#q-channel-web');
      await page.selectOption('#q-region', 'sharjah');
      await page.check('#q-recommend-9');
      await page.check('#q-aspects-clarity-3');
      await page.selectOption('#q-priorities-rank-wait', '1');
      await page.selectOption('#q-priorities-rank-online', '2');
      await page.selectOption('#q-priorities-rank-info', '3');
      // Satisfaction is required now that it shows.
      await page.click(next);
      await summaryFocused(page);
      assert.deepEqual(await summaryLinks(page), ['#q-satisfaction-1']);
      assert.equal(await page.locator('.error-message:not([hidden])').count(), 1);
      assert.ok(await page.isVisible('#q-satisfaction-error'));
      assert.deepEqual(posts, [], 'still nothing sent');
      await assertAccessible(page, assert);
      await page.check('#q-satisfaction-4');

      assert.equal(await page.inputValue('#website'), '', 'the robot trap stays empty');
      await Promise.all([page.waitForURL(pageUrl(lang, 1)), page.click(next)]);
      await hydrated(page);
      assert.equal(posts.length, 1);
      assert.equal((await page.textContent('#progress')).trim(), t.page2);
      assert.ok(await page.isVisible('.resume-link'));
      assert.match(await page.getAttribute('.resume-link', 'href'), /\/s\/digital-services\?r=[0-9a-f-]{36}$/);
      assert.equal((await page.textContent(send)).trim(), t.submit);
      assert.equal((await page.textContent(back)).trim(), t.back);
      assert.ok(!(await page.title()).startsWith(t.errorPrefix), 'a fresh page has no error prefix');
      await assertAccessible(page, assert);

      // A number out of range (typed in the language's digits) is caught before sending.
      await page.fill('#q-visits', t.tooMany);
      await page.click(send);
      await summaryFocused(page);
      assert.deepEqual(await summaryLinks(page), ['#q-visits']);
      assert.ok(await page.isVisible('#q-visits-error'));
      assert.ok((await page.title()).startsWith(t.errorPrefix));
      assert.equal(posts.length, 1, 'nothing more was sent');
      await assertAccessible(page, assert);
      await page.fill('#q-visits', t.visits);
      await page.fill('#q-idea', lang === 'ar' ? 'مواعيد مسائية' : 'Evening appointments');

      // Back: page 1 with every answer still there, the rule applied to them.
      await Promise.all([page.waitForURL(pageUrl(lang, 0)), page.click(back)]);
      await hydrated(page);
      assert.equal((await page.textContent('#progress')).trim(), t.page1);
      for (const id of ['stakeholder_group-academic', 'q-uses_services-yes', 'q-satisfaction-4', 'q-channel-web', 'q-recommend-9', 'q-aspects-clarity-3']) {
        assert.ok(await page.isChecked(`#${id}`), `${id} is still selected`);
      }
      assert.equal(await page.inputValue('#q-region'), 'sharjah');
      assert.equal(await page.inputValue('#q-priorities-rank-online'), '2');
      assert.ok(await page.isVisible('#question-satisfaction'));
      assert.ok(await page.isHidden('#question-why_not'));
      assert.ok(await page.isVisible('.resume-link'), 'the resume link shows once answers are saved');
      await assertAccessible(page, assert);

      await Promise.all([page.waitForURL(pageUrl(lang, 1)), page.click(next)]);
      await hydrated(page);
      assert.equal(ascii(await page.inputValue('#q-visits')), '3', 'page 2 keeps what Back saved');
      assert.ok((await page.inputValue('#q-idea')).length > 0);
      await page.fill('#q-email', `someone-${lang}@example.org`);
      await page.fill('#q-phone', '0501234567');
      assert.equal(await page.inputValue('#website'), '');
      const resume = await page.getAttribute('.resume-link', 'href');
      await Promise.all([page.waitForURL(thanksUrl(lang)), page.click(send)]);
      await hearBack(page, lang, true);

      // The resume link of answers already sent says so; an unknown one offers a fresh start.
      // (Both are the notice page that closed and invitation-only surveys show too.)
      await page.goto(`${env.base}${new URL(resume).pathname}${new URL(resume).search}`);
      await hydrated(page);
      assert.equal(await page.locator('main h1').count(), 1);
      assert.equal(await page.locator('form.response-form').count(), 0, 'no form for answers already sent');
      await assertAccessible(page, assert);
      await page.goto(`${env.base}/${lang}/s/digital-services?r=00000000-0000-4000-8000-000000000000`);
      await hydrated(page);
      assert.equal(await page.locator(`main a[href="/${lang}/s/digital-services"]`).count(), 1, 'a link to start again');
      await assertAccessible(page, assert);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });

    it('without JavaScript: every question shows, the server answers 422 with the summary, thanks', { timeout: 180_000 }, async () => {
      const page = await newPage(env.browser, { javaScriptEnabled: false });
      const first = await page.goto(formUrl(lang));
      assert.equal(first.status(), 200);
      assert.equal((await page.textContent('#progress')).trim(), t.page1);
      // No live rules: the follow-up questions show, each with a note saying when it applies.
      for (const key of ['satisfaction', 'why_not']) {
        assert.ok(await page.isVisible(`#question-${key}`), `${key} shows without JavaScript`);
        assert.ok(await page.isVisible(`#question-${key} .condition-note`), `${key} says when it applies`);
      }
      assert.ok(await page.isHidden('.error-summary'));
      await assertAccessibleAsServed(page);

      // Nothing answered: the same page again, 422, with the summary focused.
      const refused = await post(page, next);
      assert.equal(refused.status(), 422);
      await page.waitForSelector('.error-summary:not([hidden])');
      assert.deepEqual(await summaryLinks(page), ['#stakeholder_group-citizen', '#q-uses_services-yes', '#q-channel-web']);
      assert.ok((await page.title()).startsWith(t.errorPrefix), await page.title());
      await summaryFocused(page, false);
      assert.equal(await page.locator('.error-message:not([hidden])').count(), 3);
      assert.ok(await page.isVisible('#q-channel-error'));
      await assertAccessibleAsServed(page);

      // "No", with reasons and another channel: satisfaction is not asked for.
      await page.check('#stakeholder_group-resident');
      await page.check('#q-uses_services-no');
      await page.check('#q-why_not-hard');
      await page.check('#q-why_not-access');
      await page.check('#q-channel-other');
      await page.fill('#q-channel-other-text', lang === 'ar' ? 'واتساب' : 'WhatsApp');
      await page.selectOption('#q-region', 'dubai');
      await page.check('#q-aspects-speed-2');
      const saved = await post(page, next);
      assert.equal(saved.status(), 303, 'saved, then redirected to page 2');
      assert.match(page.url(), pageUrl(lang, 1));
      assert.equal((await page.textContent('#progress')).trim(), t.page2);
      assert.ok(await page.isVisible('.resume-link'));
      assert.equal(await page.locator('.error-summary:not([hidden])').count(), 0);
      await assertAccessibleAsServed(page);

      // Page 2: a number that is not one.
      await page.fill('#q-visits', t.notANumber);
      const bad = await post(page, send);
      assert.equal(bad.status(), 422);
      assert.deepEqual(await summaryLinks(page), ['#q-visits']);
      assert.equal(await page.inputValue('#q-visits'), t.notANumber, 'what was typed is kept');
      assert.ok(await page.isVisible('#q-visits-error'));
      assert.ok((await page.title()).startsWith(t.errorPrefix));
      assert.equal((await page.textContent('#progress')).trim(), t.page2);
      await assertAccessibleAsServed(page);

      // Back (a plain submit button): page 1 as it was answered.
      await page.fill('#q-visits', t.visits);
      const backed = await post(page, back);
      assert.equal(backed.status(), 303);
      assert.match(page.url(), pageUrl(lang, 0));
      for (const id of ['stakeholder_group-resident', 'q-uses_services-no', 'q-why_not-hard', 'q-why_not-access', 'q-channel-other', 'q-aspects-speed-2']) {
        assert.ok(await page.isChecked(`#${id}`), `${id} is still selected`);
      }
      assert.equal(await page.inputValue('#q-channel-other-text'), lang === 'ar' ? 'واتساب' : 'WhatsApp');
      assert.equal(await page.inputValue('#q-region'), 'dubai');
      await assertAccessibleAsServed(page);

      await post(page, next);
      assert.match(page.url(), pageUrl(lang, 1));
      assert.equal(ascii(await page.inputValue('#q-visits')), '3');
      await page.fill('#q-details', lang === 'ar' ? 'لا شيء آخر.' : 'Nothing else.');
      assert.equal(await page.inputValue('#website'), '');
      const sent = await post(page, send);
      assert.equal(sent.status(), 303);
      assert.equal(page.url(), thanksUrl(lang));
      await hearBack(page, lang, false);
      // With scripts off, Chromium cancels the bundle's modulepreload: not the page's fault.
      const preload = (p) => /^request failed: .*\/pkg\/[^/]+\/sharek\.js$/.test(p);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p) && !preload(p)), []);
      await page.context().close();
    });

    it('with the keyboard alone: errors, summary links, radios, a list, typing and sending', { timeout: 180_000 }, async () => {
      const page = await newPage(env.browser);
      await page.goto(formUrl(lang));
      await hydrated(page);

      // The skip link first, then into the form.
      let f = await tab(page);
      assert.ok(f.className.includes('skip-link'), `first stop: ${JSON.stringify(f)}`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      f = await tab(page);
      assert.equal(f.name, 'stakeholder_group', 'the first stop in the main content is the first question');

      // Sending with nothing answered: the summary takes focus; its first link leads to the question.
      await tabTo(page, (x) => x.tag === 'button' && x.value === 'next', 'the continue button');
      await page.keyboard.press('Enter');
      await summaryFocused(page);
      assert.ok((await page.title()).startsWith(t.errorPrefix));
      f = await tab(page);
      assert.equal(f.href, '#stakeholder_group-citizen', 'the summary\'s first link');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'stakeholder_group-citizen', null, { timeout: 5_000 })
        .catch(() => assert.fail('the summary link does not move focus to its question'));
      await page.keyboard.press('Space');
      assert.ok(await page.isChecked('#stakeholder_group-citizen'));

      await tabTo(page, (x) => x.name === 'q.uses_services', 'the yes/no question');
      await page.keyboard.press('Space');
      assert.ok(await page.isChecked('#q-uses_services-yes'));
      await page.waitForSelector('#question-satisfaction', { state: 'visible' });
      // The question that just appeared is the next stop.
      f = await tab(page);
      assert.equal(f.name, 'q.satisfaction');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      assert.ok(await page.isChecked('#q-satisfaction-4'), 'the arrow keys move through the scale');
      await assertFocus(page);

      await tabTo(page, (x) => x.name === 'q.channel', 'the channel question');
      await page.keyboard.press('Space');
      assert.ok(await page.isChecked('#q-channel-web'));
      await tabTo(page, (x) => x.id === 'q-region', 'the region list');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.inputValue('#q-region'), 'abu_dhabi');
      await tabTo(page, (x) => x.name === 'q.recommend', 'the recommendation scale');
      await page.keyboard.press('Space');
      assert.ok(await page.isChecked('#q-recommend-0'));
      await tabTo(page, (x) => x.tag === 'button' && x.value === 'next', 'the continue button');
      await Promise.all([page.waitForURL(pageUrl(lang, 1)), page.keyboard.press('Enter')]);
      await hydrated(page);

      // Page 2: type a number (Arabic-Indic digits in Arabic) and an address, then send.
      await tabTo(page, (x) => x.id === 'q-visits', 'the number question');
      await page.keyboard.type(t.visits);
      await tabTo(page, (x) => x.id === 'q-email', 'the email question');
      await page.keyboard.type(`keys-${lang}@example.org`);
      // Going backwards works too: Shift+Tab returns to the number.
      f = await focused(page);
      for (let i = 0; i < 8 && f.id !== 'q-visits'; i++) f = await tab(page, true);
      assert.equal(f.id, 'q-visits', 'Shift+Tab leads back to the number');
      assert.equal(ascii(await page.inputValue('#q-visits')), '3');
      await tabTo(page, (x) => x.tag === 'button' && x.value === 'submit', 'the send button');
      await Promise.all([page.waitForURL(thanksUrl(lang)), page.keyboard.press('Enter')]);
      assert.ok((await page.locator('h1').textContent()).includes(t.thanks));

      // Hear back, by keyboard: Enter in the field sends the form.
      await hydrated(page);
      await tabTo(page, (x) => x.id === 'field-email', 'the hear-back address');
      await page.keyboard.type(`keys-${lang}@example.org`);
      await page.keyboard.press('Enter');
      await page.waitForSelector('main [role="status"].notice');
      assert.ok((await page.textContent('main [role="status"].notice')).includes(t.contactSaved));
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });
  });

  describe(`${lang} a periodic survey between rounds`, () => {
    it('says when the next round opens in UAE time, links the last results, takes an address', { timeout: 180_000 }, async () => {
      // With JavaScript, and at a phone's width: nothing scrolls sideways.
      const page = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
      const url = `${env.base}/${lang}/s/quarterly-pulse`;
      assert.equal((await page.goto(url)).status(), 200);
      await hydrated(page);
      const lead = await page.locator('main .lead').innerText();
      assert.ok(lead.includes(t.nextRound) && lead.includes(t.uaeTime), lead);
      assert.equal(await page.locator('button[name="action"]').count(), 0, 'no form to answer');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
      await assertAccessible(page, assert);
      const refused = await post(page, 'form.watch-form button[type="submit"]');
      assert.equal(refused.status(), 422);
      assert.deepEqual(await summaryLinks(page), ['#field-email']);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-email', `pulse-${lang}@example.ae`);
      const kept = await post(page, 'form.watch-form button[type="submit"]');
      assert.equal(kept.status(), 201);
      assert.ok((await page.locator('main .notice[role="status"]').innerText()).includes(t.watching));
      await hydrated(page);
      await assertAccessible(page, assert);
      // The last round's results, by the round's name.
      await Promise.all([page.waitForURL(/\/results\/quarterly-pulse\?wave=\d+$/), page.click(`main a:has-text("${t.lastResults}")`)]);
      const wave = new URL(page.url()).searchParams.get('wave');
      const chosen = await page.locator('#public-wave option:checked').innerText();
      assert.match(chosen, /^\d{4}-Q[1-4]$/, `round ${wave} is named by its quarter`);
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();

      // Without JavaScript the same page works; its opportunity says it is between rounds.
      const plain = await newPage(env.browser, { javaScriptEnabled: false });
      await plain.goto(url);
      assert.ok((await plain.locator('main .lead').innerText()).includes(t.nextRound));
      await assertAccessibleAsServed(plain);
      await plain.goto(`${env.base}/${lang}/opportunities`);
      const opportunity = plain.locator('main a[href*="/opportunities/"]', { hasText: lang === 'ar' ? 'نبض الرأي العام الربعي' : 'Quarterly public opinion pulse' }).first();
      await Promise.all([plain.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/), opportunity.click()]);
      assert.ok((await plain.locator('main .notice').first().innerText()).includes(t.betweenRounds));
      await assertAccessibleAsServed(plain);
      await plain.context().close();
    });
  });

  describe(`${lang} collecting responses (staff)`, () => {
    it('the collect and assisted entry pages are accessible; a response taken by phone is saved', { timeout: 180_000 }, async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await page.goto(`${env.base}/${lang}/staff/surveys`);
      await hydrated(page);
      await Promise.all([
        page.waitForURL(/\/staff\/surveys\/[0-9a-f-]{36}$/),
        page.click(`main a:has-text("${t.survey}")`),
      ]);
      const surveyUrl = page.url();
      // The survey asks for an email address and a phone number: the author is told so.
      assert.ok((await page.locator('.identifying-note').innerText()).includes(t.identifying));
      await Promise.all([page.waitForURL(`${surveyUrl}/collect`), page.click(`main a[href$="/collect"]`)]);
      await hydrated(page);
      assert.ok((await page.locator('h1').textContent()).includes(t.collect));
      assert.ok(await page.isVisible('#field-slug'));
      assert.equal(await page.inputValue('#field-slug'), 'digital-services');
      assert.ok(await page.isVisible('#field-emails'), 'the invitations form');
      assert.ok(await page.isVisible(`code:has-text("/${lang}/s/digital-services")`), 'the link to share');
      const count = async () => Number(ascii(await page.locator('main p').filter({ hasText: t.count }).textContent()).match(/[0-9]+/)[0]);
      const before = await count();
      await assertAccessible(page, assert);

      await Promise.all([page.waitForURL(`${surveyUrl}/enter`), page.click(`main a[href$="/enter"]`)]);
      await hydrated(page);
      // The whole survey on one page, the rules live; the mode radios sit outside the form.
      assert.equal(await page.locator('#progress').count(), 0);
      assert.equal(await page.getAttribute('#mode-phone', 'form'), 'assist-form');
      assert.ok(await page.isVisible('#q-visits'), 'the last section is on the same page');
      assert.ok(await page.isHidden('#question-satisfaction'));
      await assertAccessible(page, assert);

      // Answers but no mode: the server refuses and keeps the answers.
      await page.check('#stakeholder_group-citizen');
      await page.check('#q-uses_services-yes');
      await page.waitForSelector('#question-satisfaction', { state: 'visible' });
      await page.check('#q-satisfaction-2');
      await page.check('#q-channel-phone');
      await page.fill('#q-visits', t.visits);
      const refused = await post(page, send);
      assert.equal(refused.status(), 422);
      await page.waitForSelector('.error-summary:not([hidden])');
      assert.deepEqual(await summaryLinks(page), ['#mode-phone']);
      assert.ok((await page.title()).startsWith(t.errorPrefix));
      for (const id of ['stakeholder_group-citizen', 'q-uses_services-yes', 'q-satisfaction-2', 'q-channel-phone']) {
        assert.ok(await page.isChecked(`#${id}`), `${id} is kept`);
      }
      await hydrated(page);
      await summaryFocused(page);
      await assertAccessible(page, assert);

      await page.check('#mode-phone');
      const saved = await post(page, send);
      assert.ok(saved.status() < 300, `status ${saved.status()}`);
      const notice = page.locator('main p.notice[role="status"]');
      await notice.waitFor();
      assert.ok((await notice.textContent()).includes(t.assistSaved));
      assert.equal(await page.locator('.error-summary:not([hidden])').count(), 0);
      assert.ok(!(await page.isChecked('#stakeholder_group-citizen')), 'the form is empty for the next one');
      await hydrated(page);
      await assertAccessible(page, assert);

      await Promise.all([page.waitForURL(`${surveyUrl}/collect`), page.click(`main a[href$="/collect"]`)]);
      assert.equal(await count(), before + 1, 'the response is counted');
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });
  });
}

/** Describes the focused element, with whether it can be seen and shows a focus indicator. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', id: '', name: '', visible: false, onScreen: false, indicated: false };
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name') ?? '',
      value: el.getAttribute('value') ?? '',
      href: el.getAttribute('href') ?? '',
      className: el.className ?? '',
      visible: el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && r.width > 0 && r.height > 0,
      onScreen: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
      // A date field's last stop is its calendar button, inside the field's own shadow tree:
      // the site's outline then gives way to Chromium's focus ring around the button.
      indicated: (el.matches(':focus-visible')
        && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'))
        || (el.type === 'date' && el.matches(':focus-within')),
    };
  });
}

/** Asserts that the focused element is visible, on screen and shows where focus is. */
async function assertFocus(page) {
  // The pages prefer reduced motion (harness.mjs), so scrolling is instant; still wait for the
  // focused element to arrive on screen rather than assume the next frame has been drawn.
  await page.waitForFunction(() => {
    const r = document.activeElement?.getBoundingClientRect();
    return r && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
  }, null, { timeout: 10_000 }).catch(() => {});
  const f = await focused(page);
  assert.ok(f.visible && f.onScreen, `the focused element is visible: ${JSON.stringify(f)}`);
  assert.ok(f.indicated, `the focused element shows a focus indicator: ${JSON.stringify(f)}`);
  assert.notEqual(f.id, 'website', 'the robot trap is never focused');
  return f;
}

/** Presses Tab (or Shift+Tab) and checks where focus went. */
async function tab(page, backwards = false) {
  await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  return assertFocus(page);
}

/** Tabs forward until the focused element matches; fails after `max` presses. */
async function tabTo(page, matches, what, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const f = await tab(page);
    if (matches(f)) return f;
    seen.push(f.id || f.name || f.tag);
  }
  return assert.fail(`Tab never reached ${what}; it went through ${seen.join(', ')}`);
}
