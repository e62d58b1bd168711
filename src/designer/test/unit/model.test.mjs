// The journey model of the page: ports as the engine names them, the layered layout, the edits of gestures,
// CEL tokens and completion, durations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { graphOf, portsOf } from '../../src/journey/graph.js';
import { layout, graphLayers } from '../../src/canvas/layout.js';
import { renameStep, addStep, pasteStep, bumpVersion, versionFileName, deleteStep } from '../../src/edits.js';
import { tokenize, completions } from '../../src/cel/tokens.js';
import { readable } from '../../src/journey/durations.js';
import { diffSteps } from '../../src/views/liveMode.js';

const read = (file) => readFileSync(new URL(`../../../../jobs/${file}`, import.meta.url), 'utf8');
const nudge = read('nudge/journey.json');

test('ports are named as Step.ports() names them, each with the pointer of its target', () => {
  assert.deepEqual(portsOf('r', { type: 'await', events: [{ event: 'a', next: 'x' }], timeout: 'P1D', onTimeout: 'y', onError: 'z' })
    .map((p) => [p.name, p.pointer, p.target]),
  [['events/0', '/steps/r/events/0/next', 'x'], ['onTimeout', '/steps/r/onTimeout', 'y'], ['onError', '/steps/r/onError', 'z']]);
  assert.deepEqual(portsOf('c', { type: 'condition', choices: [{ when: 'true', next: 'a' }], default: 'b' }).map((p) => p.name),
    ['choices/0', 'default']);
  assert.deepEqual(portsOf('k', { type: 'cap', limit: 1, next: 'a' }).map((p) => [p.name, p.target]), [['next', 'a'], ['overflow', null]]);
  assert.deepEqual(portsOf('x', { type: 'experiment', arms: [{ id: 'a', next: 'n' }, { id: 'b', next: 'm' }] }).map((p) => p.name),
    ['arms/0', 'arms/1']);
  assert.deepEqual(portsOf('h', { type: 'call', action: 'a', next: 'n', onTimeout: 't' }).map((p) => p.name), ['next', 'onTimeout']);
  assert.deepEqual(portsOf('e', { type: 'end' }), []);
});

test('the layout puts each step at its longest path from the start, and finds the back edges of a loop', () => {
  const graph = graphOf(JSON.parse(nudge));
  const flow = layout(graph.steps.map((s) => ({ id: s.id })), graph.edges);
  const layers = Object.fromEntries([...flow.boxes].map(([id, box]) => [id, box.layer]));
  assert.deepEqual(layers, { 'ab-test': 0, 'email-a': 1, 'email-b': 1, reaction: 2, thank: 3, reminder: 3, done: 4 });
  assert.equal(flow.crossings, 0);
  // reaction → done spans two layers: it passes through a placeholder in layer 3
  assert.equal(flow.routes.find((r) => r.edge.from === 'reaction' && r.edge.to === 'done').points.length, 2);
  const loop = graphLayers(3, [0, 1, 2], [1, 2, 0]);
  assert.deepEqual(loop.back, [false, false, true]);
  assert.deepEqual(loop.layer, [0, 1, 2]);
});

test('renaming a step renames every reference to it, and only those', () => {
  const renamed = renameStep(nudge, 'email-a', 'first-email');
  const journey = JSON.parse(renamed);
  assert.equal(journey.steps['email-a'], undefined);
  assert.equal(journey.steps['ab-test'].branches[0].next, 'first-email');
  assert.equal(journey.steps.reaction.events[0].to, 'first-email');
  assert.equal(renamed.split('\n').length, nudge.split('\n').length);
  assert.equal(renameStep(nudge, 'ab-test', 'split').includes('"start": "split"'), true);
  assert.throws(() => renameStep(nudge, 'email-a', 'email-b'), /already a step/);
});

