// The designer's page: wires the views to the one model (the open document's text, src/store.js) and to the
// server's API. Every edit goes through `apply`, which computes the new text from the current one.

import { api } from './api.js';
import { createStore } from './store.js';
import { createCanvas } from './canvas/canvas.js';
import { pins } from './canvas/pins.js';
import { createJsonView } from './views/jsonView.js';
import { createProblemsPanel } from './views/problemsPanel.js';
import { createPropertiesPane } from './properties/pane.js';
import { createTestPanel } from './views/testMode.js';
import { createLivePanel } from './views/liveMode.js';
import { createPalette } from './views/palette.js';
import { stepOfPointer } from './journey/graph.js';
import { nodeAt } from './json/parse.js';
import * as edits from './edits.js';
import { documentsToRun, rulesSummary } from './journey/rules.js';

const store = createStore();
const { state } = store;
const $ = (selector) => document.querySelector(selector);

// ---- editing: every change is a new text ----

function apply(change, { select } = {}) {
  if (state.parseError) {
    flash('Fix the JSON first: ' + state.parseError.message, true);
    return null;
  }
  try {
    const result = change(state.text);
    const text = typeof result === 'string' ? result : result.text;
    store.setText(text);
    if (select !== undefined) store.select(select);
    return result;
  } catch (e) {
    flash(e.message, true);
    return null;
  }
}

const journeyId = () => state.value?.id ?? state.file;

const edit = {
  set: (pointer, value) => apply((t) => edits.set(t, pointer, value)),
  remove: (pointer) => apply((t) => edits.set(t, pointer, undefined)),
  append: (pointer, value) => apply((t) => edits.appendItem(t, pointer, value)),
  renameKey: (pointer, key) => apply((t) => edits.renameKey(t, pointer, key)),
  replaceFields: (pointer, fields) => apply((t) => edits.replaceFields(t, pointer, fields)),
  renameStep: (from, to) => {
    if (apply((t) => edits.renameStep(t, from, to), { select: to }) !== null) pins.rename(journeyId(), from, to);
  },
  deleteStep: (id) => apply((t) => edits.deleteStep(t, id), { select: null }),
  setStart: (id) => apply((t) => edits.set(t, '/start', id)),
  setActionChannel: (id, channel) => apply((t) => edits.setActionChannel(t, id, channel)),
  setActionSendTime: (id, on) => apply((t) => edits.setActionSendTime(t, id, on)),
  setWaitMode: (id, mode) => apply((t) => edits.setWaitMode(t, id, mode)),
  setOptimize: (pointer, optimize) => apply((t) => edits.setOptimize(t, pointer, optimize)),
  setSendTimeChannel: (pointer, channel) => apply((t) => edits.setSendTimeChannel(t, pointer, channel)),
};

function addStep(type, place) {
  const result = apply((t) => edits.addStep(t, type, place?.edge ?? null));
  if (!result) return;
  if (place) pins.set(journeyId(), result.id, place.x, place.y);
  store.select(result.id);
}

let clipboard = null;

function copy() {
  const id = state.selection.step;
  if (id === null || !state.value?.steps?.[id]) return;
  clipboard = { id, value: state.value.steps[id] };
  flash(`Copied ${id}`);
}

function paste() {
  if (!clipboard) return;
  const result = apply((t) => edits.pasteStep(t, clipboard));
  if (!result) return;
  const box = canvas.sceneBoxes().get(clipboard.id);
  if (box) pins.set(journeyId(), result.id, box.x + 40, box.y + 40);
  store.select(result.id);
  flash(`Pasted ${result.id}`);
}

// ---- validation on every change, the latest answer wins ----

let validation = 0;
let validateTimer = null;

function scheduleValidation() {
  clearTimeout(validateTimer);
  const ticket = ++validation;
  store.set({ validating: true }, 'validating');
  validateTimer = setTimeout(async () => {
    try {
      const answer = await api.validate(state.text, state.file);
      if (ticket === validation) store.set({ problems: answer.problems ?? [], validating: false }, 'problems');
    } catch (e) {
      if (ticket === validation) {
        store.set({ problems: [{ code: 'HTTP', pointer: '', message: 'Could not validate: ' + e.message }], validating: false }, 'problems');
      }
    }
  }, 150);
}

// ---- documents ----

async function refreshDocuments() {
  store.set({ documents: await api.documents() }, 'documents');
}

