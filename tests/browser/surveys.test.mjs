// The survey editor in a real browser: an author creates a survey, adds and edits questions
// (with a show-if rule), previews it (rules hide and show questions live), publishes it, then
// stages a change on the open survey, previews and publishes that.
// Both languages; axe-core on every page; the same flow without JavaScript.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, hydrated, newPage, signIn, start } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const expectedNoise = (p) => p.includes('status of 422');

/** Submits the form holding `selector` and waits for the next page. */
async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
  await page.waitForLoadState('load');
}

for (const lang of ['ar', 'en']) {
  describe(`${lang} survey editor`, () => {
    it('an author creates, edits, previews and publishes a survey', async () => {
      const page = await newPage(env.browser);
      await signIn(page, env.base, lang, env.admin);
      await page.goto(`${env.base}/${lang}/staff/surveys`);
      await hydrated(page);
      await page.waitForSelector('table.table');
      await assertAccessible(page, assert);

      // A mistake first: the title is missing in one language.
      await page.fill('#field-title_ar', 'استبيان المكتبات العامة');
      await submit(page, 'form[action$="/staff/surveys"] button');
      await page.waitForSelector('.error-summary');
      assert.equal(await page.inputValue('#field-title_ar'), 'استبيان المكتبات العامة');
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-title_en', `Public libraries survey ${lang}`);
      await Promise.all([page.waitForURL(/\/staff\/surveys\/[0-9a-f-]{36}$/), page.click('form[action$="/staff/surveys"] button')]);
      const surveyUrl = page.url();
      await hydrated(page);
      await assertAccessible(page, assert);

      // A yes/no question, then a rating shown only after "yes".
      await page.selectOption('select[name="type"]', 'yes_no');
      await Promise.all([page.waitForURL(/\/questions\/q1$/), page.click('form[action$="/questions"] button')]);
      await hydrated(page);
      await assertAccessible(page, assert);
      await page.fill('#field-text_ar', 'هل زرت مكتبة عامة هذا العام؟');
      await page.fill('#field-text_en', 'Have you visited a public library this year?');
      await page.check('#field-required');
      await Promise.all([page.waitForURL(/#sections$/), page.click('main form button[type="submit"]')]);

      await page.selectOption('select[name="type"]', 'rating');
      await Promise.all([page.waitForURL(/\/questions\/q2$/), page.click('form[action$="/questions"] button')]);
      await page.fill('#field-text_ar', 'ما مدى رضاك عن المكتبة؟');
      await page.fill('#field-text_en', 'How satisfied are you with the library?');
      await page.selectOption('#rule-1-question', 'q1');
      await page.selectOption('#rule-1-op', 'equals');
      await page.selectOption('#rule-1-value', 'yes');
      await Promise.all([page.waitForURL(/#sections$/), page.click('main form button[type="submit"]')]);
      assert.equal(await page.locator('.question-row').count(), 2);
      assert.equal(await page.locator('.question-row .condition-note').count(), 1, 'the rule is described');

      // The preview applies the rule live.
      await page.goto(`${surveyUrl}/preview`);
      await hydrated(page);
      await assertAccessible(page, assert);
      assert.ok(await page.isHidden('#question-q2'), 'hidden until the first answer is yes');
      await page.check('#q-q1-yes');
      await page.waitForSelector('#question-q2', { state: 'visible' });
      await page.check('#q-q1-no');
      await page.waitForSelector('#question-q2', { state: 'hidden' });

      // Publish: it opens at once (no opening date).
      await page.goto(surveyUrl);
      await hydrated(page);
      await Promise.all([page.waitForURL(surveyUrl), page.click('form[action$="/status"] input[value="publish"] ~ button')]);
      await page.waitForSelector('.status-open');
      // Published: its public address, whole, to copy.
      assert.ok((await page.inputValue('#public-address')).endsWith(surveyUrl.replace(/.*\/staff\/surveys\//, '/s/')));
      await hydrated(page);
      await assertAccessible(page, assert);

      // On the open survey a new question is staged: participants do not see it until the
      // changes are published, after a preview.
      const publicUrl = surveyUrl.replace(/\/staff\/surveys\//, '/s/');
      await page.selectOption('select[name="type"]', 'short_text');
      await Promise.all([page.waitForURL(/\/questions\/q3$/), page.click('form[action$="/questions"] button')]);
      await page.fill('#field-text_ar', 'ما الذي تقترحه للمكتبة؟');
      await page.fill('#field-text_en', 'What would you suggest for the library?');
      await Promise.all([page.waitForURL(/#sections$/), page.click('main form button[type="submit"]')]);
      await page.waitForSelector('section.staged');
      await hydrated(page);
      await assertAccessible(page, assert);
      const visitor = await newPage(env.browser);
      await visitor.goto(publicUrl);
      assert.equal(await visitor.locator('#question-q3').count(), 0, 'not on the public form yet');
      await page.goto(`${surveyUrl}/preview`);
      await page.waitForSelector('#question-q3');
      assert.equal(await page.locator('p.staged-preview').count(), 1, 'the preview says it shows unpublished changes');
      await page.goto(surveyUrl);
      await hydrated(page);
      await Promise.all([page.waitForURL(/changes=published/), page.click('form[action$="/changes"] input[value="publish"] ~ button')]);
      await page.waitForSelector('p.notice[role="status"]');
      assert.equal(await page.locator('section.staged').count(), 0);
      await hydrated(page);
      await assertAccessible(page, assert);
      await visitor.goto(publicUrl);
      await visitor.waitForSelector('#question-q3');
      await visitor.context().close();
      assert.deepEqual(page.problems.filter((p) => !expectedNoise(p)), []);
      await page.context().close();
    });
  });
}

describe('survey editor without JavaScript', () => {
  it('creating a survey and adding a question work as plain forms; the preview shows every question', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await signIn(page, env.base, 'en', env.admin);
    await page.goto(`${env.base}/en/staff/surveys`);
    await page.fill('#field-title_ar', 'استبيان بلا جافاسكربت');
    await page.fill('#field-title_en', 'No-script survey');
    await page.click('form[action$="/staff/surveys"] button');
    await page.waitForURL(/\/staff\/surveys\/[0-9a-f-]{36}$/);
    const surveyUrl = page.url();
    await page.selectOption('select[name="type"]', 'single_choice');
    await page.click('form[action$="/questions"] button');
    await page.waitForURL(/\/questions\/q1$/);
    await page.fill('#field-text_en', 'Pick one');
    await page.fill('#field-text_ar', 'اختر واحداً');
    // The choices start empty, their examples only placeholders: saving without them is refused.
    assert.equal(await page.inputValue('input[name="choice_en"] >> nth=0'), '');
    assert.equal(await page.getAttribute('input[name="choice_en"] >> nth=0', 'placeholder'), 'First choice');
    await page.click('main form button[type="submit"]');
    await page.waitForSelector('.error-summary');
    assert.equal(await page.inputValue('#field-text_en'), 'Pick one');
    for (const [i, ar, en] of [[0, 'نعم', 'Yes'], [1, 'لا', 'No']]) {
      await page.fill(`input[name="choice_ar"] >> nth=${i}`, ar);
      await page.fill(`input[name="choice_en"] >> nth=${i}`, en);
    }
    await page.click('main form button[type="submit"]');
    await page.waitForURL(/#sections$/);
    await page.goto(`${surveyUrl}/preview`);
    assert.ok(await page.isVisible('#question-q1'));
    assert.equal(await page.locator('#question-q1 input[type="radio"]').count(), 2);
    await page.context().close();
  });
});
