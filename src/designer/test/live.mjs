// Publish and live mode in a real browser (Debian's Chromium through playwright-core), against a designer server
// started with --bootstrap-servers on a copy of jobs/nudge, a real broker and the real streaming job. Run by
// DesignerLiveBrowserITCase:
//
//   node test/live.mjs URL FOLDER SCREENSHOTS
//
// Opens journey.json and clicks Publish, then prints "published" and reads one line from stdin: what the test
// computed from the step-events topic once the job had handled the events it sent, {"events": N, "report":
// report.json}. Then opens the Live tab, follows the counts until the page has read N step events, and checks
// the counts on every node and edge against that report, and against GET /api/live (the page's own fetch). Then
// prints "following" and reads a second such line, after one more cart: the canvas must come to show those counts.
// SCREENSHOTS is where the picture of the live view goes. Prints one line per check and "N passed, N failed";
// exits 1 when a check failed.

import { chromium } from 'playwright-core';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { check, expect, finish, chromiumPath } from './checks.mjs';

const [url, folder, shots] = process.argv.slice(2);
if (!shots) {
  console.error('usage: node test/live.mjs URL FOLDER SCREENSHOTS');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const journey = JSON.parse(readFileSync(path.join(folder, 'journey.json'), 'utf8'));
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** The counts a report gives a step, as the canvas writes them (reached always, the others when not 0). */
function nodeCounts(counts) {
  const shown = { reached: `reached ${counts?.reached ?? 0}` };
  for (const [key, label] of [['waiting', 'waiting'], ['exited', 'exited'], ['timedOut', 'timed out']]) {
    if (counts?.[key]) shown[key] = `${label} ${counts[key]}`;
  }
  return shown;
}

/** A report's count of an edge of the canvas, as the canvas adds them up (report.json's `branch` is the port). */
const edgeCount = (report, edge) => report.edges
  .filter((e) => e.from === edge.from && e.to === edge.to && (e.branch === undefined || e.branch === edge.port))
  .reduce((n, e) => n + e.count, 0);

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1680, height: 960 } });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.setDefaultTimeout(20000);

/** What the canvas shows now: each node's counts by kind, each edge's count. */
const shownCounts = () => page.evaluate(() => ({
  nodes: Object.fromEntries([...document.querySelectorAll('[data-step-id]')].map((n) => [n.getAttribute('data-step-id'),
    Object.fromEntries([...n.querySelectorAll('[data-count]')].map((c) => [c.dataset.count, c.textContent.trim()]))])),
  edges: [...document.querySelectorAll('.edge')].map((e) => ({ from: e.dataset.from, port: e.dataset.port, to: e.dataset.to,
    count: e.querySelector('[data-count="edge"]')?.textContent ?? null, untaken: e.classList.contains('untaken') })),
  summary: Object.fromEntries([...document.querySelectorAll('[data-live-count]')].map((c) => [c.dataset.liveCount, c.textContent])),
}));

/** Checks what the canvas shows against a report of nudge. */
function expectShown(shown, report, what) {
  for (const id of Object.keys(journey.steps)) {
    expect(shown.nodes[id], nodeCounts(report.steps[id]), `${what}: counts of ${id}`);
  }
  expect(shown.edges.length, 10, `${what}: edges`);
  for (const edge of shown.edges) {
    const count = edgeCount(report, edge);
    expect(edge.count, String(count), `${what}: count on ${edge.from} ${edge.port} → ${edge.to}`);
    expect(edge.untaken, count === 0, `${what}: edge ${edge.from} ${edge.port} → ${edge.to} greyed exactly when it counts none`);
  }
  for (const key of ['entered', 'inside', 'completed', 'exited', 'timedOut', 'errors']) {
    expect(shown.summary[key], String(report[key]), `${what}: ${key} in the Live pane`);
  }
}