test('a step dropped on an edge goes into it; pasted and deleted steps', () => {
  const { text, id } = addStep(nudge, 'wait', { from: 'email-a', to: 'reaction', pointer: '/steps/email-a/next' });
  const steps = JSON.parse(text).steps;
  assert.equal(id, 'wait');
  assert.equal(steps['email-a'].next, 'wait');
  assert.deepEqual(steps.wait, { type: 'wait', duration: 'P1D', next: 'reaction' });
  const split = addStep(nudge, 'split', { from: 'email-a', to: 'reaction', pointer: '/steps/email-a/next' });
  assert.deepEqual(JSON.parse(split.text).steps.split.branches, [{ percent: 50, next: 'reaction' }, { percent: 50 }]);
  const first = addStep('{"id": "x", "version": 1, "steps": {}}', 'action').text;
  assert.equal(JSON.parse(first).start, 'action');
  const pasted = pasteStep(text, { id: 'wait', value: steps.wait });
  assert.equal(pasted.id, 'wait-copy');
  assert.equal(pasteStep(pasted.text, { id: 'wait', value: steps.wait }).id, 'wait-copy-2');
  assert.equal(deleteStep(pasted.text, 'wait-copy'), text);
});

test('a new version: version one higher, in a file of its own', () => {
  const { text, version } = bumpVersion(nudge);
  assert.equal(version, 2);
  assert.equal(JSON.parse(text).version, 2);
  assert.equal(versionFileName('journey.json', 2, []), 'journey-v2.json');
  assert.equal(versionFileName('journey-v2.json', 3, []), 'journey-v3.json');
  assert.equal(versionFileName('journey.json', 2, ['journey-v2.json']), 'journey-v2-2.json');
});

test('CEL: tokens for the highlighting, completion of variables, functions and fields', () => {
  const kinds = tokenize("has(profile.x) && atLocalTime(now, '09:00') > 2.5").filter((t) => t.kind !== 'space')
    .map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, ['function:has', 'operator:(', 'variable:profile', 'operator:.', 'field:x', 'operator:)', 'operator:&&',
    'function:atLocalTime', 'operator:(', 'variable:now', 'operator:,', "string:'09:00'", 'operator:)', 'operator:>', 'number:2.5']);
  assert.deepEqual(completions('pro', 3).items.map((i) => i.insert), ['profile']);
  assert.deepEqual(completions('atLo', 4).items.map((i) => i.insert), ['atLocalTime(']);
  assert.deepEqual(completions('profile.lo', 10, { profileFields: ['loginCount', 'name'] }).items.map((i) => i.insert), ['loginCount']);
  assert.equal(completions('journey.', 8).items.some((i) => i.insert === 'entryTime'), true);
  assert.equal(completions('profile.logins > ', 17).items.length, 0);
});

test('durations as they read', () => {
  assert.equal(readable('P2D'), '2 days');
  assert.equal(readable('P1DT12H'), '1 day 12 hours');
  assert.equal(readable('PT30M'), '30 minutes');
  assert.equal(readable('P1W'), '1 week');
  assert.equal(readable('2 days'), null);
  assert.equal(readable('PT'), null);
});

test('a version diff: the steps added, removed and changed', () => {
  const v1 = JSON.parse(nudge);
  const v2 = JSON.parse(renameStep(nudge, 'thank', 'thanks'));
  v2.steps.reminder.template = 'other';
  assert.deepEqual(diffSteps(v1, v2), { added: ['thanks'], removed: ['thank'], changed: ['reaction', 'reminder'] });
  assert.deepEqual(diffSteps(v1, v1), { added: [], removed: [], changed: [] });
});

test('a timeline keeps the order the engine emitted step events in, each action after its step', async () => {
  const { timelineRows } = await import('../../src/views/testMode.js');
  const at = '2026-02-02T09:00:00Z';
  const step = (stepId, status, next) => ({ instanceId: 'i', stepId, status, next, timestamp: at });
  const rows = timelineRows({
    events: [step('ab-test', 'entered'), step('ab-test', 'executed', 'email-b'), step('email-b', 'executed', 'reaction'),
      step('reaction', 'waiting')],
    actions: [{ instanceId: 'i', stepId: 'email-b', channel: 'email', template: 'cart-b', timestamp: at }],
  });
  assert.deepEqual(rows.map((r) => r.text), ['ab-test entered', 'ab-test executed → email-b',
    'email-b executed → reaction', 'email-b: email cart-b', 'reaction waiting']);
});
