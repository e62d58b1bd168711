// Delivery rules in the designer's page, in a real browser (Debian's Chromium through playwright-core), against a
// running designer server whose folder holds promo.json (a journey: an email, then the end) and marketing.json (a
// rule set: a daily email cap, quiet hours until 10:30 UTC) beside jobs/nudge's events. Run by DesignerBrowserITCase
// after browser.mjs; its last check sends the email at the best time (sendTime, issue 18):
//
//   node test/rules.mjs URL FOLDER SCREENSHOTS
//
// Prints one line per check and "N passed, N failed"; exits 1 when a check failed.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { check, expect, finish, openDesignerPage } from './checks.mjs';

const [url, folder, shots] = process.argv.slice(2);
if (!shots) {
  console.error('usage: node test/rules.mjs URL FOLDER SCREENSHOTS');
  process.exit(2);
}

const { browser, page, pageErrors } = await openDesignerPage();

const text = () => page.$eval('textarea[data-json-view]', (t) => t.value);
const value = async () => JSON.parse(await text());
const validated = () => page.waitForFunction(() => document.body.dataset.ready === 'true');
const problemCodes = () => page.$$eval('[data-problem-code]', (n) => n.map((x) => `${x.dataset.problemCode} ${x.dataset.pointer}`));
const noProblems = () => page.waitForFunction(() => !document.querySelector('[data-problem-code]') && document.body.dataset.ready === 'true');
const saved = () => page.waitForFunction(() => document.querySelector('#file-name').dataset.dirty === 'false');
/** Deselects any step, so that the properties pane shows the journey's own fields. */
const journeyProperties = async () => {
  const canvas = await page.locator('svg.canvas').boundingBox();
  await page.mouse.click(canvas.x + canvas.width - 30, canvas.y + 30);
  await page.waitForSelector('.journey-form');
};
async function dragMouse(from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}
const centre = async (selector) => {
  const box = await page.locator(selector).boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

try {
  await page.goto(url);
  await page.waitForSelector('#documents li[data-file="marketing.json"]');

  await check('rules: the folder\'s rule set is listed as one', async () => {
    expect((await page.textContent('#documents li[data-file="marketing.json"] small')).trim(), 'rules marketing v1', 'its line');
    expect(await page.getAttribute('#documents li[data-file="marketing.json"]', 'class'), 'rules', 'its kind');
  });

  await page.click('#documents li[data-file="promo.json"]');
  await page.waitForSelector('[data-step-id="mail"]');
  await validated();
  await page.click('[data-action="fit"]');

  await check('rules: the journey names a rule set of the folder and a priority; one it lacks is JRN-035', async () => {
    await journeyProperties();
    const options = await page.$$eval('select[data-pointer="/rules"] option', (n) => n.map((o) => o.value));
    expect(options, ['', 'marketing'], 'the rule sets offered');
    await page.selectOption('select[data-pointer="/rules"]', 'marketing');
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).rules === 'marketing');
    await page.fill('input[data-pointer="/priority"]', '80');
    await page.press('input[data-pointer="/priority"]', 'Tab');
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).priority === 80);
    await noProblems();
    await page.fill('textarea[data-json-view]', (await text()).replace('"rules": "marketing"', '"rules": "nothere"'));
    await page.waitForSelector('[data-problem-code="JRN-035"]');
    expect(await problemCodes(), ['JRN-035 /rules'], 'the problem of a rule set the folder lacks');
    await page.click('[data-problem-code="JRN-035"]');
    await page.waitForSelector('.journey-form [data-field="/rules"].invalid');
    await page.selectOption('select[data-pointer="/rules"]', 'marketing');
    await noProblems();
    await page.selectOption('select[data-pointer="/rules"]', '');
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).rules === undefined);
    await page.selectOption('select[data-pointer="/rules"]', 'marketing');
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).rules === 'marketing');
  });

  await check('rules: a window step from the palette, on the edge, with its days, hours and time zone', async () => {
    await dragMouse(await centre('[data-palette-type="window"]'), await centre('.edge[data-from="mail"][data-to="done"] .edge-line'));
    await page.waitForSelector('[data-step-id="window"] [data-port="next"]');
    const ports = await page.$$eval('[data-step-id="window"] [data-port]', (n) => n.map((p) => p.dataset.port));
    expect(ports, ['next'], 'the window\'s ports');
    expect([(await value()).steps.mail.next, (await value()).steps.window.next], ['window', 'done'], 'mail → window → done');
    await page.click('[data-step-id="window"] .node-box');
    await page.waitForSelector('[data-step-form="window"]');
    for (const day of ['6', '7']) await page.uncheck(`[data-step-form="window"] [data-pointer="/steps/window/days"] input[data-day="${day}"]`);
    await page.waitForFunction(() => JSON.stringify(JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.window.days) === '[1,2,3,4,5]');
    await page.fill('input[data-pointer="/steps/window/from"]', '13:00');
    await page.press('input[data-pointer="/steps/window/from"]', 'Enter');
    await page.selectOption('select[data-pointer="/steps/window/timeZone#mode"]', 'zone');
    await page.waitForSelector('input[data-pointer="/steps/window/timeZone"]');
    await page.fill('input[data-pointer="/steps/window/timeZone"]', 'Europe/Paris');
    await page.press('input[data-pointer="/steps/window/timeZone"]', 'Enter');
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.window.timeZone === 'Europe/Paris');
    expect((await value()).steps.window, { type: 'window', from: '13:00', to: '17:00', next: 'done', days: [1, 2, 3, 4, 5], timeZone: 'Europe/Paris' },
      'the window step');
    // the node's line is cut to its width; its title holds the whole of it
    expect(await page.textContent('[data-step-id="window"] .node-summary title'), 'Mon–Fri 13:00–17:00 Europe/Paris', 'how it reads');
    await page.fill('input[data-pointer="/steps/window/to"]', '25:00');
    await page.press('input[data-pointer="/steps/window/to"]', 'Enter');
    await page.waitForSelector('[data-problem-code="JRN-036"]');
    expect(await problemCodes(), ['JRN-036 /steps/window/to'], 'a clock time that is none');
    await page.fill('input[data-pointer="/steps/window/to"]', '17:00');
    await page.press('input[data-pointer="/steps/window/to"]', 'Enter');
    await noProblems();
  });

  await check('rules: an action\'s "subject to delivery rules" writes rules false when off, nothing when on', async () => {
    await page.click('[data-step-id="mail"] .node-box');
    const toggle = '[data-step-form="mail"] input[data-pointer="/steps/mail/rules"]';
    expect(await page.isChecked(toggle), true, 'on by default');
    await page.uncheck(toggle);
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.mail.rules === false);
    await page.check(toggle);
    await page.waitForFunction(() => !('rules' in JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.mail));
    await noProblems();
    await page.click('[data-action="save"]');
    await saved();
  });

  await check('rules: test mode runs the journey under its rule set (quiet hours hold the morning emails, the window parks)', async () => {
    await page.click('[data-action="test"]');
    await page.waitForSelector('[data-step-id="window"] [data-count="reached"]', { timeout: 180000 });
    const events = readFileSync(path.join(folder, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    const entering = new Set(events.filter((e) => e.type === 'cart.abandoned').map((e) => e.profileId)).size;
    expect((await page.textContent('[data-step-id="mail"] [data-count="reached"]')).trim(), `reached ${entering}`, 'every cart abandoned reaches the email');
    expect((await page.textContent('[data-step-id="window"] [data-count="reached"]')).trim(), `reached ${entering}`, 'and the window');
    const held = (await page.textContent('[data-step-id="mail"] [data-count="held"]')).trim();
    expect(/^held [1-9]/.test(held), true, `the email node counts the holds (${held})`);
    expect((await page.textContent('[data-step-id="mail"] [data-count="rules"]')).includes('RUL-006'), true, 'and names the rule code');
    await page.selectOption('[data-profile-picker]', 'p-ana');
    await page.waitForSelector('[data-timeline]');
    const timeline = await page.textContent('[data-timeline]');
    expect(timeline.includes('mail waiting RUL-006'), true, `p-ana's email held by the quiet hours (${timeline})`);
    expect(timeline.includes('window waiting') && timeline.includes('window resumed'), true, `p-ana waits for the window (${timeline})`);
    await page.screenshot({ path: path.join(shots, 'designer-rules-test.png') });
    await page.click('[data-tab="properties"]');
  });

  await check('rules: a rule set opens in its form and JSON; a bad value is listed and marked; fixed in the form and saved', async () => {
    await page.click('#documents li[data-file="marketing.json"]');
    await page.waitForSelector('.rules-form');
    await validated();
    expect(await page.isVisible('#canvas-note'), true, 'the canvas says it is a rule set');
    expect((await page.textContent('#canvas-note')).includes('email-daily: at most 1 email per day'), true, 'its rules as they read');
    expect(await page.isDisabled('[data-action="test"]'), true, 'test mode is for journeys');
    expect(await page.inputValue('select[data-pointer="/frequency/0/per"]'), 'day', 'the cap\'s period');
    await page.fill('textarea[data-json-view]', (await text()).replace('"per": "day"', '"per": "fortnight"'));
    await page.waitForSelector('[data-problem-code="JRN-037"]');
    expect(await problemCodes(), ['JRN-037 /frequency/0/per'], 'the problem of a bad period');
    await page.click('[data-problem-code="JRN-037"]');
    await page.waitForSelector('.rules-form [data-field="/frequency/0/per"].invalid .field-problem');
    await page.screenshot({ path: path.join(shots, 'designer-rules.png') });
    await page.selectOption('select[data-pointer="/frequency/0/per"]', 'week');
    await noProblems();
    await page.fill('input[data-pointer="/frequency/0/max"]', '2');
    await page.press('input[data-pointer="/frequency/0/max"]', 'Tab');
    await page.uncheck('[data-pointer="/quietHours/0/days"] input[data-day="7"]');
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).quietHours[0].days?.length === 6);
    await noProblems();
    await page.click('[data-action="save"]');
    await saved();
    const file = JSON.parse(readFileSync(path.join(folder, 'marketing.json'), 'utf8'));
    expect([file.frequency[0].per, file.frequency[0].max, file.quietHours[0].days], ['week', 2, [1, 2, 3, 4, 5, 6]], 'the saved rule set');
  });

  await check('send time: an email at the best time, its within marked when out of PT2H..P7D (JRN-038), fixed and saved', async () => {
    await page.click('#documents li[data-file="promo.json"]');
    await page.waitForSelector('[data-step-id="mail"]');
    await validated();
    await page.click('[data-step-id="mail"] .node-box');
    const toggle = '[data-step-form="mail"] input[data-pointer="/steps/mail/sendTime"]';
    expect(await page.isChecked(toggle), false, 'off by default');
    await page.check(toggle);
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.mail.sendTime?.within === 'PT24H');
    expect(await page.inputValue('select[data-pointer="/steps/mail/sendTime/optimize"]'), 'opens', 'optimize opens by default');
    await page.selectOption('select[data-pointer="/steps/mail/channel"]', 'push');
    await page.waitForSelector('select[data-pointer="/steps/mail/sendTime/optimize"] option[value="clicks"]:disabled', { state: 'attached' });
    await page.selectOption('select[data-pointer="/steps/mail/channel"]', 'email');
    await page.waitForSelector('select[data-pointer="/steps/mail/sendTime/optimize"] option[value="clicks"]:enabled', { state: 'attached' });
    const within = 'input[data-pointer="/steps/mail/sendTime/within"]';
    await page.fill(within, 'PT1H');
    await page.press(within, 'Enter');
    await page.waitForSelector('[data-problem-code="JRN-038"]');
    expect(await problemCodes(), ['JRN-038 /steps/mail/sendTime/within'], 'a within under PT2H');
    await page.waitForSelector(`[data-field="/steps/mail/sendTime/within"].invalid [data-problem-field="JRN-038"]`);
    expect(await page.$eval(within, (i) => i.classList.contains('invalid')), true, 'the within input marked');
    await page.fill(within, 'PT12H');
    await page.press(within, 'Enter');
    await noProblems();
    expect(await page.$eval('[data-step-id="mail"] .node-summary', (n) => n.querySelector('title')?.textContent ?? n.textContent),
      'email · promo · best time ≤12h', 'the node says it');
    await page.click('[data-action="save"]');
    await saved();
    const file = JSON.parse(readFileSync(path.join(folder, 'promo.json'), 'utf8'));
    expect(file.steps.mail.sendTime, { within: 'PT12H' }, 'the saved sendTime');
  });

  await check('send time: a wait until the best send time, its channel and mode; several of the three are JRN-017 on the mode', async () => {
    await page.click('[data-palette-type="wait"]');
    await page.waitForSelector('[data-step-form="wait"]');
    const mode = 'select[data-pointer="/steps/wait/#mode"]';
    await page.selectOption(mode, 'sendTime');
    await page.waitForFunction(() => JSON.stringify(JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.wait)
      === '{"type":"wait","sendTime":{"within":"P1D"}}');
    await page.selectOption('select[data-pointer="/steps/wait/sendTime/channel"]', 'push');
    await page.waitForSelector('select[data-pointer="/steps/wait/sendTime/optimize"] option[value="clicks"]:disabled', { state: 'attached' });
    expect((await value()).steps.wait.sendTime, { within: 'P1D', channel: 'push' }, 'the wait\'s sendTime');
    await page.fill('textarea[data-json-view]', (await text()).replace('"type": "wait", "sendTime": {', '"type": "wait", "duration": "P1D", "sendTime": {'));
    await page.waitForSelector('[data-step-form="wait"] [data-owns].invalid [data-problem-field="JRN-017"]');
    await page.selectOption(mode, 'until');
    await page.waitForFunction(() => JSON.stringify(JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.wait)
      === '{"type":"wait","until":"now"}');
  });

  await check('no error in the page', async () => expect(pageErrors, [], 'errors thrown in the page'));
} finally {
  await browser.close();
}

finish();
