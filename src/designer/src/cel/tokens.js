// A small CEL tokenizer, enough to colour an expression and to know what the caret is on for completion. It
// never fails: what it does not know is a plain 'text' token, and the server's checker has the last word.

export const VARIABLES = ['event', 'eventType', 'eventTime', 'profile', 'journey', 'now', 'audience'];

/** The journey's calendar and profile functions (README, Expressions), then CEL's own that authors use most. */
export const FUNCTIONS = [
  { name: 'dayOfWeek', signature: 'dayOfWeek(t)', doc: '1 = Monday … 7 = Sunday, of t\'s local date' },
  { name: 'hourOfDay', signature: 'hourOfDay(t)', doc: '0–23, t\'s local hour' },
  { name: 'plusDays', signature: 'plusDays(t, n)', doc: 'n calendar days after t, same local wall time' },
  { name: 'atLocalTime', signature: 'atLocalTime(t, "09:00")', doc: 't\'s local date at that local time' },
  { name: 'inAudience', signature: 'inAudience(id)', doc: 'whether the profile is in that audience now' },
  { name: 'countEvents', signature: 'countEvents(type, duration)', doc: 'the profile\'s events of that type within duration' },
  { name: 'has', signature: 'has(profile.x)', doc: 'whether the field is present (a missing one is an error)' },
  { name: 'size', signature: 'size(x)', doc: 'length of a string, list or map' },
  { name: 'timestamp', signature: 'timestamp("2026-01-01T00:00:00Z")', doc: 'an instant' },
  { name: 'duration', signature: 'duration("1h")', doc: 'a duration' },
  { name: 'int', signature: 'int(x)', doc: 'to an integer' },
  { name: 'double', signature: 'double(x)', doc: 'to a double' },
  { name: 'string', signature: 'string(x)', doc: 'to a string' },
];

export const MEMBERS = ['contains', 'startsWith', 'endsWith', 'matches', 'exists', 'all', 'map', 'filter', 'size'];

/** What each of journey's fields is (README, Expressions). */
export const JOURNEY_FIELDS = ['id', 'version', 'instanceId', 'entryTime', 'entry', 'events', 'results'];

const KEYWORDS = new Set(['true', 'false', 'null', 'in']);
const FUNCTION_NAMES = new Set(FUNCTIONS.map((f) => f.name));

/** [{kind: 'variable'|'function'|'keyword'|'string'|'number'|'operator'|'field'|'space'|'text', text, start}] */
export function tokenize(source) {
  const tokens = [];
  let at = 0;
  const push = (kind, end) => {
    tokens.push({ kind, text: source.slice(at, end), start: at });
    at = end;
  };
  while (at < source.length) {
    const rest = source.slice(at);
    let match;
    if ((match = /^\s+/.exec(rest))) {
      push('space', at + match[0].length);
    } else if ((match = /^(?:[rRbB]{0,2})("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)/.exec(rest))) {
      push('string', at + match[0].length);
    } else if ((match = /^(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[uU]?/.exec(rest))) {
      push('number', at + match[0].length);
    } else if ((match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      const word = match[0];
      const previous = tokens.filter((t) => t.kind !== 'space').at(-1);
      const afterDot = previous && previous.text === '.';
      const called = /^\s*\(/.test(source.slice(at + word.length));
      let kind = 'text';
      if (afterDot) kind = called ? 'function' : 'field';
      else if (KEYWORDS.has(word)) kind = 'keyword';
      else if (VARIABLES.includes(word)) kind = 'variable';
      else if (FUNCTION_NAMES.has(word) || called) kind = 'function';
      push(kind, at + word.length);
    } else if ((match = /^(?:&&|\|\||==|!=|<=|>=|[-+*/%<>!?:.,()[\]{}])/.exec(rest))) {
      push('operator', at + match[0].length);
    } else {
      push('text', at + 1);
    }
  }
  return tokens;
}

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The expression as HTML, each token in a span of class cel-<kind>. */
export function highlight(source) {
  return tokenize(source).map((t) => (t.kind === 'space' || t.kind === 'text'
    ? escape(t.text) : `<span class="cel-${t.kind}">${escape(t.text)}</span>`)).join('');
}

/**
 * What may complete the word before the caret: {from, items: [{label, insert, doc}]}. After `profile.` and
 * `event.` it offers the attributes and fields seen in the sample inputs; after `journey.` its fields.
 */
export function completions(source, caret, { profileFields = [], eventFields = [] } = {}) {
  const before = source.slice(0, caret);
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
  const from = caret - word.length;
  const path = /([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*$/.exec(before.slice(0, from));
  let items;
  if (path) {
    const fields = { profile: profileFields, event: eventFields, journey: JOURNEY_FIELDS }[path[1]] ?? [];
    items = [...fields.map((f) => ({ label: f, insert: f, doc: `${path[1]}.${f}` })),
      ...MEMBERS.map((m) => ({ label: m + '()', insert: m + '(', doc: 'method' }))];
  } else {
    if (word === '') return { from, items: [] };
    items = [...VARIABLES.map((v) => ({ label: v, insert: v, doc: 'variable' })),
      ...FUNCTIONS.map((f) => ({ label: f.signature, insert: f.name + '(', doc: f.doc }))];
  }
  const lower = word.toLowerCase();
  return { from, items: items.filter((i) => i.insert.toLowerCase().startsWith(lower) && i.insert !== word) };
}
