// The JSON view: the document's text itself, in a textarea with line numbers, problem marks on the lines whose
// values have problems, and the selected step's span highlighted. Typing edits the one model; a click on a
// value selects it on the canvas.

import { nodeAt, pointerAt, lineAndColumn } from '../json/parse.js';
import { stepOfPointer } from '../journey/graph.js';

export function createJsonView(container, { onInput, onSelectPointer }) {
  container.innerHTML = `
    <div class="json-error" hidden></div>
    <div class="json-editor">
      <pre class="json-gutter" aria-hidden="true"></pre>
      <textarea class="json-text" spellcheck="false" wrap="off" aria-label="Journey JSON" data-json-view></textarea>
    </div>`;
  const error = container.querySelector('.json-error');
  const gutter = container.querySelector('.json-gutter');
  const area = container.querySelector('textarea');
  let lastProblemsKey = '';

  // a textarea holds line breaks as \n whatever the file has: a file written with \r\n gets them back, so that
  // typing in it changes only the lines typed in
  let lineBreak = '\n';
  const fromArea = () => (lineBreak === '\n' ? area.value : area.value.replace(/\n/g, lineBreak));
  area.addEventListener('input', () => onInput(fromArea()));
  /** Offsets between the textarea's value and the text, which has one more character per \r\n line break. */
  const toText = (offset) => (lineBreak === '\n' ? offset : offset + (area.value.slice(0, offset).match(/\n/g)?.length ?? 0));
  const toArea = (text, offset) => (lineBreak === '\n' ? offset : offset - (text.slice(0, offset).match(/\r\n/g)?.length ?? 0));
  area.addEventListener('scroll', () => {
    gutter.scrollTop = area.scrollTop;
  });
  area.addEventListener('click', () => onSelectPointer(toText(area.selectionStart)));
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Tab') {
      // two spaces, as the project's journeys are indented, rather than leaving the field
      e.preventDefault();
      area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
      onInput(fromArea());
    }
  });

  function render(state) {
    lineBreak = state.text.includes('\r\n') ? '\r\n' : '\n';
    if (fromArea() !== state.text) {
      // keep the caret where it was when the text changed elsewhere (canvas, undo)
      const { selectionStart, selectionEnd, scrollTop } = area;
      area.value = state.text;
      area.setSelectionRange(Math.min(selectionStart, area.value.length), Math.min(selectionEnd, area.value.length));
      area.scrollTop = scrollTop;
    }
    error.hidden = !state.parseError;
    error.textContent = state.parseError ? 'Not JSON: ' + state.parseError.message + ' (the canvas shows the last text that parsed)' : '';
    const key = state.text.length + '|' + JSON.stringify(state.problems.map((p) => p.pointer));
    if (key !== lastProblemsKey || gutter.childElementCount === 0) {
      lastProblemsKey = key;
      drawGutter(state);
    }
  }

  function drawGutter(state) {
    const lines = state.text.split('\n').length;
    const marked = new Map();
    if (state.tree && !state.parseError) {
      for (const p of state.problems) {
        const node = nodeAt(state.tree, p.pointer) ?? nodeAt(state.tree, p.pointer.replace(/\/[^/]*$/, ''));
        if (!node) continue;
        const line = lineAndColumn(state.text, node.start).line;
        marked.set(line, [...(marked.get(line) ?? []), p]);
      }
    }
    if (state.parseError) marked.set(lineAndColumn(state.text, state.parseError.offset).line, [{ code: 'JSON', message: state.parseError.message }]);
    const rows = [];
    for (let i = 1; i <= lines; i++) {
      const row = document.createElement('span');
      row.textContent = String(i);
      if (marked.has(i)) {
        row.className = 'problem-line';
        row.title = marked.get(i).map((p) => `${p.code}: ${p.message}`).join('\n');
      }
      rows.push(row, document.createTextNode('\n'));
    }
    gutter.replaceChildren(...rows);
    gutter.scrollTop = area.scrollTop;
  }

  /** Selects the characters of a value (a problem's or a step's) and scrolls them into view. */
  function reveal(state, pointer) {
    if (!state.tree) return;
    const node = nodeAt(state.tree, pointer);
    if (!node) return;
    area.setSelectionRange(toArea(state.text, node.start), toArea(state.text, node.end));
    const line = lineAndColumn(state.text, node.start).line;
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 4) * lineHeight);
  }

  return {
    render,
    reveal,
    pointerAtCaret: (state, offset) => (state.tree ? pointerAt(state.tree, offset) : null),
    stepAt: (state, offset) => (state.tree ? stepOfPointer(pointerAt(state.tree, offset)) : null),
    element: area,
  };
}
