// Delivery rules on the page: the window step's port and new step, its days, how periods and rule sets read,
// the documents a test run sends, and the edits of the properties pane's rule controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portsOf, newStep, STEP_TYPES } from '../../src/journey/graph.js';
import { withDay, daysLabel, windowLabel, rulesSummary, documentsToRun } from '../../src/journey/rules.js';
import { addStep, set, emptyRuleSet } from '../../src/edits.js';
import { summaryOf } from '../../src/canvas/canvas.js';

test('a window step has one port, next, and starts as 09:00 to 17:00 every day', () => {
  assert.ok(STEP_TYPES.includes('window'));
  assert.deepEqual(portsOf('w', { type: 'window', from: '09:00', to: '17:00', next: 'x' }).map((p) => [p.name, p.pointer, p.target]),
    [['next', '/steps/w/next', 'x']]);
  assert.deepEqual(portsOf('w', { type: 'window', onError: 'y' }).map((p) => p.name), ['next'], 'no onError on a window');
  assert.deepEqual(newStep('window'), { type: 'window', from: '09:00', to: '17:00' });
  const { text, id } = addStep('{"id": "j", "version": 1, "start": "a", "steps": {"a": {"type": "end"}}}', 'window');
  assert.equal(id, 'window');
  assert.deepEqual(JSON.parse(text).steps.window, { type: 'window', from: '09:00', to: '17:00' });
});

test('days: ticking and unticking keeps them sorted; all seven is the default, absent', () => {
  assert.deepEqual(withDay(undefined, 7, false), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(withDay([1, 2, 3, 4, 5], 6, false), [1, 2, 3, 4, 5]);
  assert.deepEqual(withDay([5, 1], 3, true), [1, 3, 5]);
  assert.equal(withDay([1, 2, 3, 4, 5, 6], 7, true), undefined);
  assert.deepEqual(withDay([2], 2, false), [], 'no day left: the validator says so');
  assert.equal(daysLabel([1, 2, 3, 4, 5]), 'Mon–Fri');
  assert.equal(daysLabel([1, 3, 6, 7]), 'Mon, Wed, Sat, Sun');
  assert.equal(daysLabel(undefined), 'every day');
  assert.equal(windowLabel({ days: [6, 7], from: '10:00', to: '12:00', timeZone: 'Europe/Paris' }), 'Sat, Sun 10:00–12:00 Europe/Paris');
  assert.equal(summaryOf({ type: 'window', step: { from: '09:00', to: '17:00' } }), 'every day 09:00–17:00');
  assert.equal(summaryOf({ type: 'action', step: { channel: 'email', template: 'r', rules: false } }), 'email · r · no rules');
});

test('a rule set reads one line per rule', () => {
  assert.deepEqual(rulesSummary({
    frequency: [{ id: 'daily', channels: ['email'], max: 1, per: 'day' }],
    quietHours: [{ id: 'night', channels: ['email', 'sms'], from: '21:00', to: '08:00', timeZone: 'UTC', then: 'discard' }],
    entries: { max: 3, per: 'week', maxConcurrent: 1 },
  }), ['daily: at most 1 email per day (profile)', 'night: no email/sms every day 21:00–08:00 (UTC), discarded',
    'entries: at most 3 per week (profile)', 'entries: at most 1 live at once']);
  const fresh = JSON.parse(emptyRuleSet('marketing'));
  assert.deepEqual([fresh.kind, fresh.id, fresh.version, fresh.frequency.length], ['rules', 'marketing', 1, 1]);
});

test('a test run sends the rule sets the journeys name, and no other', () => {
  const docs = [
    { kind: 'journey', id: 'a', value: { id: 'a', rules: 'marketing' } },
    { kind: 'journey', id: 'b', value: { id: 'b' } },
    { kind: 'rules', id: 'marketing', value: {} },
    { kind: 'rules', id: 'draft', value: {} },
    { kind: 'action', id: 'crm', value: {} },
  ];
  assert.deepEqual(documentsToRun(docs).map((d) => d.id), ['a', 'b', 'marketing', 'crm']);
});

test('the rule controls edit one value: rules false on an action, the journey\'s rules and priority', () => {
  const text = '{\n  "id": "j",\n  "version": 1,\n  "steps": {\n    "m": {"type": "action", "channel": "email", "template": "t", "next": "e"}\n  }\n}\n';
  const off = set(text, '/steps/m/rules', false);
  assert.equal(JSON.parse(off).steps.m.rules, false);
  assert.equal(set(off, '/steps/m/rules', undefined), text, 'back on: the field goes');
  const ruled = set(set(text, '/rules', 'marketing'), '/priority', 80);
  assert.deepEqual([JSON.parse(ruled).rules, JSON.parse(ruled).priority], ['marketing', 80]);
  assert.equal(set(set(ruled, '/priority', undefined), '/rules', undefined), text);
});
