// The controls of the properties pane. Each is bound to a JSON pointer (data-pointer, which the problem marks
// use) and commits its value when the author leaves it, so that one change is one edit of the text.

import { readable } from '../journey/durations.js';
import { celField } from '../cel/editor.js';

export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** A labelled row; its problems are shown under it. */
export function field(label, control, pointer, hint) {
  return h('div', { class: 'field', dataset: { field: pointer } },
    h('label', {}, label), control, hint ? h('div', { class: 'hint' }, hint) : null);
}

export function textInput(value, pointer, onCommit, placeholder) {
  const input = h('input', { type: 'text', value: value ?? '', placeholder, dataset: { pointer } });
  const commit = () => {
    if (input.value !== (value ?? '')) onCommit(input.value);
  };
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (e) => e.key === 'Enter' && input.blur());
  return input;
}

export function numberInput(value, pointer, onCommit, { min, max, step = 'any' } = {}) {
  const input = h('input', { type: 'number', value: value ?? '', min, max, step, dataset: { pointer } });
  input.addEventListener('change', () => {
    const n = input.value === '' ? undefined : Number(input.value);
    if (n !== value) onCommit(n);
  });
  return input;
}

export function checkbox(value, pointer, onCommit) {
  const input = h('input', { type: 'checkbox', dataset: { pointer } });
  input.checked = Boolean(value);
  input.addEventListener('change', () => onCommit(input.checked));
  return input;
}

/** A choice among options ([value, label]); a value not among them is kept and shown as such. */
export function select(value, options, pointer, onCommit, { empty } = {}) {
  const all = [...options];
  if (value !== undefined && value !== null && value !== '' && !all.some(([v]) => v === value)) {
    all.push([value, `${value} (unknown)`]);
  }
  const node = h('select', { dataset: { pointer } },
    empty !== undefined ? h('option', { value: '' }, empty) : null,
    all.map(([v, label]) => h('option', { value: v }, label)));
  node.value = value ?? '';
  node.addEventListener('change', () => onCommit(node.value === '' ? undefined : node.value));
  return node;
}

/** A target: one of the journey's step ids (a step cannot go to itself, except through a wait: it is allowed). */
export function stepPicker(value, stepIds, pointer, onCommit, empty = '(not connected)') {
  return select(value, stepIds.map((id) => [id, id]), pointer, onCommit, { empty });
}

/** An ISO-8601 duration with how it reads ("2 days"), or a warning when the engine would not read it. */
export function durationInput(value, pointer, onCommit) {
  const reads = h('span', { class: 'duration-reads' });
  const input = textInput(value, pointer, onCommit, 'P1D, PT30M, P1DT2H');
  const show = () => {
    const r = readable(input.value);
    reads.textContent = input.value === '' ? '' : r ?? 'not an ISO-8601 duration';
    reads.classList.toggle('bad', input.value !== '' && r === null);
  };
  input.addEventListener('input', show);
  show();
  return h('span', { class: 'duration' }, input, reads);
}

export function celInput(value, pointer, onCommit, hints) {
  return celField({ value, pointer, onCommit, hints });
}

/**
 * A map of names to expressions (params, set): one row per entry, a name and a CEL field; renaming a name
 * renames the member in place.
 */
export function expressionMap(object, pointer, edit, hints, what = 'param') {
  const entries = object && typeof object === 'object' ? Object.entries(object) : [];
  const rows = entries.map(([name, expression]) => {
    const at = pointer + '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
    return h('div', { class: 'map-row', dataset: { field: at } },
      textInput(name, at + '#key', (newName) => newName && edit.renameKey(at, newName)),
      celInput(expression, at, (text) => edit.set(at, text), hints),
      h('button', { type: 'button', class: 'remove', title: `Remove this ${what}`, onclick: () => edit.remove(at) }, '×'));
  });
  const add = h('button', { type: 'button', class: 'add', onclick: () => {
    const taken = new Set(entries.map(([k]) => k));
    let name = what;
    for (let n = 2; taken.has(name); n++) name = `${what}${n}`;
    edit.set(pointer + '/' + name, 'true');
  } }, `+ ${what}`);
  return h('div', { class: 'map', dataset: { pointer } }, rows, add);
}