async function open(file) {
  if (state.file && state.text !== state.savedText && !confirm(`Leave ${state.file} without saving?`)) return;
  const text = await api.read(file);
  store.open(file, text);
  history.replaceState(null, '', '#file=' + encodeURIComponent(file));
  requestAnimationFrame(() => canvas.fit({ readable: true }));
}

async function save() {
  if (!state.file) return;
  const text = state.text;
  const answer = await api.write(state.file, text);
  store.saved(text);
  flash(`Saved ${answer.file}${answer.problems?.length ? ` (${answer.problems.length} problem(s))` : ''}`);
  await refreshDocuments();
}

async function saveAsNewVersion() {
  if (!state.file || state.parseError) return;
  const { text, version } = edits.bumpVersion(state.text);
  const name = edits.versionFileName(state.file, version, state.documents.map((d) => d.file));
  await api.write(name, text);
  await refreshDocuments();
  store.open(name, text);
  history.replaceState(null, '', '#file=' + encodeURIComponent(name));
  requestAnimationFrame(() => canvas.fit({ readable: true }));
  flash(`Saved version ${version} as ${name}`);
}

async function publish() {
  try {
    const answer = await api.publish(state.text, state.file);
    flash(`Published to ${answer.topic ?? 'the definitions topic'}`);
  } catch (e) {
    flash('Not published: ' + e.message, true);
  }
}

async function newDocument(kind = 'journey') {
  if (state.file && state.text !== state.savedText && !confirm(`Leave ${state.file} without saving?`)) return;
  const rules = kind === 'rules';
  const id = prompt(`Id of the new ${rules ? 'rule set' : 'journey'} ([a-z0-9][a-z0-9._-]*)`, rules ? 'marketing' : 'new-journey');
  if (!id) return;
  const file = `${id}.json`;
  if (state.documents.some((d) => d.file === file)) {
    flash(`${file} exists already`, true);
    return;
  }
  const text = rules ? edits.emptyRuleSet(id) : edits.emptyJourney(id);
  store.open(file, text);
  store.set({ savedText: null }, 'saved'); // not in the folder until saved
  history.replaceState(null, '', '#file=' + encodeURIComponent(file));
  showTab('properties');
}

/**
 * The documents a test run needs: the open one, and the folder's others (actions it calls, journeys it jumps to,
 * the rule sets they name), but other versions of the open journey.
 */
async function documentsForRun() {
  const kindOf = (d) => d.kind ?? 'journey';
  const open = { kind: state.value?.kind ?? 'journey', id: state.value?.id, value: state.value, text: state.text };
  const others = state.documents.filter((d) => d.file !== state.file && !(kindOf(d) === open.kind && d.id === open.id));
  const read = await Promise.all(others.map(async (d) => {
    const text = await api.read(d.file);
    try {
      const value = JSON.parse(text);
      return value && typeof value === 'object' ? { kind: kindOf(d), id: d.id, value, text } : null;
    } catch {
      return null;
    }
  }));
  return documentsToRun([open, ...read.filter(Boolean)]).map((d) => d.text);
}

// ---- completion hints from the samples: profile attributes and entry event fields ----

let hints = { profileFields: [], eventFields: [] };

async function loadHints() {
  try {
    const samples = await api.samples();
    const lines = (text) => (text ?? '').split('\n').filter((l) => l.trim()).map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    }).filter(Boolean);
    const profileFields = new Set(lines(samples.profiles).flatMap((p) => Object.keys(p.attributes ?? {})));
    const eventFields = new Set(lines(samples.events).flatMap((e) => Object.keys(e.data ?? {})));
    hints = { profileFields: [...profileFields].sort(), eventFields: [...eventFields].sort() };
  } catch {
    // completion then offers the variables and functions alone
  }
}

// ---- views ----

function flash(text, error = false) {
  store.set({ message: { text, error, at: Date.now() } }, 'message');
}

