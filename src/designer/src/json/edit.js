// Surgical edits of a JSON document's text: each changes the characters of one value, member or item and leaves
// every other byte where it was, so that an edit in the designer shows in a diff as the lines it touched.
// Each function takes the text and returns the new text; it throws when the pointer does not fit the document.

import { parse, locate, splitPointer, nodeAt } from './parse.js';

/** A value written compactly on one line, in the style of the project's journeys: {"a": 1, "b": [1, 2]}. */
export function render(value) {
  if (Array.isArray(value)) return '[' + value.map(render).join(', ') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ': ' + render(v)).join(', ') + '}';
  }
  return JSON.stringify(value);
}

function splice(text, start, end, insert) {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The whitespace before offset on its line, when only whitespace precedes it there; else null. */
function indentBefore(text, offset) {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

/**
 * Text to insert after the last of a container's entries, or inside an empty one: on a line of its own, indented
 * as the last entry, when the entries sit on lines of their own; else after ", " on the same line.
 */
function appendAfter(text, container, last, entry) {
  if (!last) {
    return { at: container.start + 1, insert: entry };
  }
  const lastStart = last.keyStart ?? last.start;
  const indent = indentBefore(text, lastStart);
  const ownLines = indent !== null && text.lastIndexOf('\n', lastStart) > container.start;
  const lastEnd = last.value ? last.value.end : last.end;
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n'; // the file's own
  return { at: lastEnd, insert: ownLines ? ',' + lineBreak + indent + entry : ', ' + entry };
}

/**
 * Sets the value at a pointer: replaces its span when it exists, else adds the member (and the objects above it
 * that are missing) to the deepest existing object.
 */
export function setValue(text, pointer, value) {
  const root = parse(text);
  const found = locate(root, pointer);
  if (found.node) {
    return splice(text, found.node.start, found.node.end, render(value));
  }
  const container = found.parent;
  const [key, ...rest] = found.missing;
  let nested = value;
  for (let i = rest.length - 1; i >= 0; i--) nested = { [rest[i]]: nested };
  if (container.kind === 'array' && key === String(container.items.length)) {
    return appendItem(text, pointer.slice(0, pointer.lastIndexOf('/')), nested);
  }
  if (container.kind !== 'object') {
    throw new Error(`Cannot set ${pointer}: its parent is not an object`);
  }
  const entry = JSON.stringify(key) + ': ' + render(nested);
  const { at, insert } = appendAfter(text, container, container.members.at(-1), entry);
  return splice(text, at, at, insert);
}

/** Removes the member or item at a pointer, with the comma that separated it; no change when it is absent. */
export function remove(text, pointer) {
  const root = parse(text);
  const found = locate(root, pointer);
  if (!found.node) return text;
  const parent = found.parent;
  if (parent.kind === 'object') {
    const members = parent.members;
    const i = members.indexOf(found.member);
    if (i < members.length - 1) return splice(text, members[i].keyStart, members[i + 1].keyStart, '');
    if (i > 0) return splice(text, members[i - 1].value.end, members[i].value.end, '');
    return splice(text, parent.start + 1, parent.end - 1, trimmedInside(text, parent));
  }
  const items = parent.items;
  const i = items.indexOf(found.node);
  if (i < items.length - 1) return splice(text, items[i].start, items[i + 1].start, '');
  if (i > 0) return splice(text, items[i - 1].end, items[i].end, '');
  return splice(text, parent.start + 1, parent.end - 1, trimmedInside(text, parent));
}

/** What stays inside a container whose only entry goes: nothing when it was on one line, else its closing line. */
function trimmedInside(text, container) {
  const inside = text.slice(container.start + 1, container.end - 1);
  const lastBreak = inside.lastIndexOf('\n');
  return lastBreak < 0 ? '' : inside.slice(lastBreak);
}

/** Appends an item to the array at a pointer (creating the array when the member is missing). */
export function appendItem(text, arrayPointer, value) {
  const root = parse(text);
  const array = nodeAt(root, arrayPointer);
  if (!array) return setValue(text, arrayPointer, [value]);
  if (array.kind !== 'array') throw new Error(`${arrayPointer} is not an array`);
  const { at, insert } = appendAfter(text, array, array.items.at(-1), render(value));
  return splice(text, at, at, insert);
}

/** Renames the member at a pointer in place (its value and position unchanged). */
export function renameKey(text, pointer, newKey) {
  const found = locate(parse(text), pointer);
  if (!found.member) throw new Error(`No member at ${pointer}`);
  return splice(text, found.member.keyStart, found.member.keyEnd, JSON.stringify(newKey));
}

/** Adds a member to the object at a pointer; the object must exist and not hold the key. */
export function addMember(text, objectPointer, key, value) {
  const object = nodeAt(parse(text), objectPointer);
  if (!object || object.kind !== 'object') throw new Error(`${objectPointer} is not an object`);
  if (object.members.some((m) => m.key === key)) throw new Error(`${objectPointer} already has "${key}"`);
  return setValue(text, objectPointer + '/' + key.replace(/~/g, '~0').replace(/\//g, '~1'), value);
}

/** Several value replacements at once (e.g. every reference to a renamed step); pointers that are absent are skipped. */
export function setValues(text, changes) {
  const root = parse(text);
  const spans = [];
  for (const { pointer, value } of changes) {
    const node = nodeAt(root, pointer);
    if (node) spans.push({ start: node.start, end: node.end, insert: render(value) });
  }
  spans.sort((a, b) => b.start - a.start);
  for (const span of spans) text = splice(text, span.start, span.end, span.insert);
  return text;
}

export { splitPointer };
