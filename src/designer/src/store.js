// The page's one state. The open document's text is the model: every view draws from what the text parses to,
// every edit produces a new text (src/json/edit.js), and undo/redo walk back and forth through texts.

import { parse, valueOf } from './json/parse.js';
import { graphOf } from './journey/graph.js';

const HISTORY_LIMIT = 200;

export function createStore() {
  const listeners = new Set();
  const state = {
    documents: [], // [{file, kind, id, version}] of the folder
    info: null, // GET /api/info
    file: null,
    text: '',
    savedText: '', // the bytes as last read or written: "unsaved" is text !== savedText
    tree: null, // the last text that parsed: the canvas keeps drawing it while the JSON is broken
    value: null,
    graph: null,
    parseError: null,
    problems: [],
    validating: false,
    selection: { step: null, pointer: null },
    test: null, // {report, actions, steps, journey, profile, error, running}
    live: null, // {answer, report, versions, version, events, warning, diff}: GET /api/live, with --bootstrap-servers
    message: null, // {text, error}
  };
  let past = [];
  let future = [];

  function emit(reason) {
    for (const listener of listeners) listener(state, reason);
  }

  function reparse() {
    try {
      state.tree = parse(state.text);
      state.value = valueOf(state.tree);
      state.graph = graphOf(state.value);
      state.parseError = null;
    } catch (e) {
      state.parseError = e; // tree, value and graph stay those of the last text that parsed
    }
  }

  return {
    state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,

    /** Opens a document's bytes: no history to undo into the previous file. */
    open(file, text) {
      Object.assign(state, { file, text, savedText: text, tree: null, value: null, graph: null, problems: [],
        selection: { step: null, pointer: null }, test: null, message: null });
      past = [];
      future = [];
      reparse();
      emit('open');
    },

    /**
     * Replaces the text after an edit. `coalesce` (typing in the JSON view) folds the edit into the previous one
     * of the same kind, so that undo takes back a burst of typing rather than one character.
     */
    setText(text, { coalesce = null } = {}) {
      if (text === state.text) return;
      const last = past[past.length - 1];
      if (!(coalesce && last && last.coalesce === coalesce && Date.now() - last.at < 1500)) {
        past.push({ text: state.text, selection: state.selection, coalesce, at: Date.now() });
        if (past.length > HISTORY_LIMIT) past.shift();
      } else {
        last.at = Date.now();
      }
      future = [];
      state.text = text;
      reparse();
      emit('text');
    },

    undo() {
      const entry = past.pop();
      if (!entry) return false;
      future.push({ text: state.text, selection: state.selection });
      state.text = entry.text;
      state.selection = entry.selection;
      reparse();
      emit('text');
      return true;
    },

    redo() {
      const entry = future.pop();
      if (!entry) return false;
      past.push({ text: state.text, selection: state.selection, coalesce: null, at: 0 });
      state.text = entry.text;
      state.selection = entry.selection;
      reparse();
      emit('text');
      return true;
    },

    canUndo: () => past.length > 0,
    canRedo: () => future.length > 0,

    select(step, pointer = null) {
      state.selection = { step, pointer };
      emit('selection');
    },

    saved(text) {
      state.savedText = text;
      emit('saved');
    },

    set(fields, reason) {
      Object.assign(state, fields);
      emit(reason);
    },
  };
}