try {
  await page.goto(url);
  await page.click('#documents li[data-file="journey.json"]');
  await page.waitForSelector('[data-step-id]');
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.click('[data-action="fit"]');

  await check('open a journey: every step is a node, no problem, Publish and Live offered (the server has Kafka)', async () => {
    const ids = await page.$$eval('[data-step-id]', (nodes) => nodes.map((n) => n.getAttribute('data-step-id')).sort());
    expect(ids, Object.keys(journey.steps).sort(), 'nodes');
    expect(await page.locator('[data-problem-code]').count(), 0, 'problems');
    expect(await page.isVisible('[data-action="publish"]'), true, 'the Publish button');
    expect(await page.isVisible('[data-tab="live"]'), true, 'the Live tab');
  });

  const published = await check('publish: the page says where it published', async () => {
    await page.click('[data-action="publish"]');
    await page.waitForFunction(() => document.querySelector('#message').textContent.startsWith('Published'));
    expect(await page.textContent('#message'), 'Published to journey-definitions', 'the message');
    expect(await page.$eval('#message', (m) => m.classList.contains('error')), false, 'an error message');
  });

  if (published) {
    console.log('published');
    const line = await stdin.next();
    if (line.done) throw new Error('Expected the counts of the step-events topic on stdin, but it ended');
    const expected = JSON.parse(line.value);
    const report = expected.report.journeys.find((j) => j.journeyId === journey.id && j.journeyVersion === journey.version);

    await check('live counts on the canvas: each node\'s and edge\'s as the step-events topic gives them', async () => {
      expect(report !== undefined, true, 'nudge v1 in the report of the topic');
      await page.click('[data-tab="live"]');
      await page.click('[data-action="follow-live"]');
      // the long poll answers as the server's reader reads the topic: until it has read as many events
      await page.waitForFunction((n) => document.querySelector('[data-live-events]')?.dataset.liveEvents === String(n),
        expected.events, { timeout: 90000 });
      expect(await page.inputValue('[data-live-version]'), String(journey.version), 'the version shown');
      const shown = await shownCounts();
      expectShown(shown, report, 'canvas');
      expect(report.steps['ab-test'].reached, report.entered, 'every profile entered at the split');
      expect(report.steps.reaction.waiting > 0, true, 'profiles waiting at the await');
      expect(shown.edges.some((e) => e.untaken) && shown.edges.some((e) => !e.untaken), true, 'some edges taken and some not');
      await page.screenshot({ path: path.join(shots, 'designer-live.png') });
    });

    await check('live counts as GET /api/live answers them (the page\'s own fetch), on the canvas', async () => {
      const answer = await page.evaluate(async () => (await fetch('/api/live')).json());
      expect(answer.events, expected.events, 'step events');
      expect(answer.warning, null, 'the warning');
      const live = answer.report.journeys.find((j) => j.journeyId === journey.id && j.journeyVersion === journey.version);
      expect(live, report, 'the live report of nudge v1');
      expectShown(await shownCounts(), live, 'canvas');
    });

    await page.evaluate(() => { window.sameDocument = true; });
    console.log('following');
    const next = await stdin.next();
    if (next.done) throw new Error('Expected the counts after one more cart on stdin, but it ended');
    const later = JSON.parse(next.value);
    await check('live counts follow: one more cart reaches the canvas through the long poll, without a reload', async () => {
      const now = later.report.journeys.find((j) => j.journeyId === journey.id && j.journeyVersion === journey.version);
      expect(now.entered, report.entered + 1, 'entered in the report of the topic');
      await page.waitForFunction((n) => document.querySelector('[data-live-events]')?.dataset.liveEvents === String(n),
        later.events, { timeout: 90000 });
      expectShown(await shownCounts(), now, 'canvas');
      expect(await page.evaluate(() => window.sameDocument), true, 'the same page, not reloaded');
    });
  }

  await check('no error in the page', async () => expect(pageErrors, [], 'errors thrown in the page'));
} finally {
  await browser.close();
}

finish();