const canvas = createCanvas($('#canvas'), {
  pins: () => pins.of(journeyId()),
  select: (step, pointer = null) => {
    store.select(step, pointer);
    if (pointer) jsonView.reveal(state, pointer);
    else if (step) jsonView.reveal(state, '/steps/' + step.replace(/~/g, '~0').replace(/\//g, '~1'));
    showTab('properties');
  },
  move: (id, x, y) => {
    pins.set(journeyId(), id, x, y);
    store.select(id);
  },
  connect: (pointer, target) => apply((t) => edits.set(t, pointer, target)),
  focusProperties: () => properties.focus(),
});

const jsonView = createJsonView($('#json'), {
  onInput: (text) => store.setText(text, { coalesce: 'typing' }),
  onSelectPointer: (offset) => {
    const step = jsonView.stepAt(state, offset);
    if (step !== state.selection.step && (step === null || state.value?.steps?.[step] !== undefined)) store.select(step);
  },
});

const problems = createProblemsPanel($('#problems'), {
  onPick: (problem) => {
    const step = stepOfPointer(problem.pointer);
    store.select(step !== null && state.value?.steps?.[step] !== undefined ? step : null, problem.pointer);
    showTab('properties');
    canvas.reveal(step);
    if (state.tree && nodeAt(state.tree, problem.pointer)) jsonView.reveal(state, problem.pointer);
    // the field the problem is on, in the properties pane
    const target = document.querySelector(`#properties [data-pointer="${CSS.escape(problem.pointer)}"]`)
      ?? document.querySelector(`#properties [data-field="${CSS.escape(problem.pointer)}"]`);
    target?.scrollIntoView({ block: 'nearest' });
    if (target?.matches('input, select')) target.focus();
  },
});

const properties = createPropertiesPane($('#properties'), edit, {
  hints: () => hints,
  documents: () => state.documents,
});

const testPanel = createTestPanel($('#test'), { store, api, documentsForRun });
const livePanel = createLivePanel($('#live'), { store, api });

createPalette($('#palette'), { dropAt: (x, y) => canvas.dropAt(x, y), onAdd: addStep });

function renderDocuments() {
  const list = $('#documents');
  list.replaceChildren(...state.documents.map((d) => {
    const li = document.createElement('li');
    li.dataset.file = d.file;
    li.className = (d.file === state.file ? 'open ' : '') + (d.kind ?? 'unknown');
    li.innerHTML = '<span class="doc-file"></span><small></small>';
    li.firstChild.textContent = d.file;
    li.lastChild.textContent = d.kind === 'action' ? `action ${d.id ?? ''}`
      : `${d.kind === 'rules' ? 'rules ' : ''}${d.id ?? '?'} v${d.version ?? '?'}`;
    li.addEventListener('click', () => open(d.file));
    return li;
  }));
}

function renderToolbar() {
  $('#file-name').textContent = state.file ? state.file + (state.text !== state.savedText ? ' •' : '') : 'no journey open';
  $('#file-name').dataset.dirty = String(state.file !== null && state.text !== state.savedText);
  $('[data-action="undo"]').disabled = !store.canUndo();
  $('[data-action="redo"]').disabled = !store.canRedo();
  for (const b of ['save', 'save-version', 'publish', 'test']) {
    const button = $(`[data-action="${b}"]`);
    if (button) button.disabled = !state.file;
  }
  $('[data-action="publish"]').hidden = !state.info?.kafka;
  // test mode runs journeys: a rule set or an action definition is tested through a journey that uses it
  const journey = (state.value?.kind ?? 'journey') === 'journey';
  $('[data-action="test"]').disabled = !state.file || !journey;
  const message = $('#message');
  message.textContent = state.message?.text ?? '';
  message.classList.toggle('error', Boolean(state.message?.error));
}

/** A document without steps (a rule set, an action definition) says so where the canvas would draw them. */
function renderCanvasNote() {
  const note = $('#canvas-note');
  const kind = state.value?.kind;
  note.hidden = kind !== 'rules' && kind !== 'action';
  if (note.hidden) return;
  const lines = kind === 'rules' ? rulesSummary(state.value) : [];
  note.replaceChildren(Object.assign(document.createElement('b'), {
    textContent: kind === 'rules' ? `Rule set ${state.value.id ?? '?'} v${state.value.version ?? '?'}` : `Action definition ${state.value.id ?? '?'}`,
  }));
  const list = document.createElement('ul');
  list.className = 'rules-summary';
  list.replaceChildren(...lines.map((line) => Object.assign(document.createElement('li'), { textContent: line })));
  note.append(list, Object.assign(document.createElement('div'), {
    textContent: kind === 'rules' ? 'Journeys name it in their properties (delivery rules). Edit it in the properties pane or the JSON view.'
      : 'Edit it in the JSON view.',
  }));
}

function showTab(name) {
  document.querySelectorAll('[data-tab]').forEach((tab) => tab.classList.toggle('active', tab.dataset.tab === name));
  document.querySelectorAll('[data-pane]').forEach((pane) => { pane.hidden = pane.dataset.pane !== name; });
}

store.subscribe((s, reason) => {
  if (reason === 'documents') renderDocuments();
  if (reason === 'open' || reason === 'text') {
    scheduleValidation();
    if (s.test?.report && !s.test.stale) store.set({ test: { ...s.test, stale: true } }, 'test-stale');
  }
  if (reason === 'live' || reason === 'info' || reason === 'documents') {
    livePanel.render(s);
    document.querySelector('[data-tab="live"]').hidden = !s.info?.kafka;
  }
  if (['open', 'text', 'selection', 'problems', 'test', 'test-stale', 'validating', 'live'].includes(reason)) {
    canvas.render(s);
    renderCanvasNote();
    jsonView.render(s);
    problems.render(s);
    if (reason !== 'validating') properties.render(s, reason);
    if (reason === 'test' || reason === 'test-stale' || reason === 'open') testPanel.render(s);
    if (reason === 'open') livePanel.render(s);
    if (reason === 'open') renderDocuments();
  }
  renderToolbar();
  document.body.dataset.ready = String(s.file !== null && !s.validating);
});

// ---- commands and keys ----

const commands = {
  save: () => save().catch((e) => flash('Not saved: ' + e.message, true)),
  'save-version': () => saveAsNewVersion().catch((e) => flash('Not saved: ' + e.message, true)),
  publish,
  undo: () => store.undo(),
  redo: () => store.redo(),
  fit: () => canvas.fit(),
  'zoom-in': () => canvas.zoom(1.2),
  'zoom-out': () => canvas.zoom(1 / 1.2),
  'auto-layout': () => {
    pins.clear(journeyId());
    canvas.render(state);
    canvas.fit();
  },
  new: () => newDocument('journey'),
  'new-rules': () => newDocument('rules'),
  delete: () => state.selection.step !== null && edit.deleteStep(state.selection.step),
  copy,
  paste,
  test: () => {
    showTab('test');
    testPanel.run();
  },
};

document.addEventListener('click', (e) => {
  const button = e.target.closest('[data-action]');
  if (button && commands[button.dataset.action] && !button.closest('#properties, #test')) commands[button.dataset.action]();
  const tab = e.target.closest('[data-tab]');
  if (tab) showTab(tab.dataset.tab);
});

document.addEventListener('keydown', (e) => {
  const mod = e.ctrlKey || e.metaKey;
  const inField = e.target.matches?.('input, textarea, select');
  const inJson = e.target === jsonView.element;
  if (mod && e.key.toLowerCase() === 's') {
    e.preventDefault();
    commands.save();
  } else if (mod && e.key.toLowerCase() === 'z' && (!inField || inJson)) {
    // the page's own history in the JSON view too, so that one undo covers canvas and text edits alike
    e.preventDefault();
    if (e.shiftKey) store.redo();
    else store.undo();
  } else if (mod && e.key.toLowerCase() === 'y' && (!inField || inJson)) {
    e.preventDefault();
    store.redo();
  } else if (inField) {
    // typing in a field
  } else if (e.key === 'Delete' || e.key === 'Backspace') {
    commands.delete();
  } else if (mod && e.key.toLowerCase() === 'c') {
    copy();
  } else if (mod && e.key.toLowerCase() === 'v') {
    paste();
  } else if (e.key === 'f') {
    canvas.fit();
  }
});

window.addEventListener('beforeunload', (e) => {
  if (state.file && state.text !== state.savedText) e.preventDefault();
});

// ---- start ----

(async () => {
  showTab('properties');
  store.set({ info: await api.info().catch(() => null) }, 'info');
  await Promise.all([refreshDocuments(), loadHints()]);
  const wanted = new URLSearchParams(location.hash.slice(1)).get('file');
  if (wanted && state.documents.some((d) => d.file === wanted)) await open(wanted);
  else {
    canvas.render(state);
    properties.render(state);
    testPanel.render(state);
    problems.render(state);
  }
})().catch((e) => flash(e.message, true));

// for the browser tests and the curious: the model, read-only by convention
window.designer = { state, store };
