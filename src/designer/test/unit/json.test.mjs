// The JSON text's spans and surgical edits: every edit leaves the rest of the text byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, valueOf, nodeAt, pointerAt, JsonSyntaxError } from '../../src/json/parse.js';
import { setValue, remove, appendItem, renameKey, addMember, setValues } from '../../src/json/edit.js';

const nudge = readFileSync(new URL('../../../../jobs/nudge/journey.json', import.meta.url), 'utf8');

/** The lines of b that differ from a's, when both have the same number of lines. */
function changedLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(y.length, x.length, 'same number of lines');
  return y.map((line, i) => (line === x[i] ? null : i)).filter((i) => i !== null);
}

test('parses as JSON.parse does and knows where each value is', () => {
  const root = parse(nudge);
  assert.deepEqual(valueOf(root), JSON.parse(nudge));
  const next = nodeAt(root, '/steps/email-a/next');
  assert.equal(nudge.slice(next.start, next.end), '"reaction"');
  assert.equal(pointerAt(root, next.start + 2), '/steps/email-a/next');
  assert.equal(nodeAt(root, '/steps/reaction/events/2/when').value, 'event.amount > 50');
  assert.equal(nodeAt(root, '/steps/nope'), null);
});

test('refuses broken JSON with the place of the error', () => {
  assert.throws(() => parse('{"a": 1,, }'), (e) => e instanceof JsonSyntaxError && /line 1, column 9/.test(e.message));
  assert.throws(() => parse('{"a": 1} x'), JsonSyntaxError);
  assert.throws(() => parse('{"a": "x\n"}'), JsonSyntaxError);
});

test('replacing a value changes only its line', () => {
  const edited = setValue(nudge, '/steps/email-a/next', 'done');
  assert.deepEqual(changedLines(nudge, edited), [12]);
  assert.equal(JSON.parse(edited).steps['email-a'].next, 'done');
});

test('adding a member to a one-line object stays on its line; to a multi-line one, on a line of its own', () => {
  const onLine = setValue(nudge, '/steps/email-a/onError', 'done');
  assert.deepEqual(changedLines(nudge, onLine), [12]);
  assert.match(onLine.split('\n')[12], /"next": "reaction", "onError": "done"\}/);
  const step = addMember(nudge, '/steps', 'wait-1', { type: 'wait', duration: 'P1D', next: 'done' });
  const lines = step.split('\n');
  assert.equal(lines.length, nudge.split('\n').length + 1);
  assert.equal(lines[20], '    "done": {"type": "end"},');
  assert.equal(lines[21], '    "wait-1": {"type": "wait", "duration": "P1D", "next": "done"}');
  assert.equal(JSON.parse(step).steps['wait-1'].next, 'done');
  assert.deepEqual(JSON.parse(setValue('{}', '/a/b', 1)), { a: { b: 1 } });
});

test('removing a member or item takes its comma and nothing else', () => {
  const first = remove(nudge, '/steps/ab-test');
  assert.equal(first.split('\n').length, nudge.split('\n').length - 1);
  assert.equal(JSON.parse(first).steps['ab-test'], undefined);
  const last = remove(nudge, '/steps/done');
  assert.deepEqual(Object.keys(JSON.parse(last).steps).at(-1), 'reminder');
  assert.equal(remove(nudge, '/steps/done'), remove(remove(nudge, '/steps/done'), '/steps/done'));
  const item = remove(nudge, '/steps/reaction/events/1');
  assert.equal(JSON.parse(item).steps.reaction.events.length, 2);
  assert.equal(remove('{"a": [1]}', '/a/0'), '{"a": []}');
  assert.equal(remove('{"a": 1}', '/a'), '{}');
  assert.equal(remove(nudge, '/steps/nope'), nudge);
});

test('appends items, renames keys and sets several values at once', () => {
  const more = appendItem(nudge, '/steps/ab-test/branches', { percent: 0, next: 'done' });
  assert.deepEqual(changedLines(nudge, more), [11]);
  assert.equal(JSON.parse(more).steps['ab-test'].branches[2].next, 'done');
  const renamed = renameKey(nudge, '/steps/thank', 'thanks');
  assert.deepEqual(changedLines(nudge, renamed), [18]);
  const both = setValues(renamed, [
    { pointer: '/steps/reaction/events/2/next', value: 'thanks' },
    { pointer: '/steps/missing/next', value: 'x' },
  ]);
  assert.equal(JSON.parse(both).steps.reaction.events[2].next, 'thanks');
  assert.deepEqual(JSON.parse(appendItem('{"a": 1}', '/exit', { event: 'x' })), { a: 1, exit: [{ event: 'x' }] });
});

test('a byte order mark and \\r\\n line breaks are kept by edits', () => {
  const text = '\uFEFF{\r\n  "a": 1,\r\n  "b": {"c": 2}\r\n}\r\n';
  assert.deepEqual(valueOf(parse(text)), { a: 1, b: { c: 2 } });
  const edited = setValue(text, '/b/c', 3);
  assert.equal(edited, '\uFEFF{\r\n  "a": 1,\r\n  "b": {"c": 3}\r\n}\r\n');
  assert.equal(setValue(text, '/d', true), '\uFEFF{\r\n  "a": 1,\r\n  "b": {"c": 2},\r\n  "d": true\r\n}\r\n');
});
