// The designer's page in a real browser (Debian's Chromium through playwright-core), against a running designer
// server on a copy of jobs/nudge. Run by DesignerBrowserITCase:
//
//   node test/browser.mjs URL FOLDER SIMULATED SCREENSHOTS
//
// FOLDER is the server's folder (its journey.json is read and written here to compare bytes), SIMULATED the
// output of `./journeys simulate` on the same journey and events (report.json, steps.jsonl, actions.jsonl: what
// test mode must show), SCREENSHOTS where the pictures of the main views go. Prints one line per check and
// "N passed, N failed"; exits 1 when a check failed.

import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { check, expect, finish, openDesignerPage } from './checks.mjs';

const [url, folder, simulated, shots] = process.argv.slice(2);
if (!shots) {
  console.error('usage: node test/browser.mjs URL FOLDER SIMULATED SCREENSHOTS');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const journeyFile = path.join(folder, 'journey.json');
const original = readFileSync(journeyFile); // bytes
const originalText = original.toString('utf8');
const journey = JSON.parse(originalText);
const report = JSON.parse(readFileSync(path.join(simulated, 'report.json'), 'utf8')).journeys
  .find((j) => j.journeyId === journey.id && j.journeyVersion === journey.version);
const jsonLines = (file) => readFileSync(path.join(simulated, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const stepEvents = jsonLines('steps.jsonl');
const actions = jsonLines('actions.jsonl');

/** The lines of b that differ from a's (both with the same number of lines). */
function changedLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y.length, x.length, 'number of lines');
  return y.map((line, i) => (line === x[i] ? null : i + 1)).filter((i) => i !== null);
}

const { browser, page, pageErrors } = await openDesignerPage();

const text = () => page.$eval('textarea[data-json-view]', (t) => t.value);
/** Waits until the server has answered the validation of the current text. */
const validated = () => page.waitForFunction(() => document.body.dataset.ready === 'true');
const stepIds = () => page.$$eval('[data-step-id]', (nodes) => nodes.map((n) => n.getAttribute('data-step-id')).sort());
const hasClass = (selector, cls) => page.$eval(selector, (n, c) => n.classList.contains(c), cls);
/** The middle of an element on the screen; the canvas redraws when a validation answers, so ask again then. */
const centre = async (selector) => {
  for (let i = 0; i < 20; i++) {
    const box = await page.locator(selector).boundingBox().catch(() => null);
    if (box) return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.waitForTimeout(100);
  }
  throw new Error(`Expected ${selector} on the screen`);
};
async function dragMouse(from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}
async function undoUntilOriginal() {
  for (let i = 0; i < 20 && (await text()) !== originalText; i++) await page.click('[data-action="undo"]');
  expect(await text() === originalText, true, 'undo brings back the original text');
}

// a copy of the journey as another editor may write it: a byte order mark and \r\n line breaks
const crlf = Buffer.from('\uFEFF' + originalText.replace('"id": "nudge"', '"id": "nudge-crlf"').replace(/\n/g, '\r\n'), 'utf8');

try {
  await page.goto(url);
  await page.click('#documents li[data-file="journey.json"]');
  await page.waitForSelector('[data-step-id]');
  await validated();
  await page.click('[data-action="fit"]'); // the whole journey in view: it opens at a readable zoom, from its start

  await check('open a journey: every step is a node, with a port per outgoing reference, the edges and the entry', async () => {
    expect(await stepIds(), Object.keys(journey.steps).sort(), 'nodes');
    const ports = await page.$$eval('[data-step-id]', (nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-step-id'),
      [...n.querySelectorAll('[data-port]')].map((p) => p.getAttribute('data-port'))])));
    // named as the engine's Step.ports() names them
    expect(ports, { 'ab-test': ['branches/0', 'branches/1'], 'email-a': ['next'], 'email-b': ['next'],
      reaction: ['events/0', 'events/1', 'events/2', 'onTimeout'], thank: ['next'], reminder: ['next'], done: [] }, 'ports');
    expect(await page.locator('.edge').count(), 10, 'edges (one per connected port)');
    expect(await page.locator('.edge[data-from="reaction"][data-port="onTimeout"][data-to="reminder"]').count(), 1, 'the timeout edge');
    const entry = await page.textContent('[data-entry]');
    expect(entry.includes('cart.abandoned') && entry.includes('unsubscribed'), true, `entry and exit shown (${entry})`);
    expect(await text(), originalText, 'the JSON view holds the file as it is');
    expect(await page.locator('[data-problem-code]').count(), 0, 'problems of the valid journey');
    await page.screenshot({ path: path.join(shots, 'designer-canvas.png') });
  });

  await check('test mode: the counts of the real simulation on every node, untaken edges greyed, a profile\'s path', async () => {
    await page.click('[data-action="test"]');
    await page.waitForSelector('[data-step-id="reaction"] [data-count="reached"]', { timeout: 180000 });
    for (const id of Object.keys(journey.steps)) {
      const shown = await page.textContent(`[data-step-id="${id}"] [data-count="reached"]`);
      expect(shown.trim(), `reached ${report.steps[id]?.reached ?? 0}`, `count of ${id}`);
    }
    expect(report.steps.reaction.reached > 0, true, 'the run reached the await');
    const edges = await page.$$eval('.edge', (nodes) => nodes.map((n) => ({ from: n.dataset.from, to: n.dataset.to,
      port: n.dataset.port, untaken: n.classList.contains('untaken'), count: n.querySelector('[data-count="edge"]').textContent })));
    for (const edge of edges) {
      const count = report.edges.find((e) => e.from === edge.from && e.to === edge.to && e.branch === edge.port)?.count ?? 0;
      expect(edge.count, String(count), `count on ${edge.from} ${edge.port} → ${edge.to}`);
      expect(edge.untaken, count === 0, `edge ${edge.from} ${edge.port} → ${edge.to} greyed exactly when the report counts none`);
    }
    expect(edges.some((e) => e.untaken) && edges.some((e) => !e.untaken), true, 'some edges taken and some not');
    await page.selectOption('[data-profile-picker]', 'p-ana');
    await page.waitForSelector('[data-timeline]');
    const expected = [...new Set(stepEvents.filter((s) => s.profileId === 'p-ana' && s.journeyId === journey.id).map((s) => s.stepId))].sort();
    const onPath = await page.$$eval('.node.on-path', (nodes) => nodes.map((n) => n.getAttribute('data-step-id')).sort());
    expect(onPath, expected, 'the nodes on p-ana\'s path');
    const timeline = await page.textContent('[data-timeline]');
    for (const action of actions.filter((a) => a.profileId === 'p-ana')) {
      expect(timeline.includes(`${action.stepId}: ${action.channel} ${action.template}`), true, `p-ana's action of ${action.stepId} in the timeline`);
    }
    await page.screenshot({ path: path.join(shots, 'designer-test-mode.png') });
    await page.click('[data-action="clear-test"]');
    expect(await page.locator('[data-count]').count(), 0, 'counts after clearing the test');
    await page.click('[data-tab="properties"]');
  });

  await check('break a next in the JSON view: JRN-013 is listed and the node marked; fix it: the problem goes', async () => {
    const broken = originalText.replace('"template": "cart-a", "params": {"total": "event.total"}, "next": "reaction"',
      '"template": "cart-a", "params": {"total": "event.total"}, "next": "reactoin"');
    expect(broken !== originalText, true, 'the journey has the next to break');
    await page.fill('textarea[data-json-view]', broken);
    const problem = page.locator('[data-problem-code="JRN-013"]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-pointer'), '/steps/email-a/next', 'the problem\'s pointer');
    expect(await hasClass('[data-step-id="email-a"]', 'problem'), true, 'email-a outlined');
    expect(await hasClass('[data-step-id="email-b"]', 'problem'), false, 'email-b not outlined');
    expect(await hasClass('[data-step-id="email-a"] [data-port="next"]', 'dangling'), true, 'the port to no step');
    await problem.click();
    await page.waitForSelector('[data-step-form="email-a"]');
    expect(await hasClass('[data-step-form="email-a"] select[data-pointer="/steps/email-a/next"]', 'invalid'), true, 'the next field marked');
    expect(await hasClass('[data-step-id="email-a"]', 'selected'), true, 'the node selected');
    await page.screenshot({ path: path.join(shots, 'designer-problems.png') });
    await page.fill('textarea[data-json-view]', originalText);
    await page.waitForFunction(() => !document.querySelector('[data-problem-code]') && document.body.dataset.ready === 'true');
    expect(await hasClass('[data-step-id="email-a"]', 'problem'), false, 'email-a no longer outlined');
  });

  await check('edit a field in the properties pane: only its line changes; undo brings the text back', async () => {
    await page.click('[data-step-id="email-a"] .node-box');
    await page.fill('[data-step-form="email-a"] input[data-pointer="/steps/email-a/template"]', 'cart-a2');
    await page.press('[data-step-form="email-a"] input[data-pointer="/steps/email-a/template"]', 'Enter');
    await page.waitForFunction(() => document.querySelector('textarea[data-json-view]').value.includes('cart-a2'));
    const lines = changedLines(originalText, await text());
    expect(lines.length, 1, `lines changed (${lines})`);
    expect(JSON.parse(await text()).steps['email-a'].template, 'cart-a2', 'the template');
    await undoUntilOriginal();
  });

  await check('properties: split percents summed, CEL highlighted and completed, durations readable', async () => {
    await page.click('[data-step-id="ab-test"] .node-box');
    expect(await page.getAttribute('[data-step-form="ab-test"] [data-percent-sum]', 'data-percent-sum'), '100', 'sum of the split');
    await page.fill('input[data-pointer="/steps/ab-test/branches/0/percent"]', '40');
    await page.press('input[data-pointer="/steps/ab-test/branches/0/percent"]', 'Tab');
    await page.waitForSelector('[data-percent-sum="110"].bad');
    await validated();
    expect(await page.locator('[data-problem-code]').count() > 0, true, 'a problem for percents summing to 110');
    expect(await hasClass('[data-step-id="ab-test"]', 'problem'), true, 'the split outlined');
    await undoUntilOriginal();
    await page.click('[data-step-id="reaction"] .node-box');
    expect(await page.textContent('[data-step-form="reaction"] .duration-reads'), '2 days', 'the await\'s timeout as it reads');
    const when = 'input[data-pointer="/steps/reaction/events/2/when"]';
    expect(await page.$$eval(`[data-step-form="reaction"] .cel:has(${when}) .cel-variable`, (n) => n.map((x) => x.textContent)), ['event'], 'variables highlighted');
    await page.click(when);
    await page.keyboard.press('End');
    await page.keyboard.type(' && atLo');
    await page.waitForSelector('.cel-completions:not([hidden]) li');
    expect(await page.$$eval('.cel-completions li code', (n) => n.map((x) => x.textContent)), ['atLocalTime(t, "09:00")'], 'completions of atLo');
    await page.keyboard.press('Enter');
    expect(await page.inputValue(when), 'event.amount > 50 && atLocalTime(', 'the completed expression');
    await page.keyboard.press('Escape');
    await page.fill(when, 'event.amount > 50');
    await page.click('[data-step-id="done"] .node-box');
    expect(await text(), originalText, 'the expression as it was');
  });

  await check('canvas: drop a step from the palette, connect its port by dragging, copy/paste, delete, undo/redo', async () => {
    const canvas = await page.locator('svg.canvas').boundingBox();
    await dragMouse(await centre('[data-palette-type="wait"]'), { x: canvas.x + 120, y: canvas.y + canvas.height - 80 });
    await page.waitForSelector('[data-step-id="wait"]');
    expect(JSON.parse(await text()).steps.wait, { type: 'wait', duration: 'P1D' }, 'the new step in the JSON');
    await page.waitForSelector('[data-step-id="wait"] [data-port="next"].open');
    await validated();
    await dragMouse(await centre('[data-step-id="wait"] [data-port="next"] circle'), await centre('[data-step-id="done"] .node-box'));
    await page.waitForFunction(() => JSON.parse(document.querySelector('textarea[data-json-view]').value).steps.wait.next === 'done');
    expect(await page.locator('.edge[data-from="wait"][data-to="done"]').count(), 1, 'the new edge');
    await page.click('[data-step-id="wait"] .node-box');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.waitForSelector('[data-step-id="wait-copy"]');
    expect(JSON.parse(await text()).steps['wait-copy'], { type: 'wait', duration: 'P1D', next: 'done' }, 'the pasted step');
    await page.click('[data-step-id="wait-copy"] .node-box');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => !document.querySelector('[data-step-id="wait-copy"]'));
    await page.keyboard.press('Control+z');
    await page.waitForSelector('[data-step-id="wait-copy"]');
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction(() => !document.querySelector('[data-step-id="wait-copy"]'));
    await undoUntilOriginal();
    expect(await stepIds(), Object.keys(journey.steps).sort(), 'nodes after undoing everything');
  });

  await check('canvas: a step dropped on an edge goes into it', async () => {
    const edge = await centre('.edge[data-from="email-b"][data-to="reaction"] .edge-line');
    await dragMouse(await centre('[data-palette-type="wait"]'), edge);
    await page.waitForSelector('[data-step-id="wait"]');
    const steps = JSON.parse(await text()).steps;
    expect([steps['email-b'].next, steps.wait.next], ['wait', 'reaction'], 'email-b → wait → reaction');
    await undoUntilOriginal();
  });

  await check('save untouched: the file is byte for byte what was opened', async () => {
    await validated();
    await page.click('[data-action="save"]');
    await page.waitForFunction(() => document.querySelector('#file-name').dataset.dirty === 'false' && /Saved/.test(document.querySelector('#message').textContent));
    expect(Buffer.compare(readFileSync(journeyFile), original), 0, 'bytes of the saved file');
  });

  await check('save an edit, then save as a new version', async () => {
    await page.click('[data-step-id="email-b"] .node-box');
    await page.fill('input[data-pointer="/steps/email-b/template"]', 'cart-b2');
    await page.press('input[data-pointer="/steps/email-b/template"]', 'Enter');
    await page.waitForFunction(() => document.querySelector('#file-name').dataset.dirty === 'true');
    await page.click('[data-action="save"]');
    await page.waitForFunction(() => document.querySelector('#file-name').dataset.dirty === 'false');
    const saved = readFileSync(journeyFile, 'utf8');
    expect(changedLines(originalText, saved), [14], 'lines changed in the file');
    await page.click('[data-action="save-version"]');
    await page.waitForSelector('#documents li[data-file="journey-v2.json"].open');
    const v2 = readFileSync(path.join(folder, 'journey-v2.json'), 'utf8');
    expect(changedLines(saved, v2), [3], 'lines of the new version that differ');
    expect(JSON.parse(v2).version, 2, 'the new version');
  });

  await check('a file with a byte order mark and \\r\\n line breaks: saved untouched and edited, it keeps both', async () => {
    writeFileSync(path.join(folder, 'crlf.json'), crlf);
    await page.goto(url + '#file=crlf.json');
    await page.reload(); // the hash alone changed: load the page again, to list and open the new file
    await page.waitForFunction(() => document.querySelector('#file-name').textContent.startsWith('crlf.json'));
    await validated();
    await page.click('[data-action="save"]');
    await page.waitForFunction(() => /Saved crlf.json/.test(document.querySelector('#message').textContent));
    expect(Buffer.compare(readFileSync(path.join(folder, 'crlf.json')), crlf), 0, 'bytes saved untouched');
    await page.click('[data-action="fit"]');
    await page.click('[data-step-id="email-a"] .node-box');
    await page.fill('input[data-pointer="/steps/email-a/template"]', 'cart-a3');
    await page.press('input[data-pointer="/steps/email-a/template"]', 'Enter');
    await page.waitForFunction(() => document.querySelector('textarea[data-json-view]').value.includes('cart-a3'));
    await page.fill('textarea[data-json-view]', (await page.inputValue('textarea[data-json-view]')).replace('"cart-b"', '"cart-b3"'));
    await validated();
    await page.click('[data-action="save"]');
    await page.waitForFunction(() => document.querySelector('#file-name').dataset.dirty === 'false');
    const expected = crlf.toString('utf8').replace('"cart-a"', '"cart-a3"').replace('"cart-b"', '"cart-b3"');
    expect(readFileSync(path.join(folder, 'crlf.json'), 'utf8') === expected, true, 'the file with both edits, its BOM and \\r\\n');
  });

  await check('build a journey from nothing: add steps, connect them, set the entry, save, test', async () => {
    page.once('dialog', (dialog) => dialog.accept('built'));
    await page.click('[data-action="new"]');
    await page.waitForFunction(() => document.querySelector('#file-name').textContent.startsWith('built.json'));
    await page.click('[data-palette-type="action"]');
    await page.waitForSelector('[data-step-form="action"]');
    await page.fill('input[data-pointer="/steps/action/template"]', 'hello');
    await page.press('input[data-pointer="/steps/action/template"]', 'Enter');
    await page.click('[data-palette-type="end"]');
    await page.waitForSelector('[data-step-id="end"]');
    await page.click('[data-action="fit"]');
    await dragMouse(await centre('[data-step-id="action"] [data-port="next"] circle'), await centre('[data-step-id="end"] .node-box'));
    await page.waitForSelector('.edge[data-from="action"][data-to="end"]');
    await page.click('[data-entry] rect');
    await page.fill('input[data-pointer="/entry/event"]', 'cart.abandoned');
    await page.press('input[data-pointer="/entry/event"]', 'Enter');
    await page.waitForFunction(() => !document.querySelector('[data-problem-code]') && document.body.dataset.ready === 'true');
    const built = JSON.parse(await text());
    expect([built.start, built.steps.action.next, built.entry.event], ['action', 'end', 'cart.abandoned'], 'the journey built');
    await page.click('[data-action="save"]');
    await page.waitForFunction(() => document.querySelector('#file-name').dataset.dirty === 'false');
    expect(readFileSync(path.join(folder, 'built.json'), 'utf8'), await text(), 'the file written');
    await page.click('[data-action="test"]');
    await page.waitForSelector('[data-step-id="action"] [data-count="reached"]', { timeout: 180000 });
    const entering = new Set(readFileSync(path.join(folder, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
      .map((l) => JSON.parse(l)).filter((e) => e.type === 'cart.abandoned').map((e) => e.profileId)).size;
    expect((await page.textContent('[data-step-id="action"] [data-count="reached"]')).trim(), `reached ${entering}`, 'every cart abandoned sends');
  });

  await check('live mode: counts from GET /api/live on the canvas, updated as it answers; a version diff with the waiting', async () => {
    // live counts from a real broker and job are DesignerKafkaITCase's (API) and DesignerLiveBrowserITCase's (page):
    // here the page alone, on answers of that shape (a version diff, a long poll with nothing new)
    const live = await browser.newPage({ viewport: { width: 1680, height: 960 } });
    live.on('pageerror', (e) => pageErrors.push(e.message));
    const v1 = JSON.parse(JSON.stringify(report));
    v1.steps.reaction.waiting = 2;
    let answers = 0;
    await live.route('**/api/info', (route) => route.fulfill({ json: { folder, kafka: true, bootstrapServers: 'test:9092' } }));
    await live.route('**/api/live**', async (route) => {
      answers++;
      const later = JSON.parse(JSON.stringify(v1));
      if (answers > 1) later.steps.reaction.reached += 1;
      if (answers > 2) await new Promise((resolve) => setTimeout(resolve, 60000)); // a long poll with nothing new
      await route.fulfill({ json: { events: 10 + answers, report: { journeys: [answers > 1 ? later : v1] }, warning: null } });
    });
    await live.goto(url + '#file=journey-v2.json');
    await live.waitForSelector('[data-step-id]');
    await live.click('[data-tab="live"]');
    await live.click('[data-action="follow-live"]');
    await live.waitForFunction((n) => document.querySelector('[data-step-id="reaction"] [data-count="reached"]')?.textContent.trim() === `reached ${n}`,
      report.steps.reaction.reached + 1);
    expect((await live.textContent('[data-step-id="reaction"] [data-count="waiting"]')).trim(), 'waiting 2', 'profiles waiting at the await');
    expect(await live.inputValue('[data-live-version]'), '1', 'the version the topic has');
    const area = await live.inputValue('textarea[data-json-view]');
    await live.fill('textarea[data-json-view]', area.replace('"timeout": "P2D"', '"timeout": "P3D"'));
    await live.selectOption('[data-diff-with]', 'journey.json');
    await live.waitForSelector('[data-diff-step="reaction"]');
    expect((await live.textContent('[data-diff-step="reaction"]')).trim(), 'changed reaction (2 waiting there in v1)', 'the diff');
    expect(await live.locator('[data-diff-step]').count(), 1, 'steps in the diff (journey-v2.json was saved from journey.json)');
    expect(await live.getAttribute('[data-step-id="reaction"]', 'class').then((c) => c.includes('changed')), true, 'the changed step marked');
    await live.close();
  });

  await check('no error in the page', async () => expect(pageErrors, [], 'errors thrown in the page'));
} finally {
  await browser.close();
}

finish();
