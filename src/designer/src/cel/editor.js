// A one-line CEL field: the author types in a plain <input> whose text is transparent over a copy of it in
// colour (so the browser's own editing, caret and undo work as usual), with a list of completions under it.

import { highlight, completions } from './tokens.js';

/**
 * @param value the expression
 * @param onCommit called with the new text when the author leaves the field or presses Enter
 * @param hints {profileFields, eventFields} for completion after profile. and event.
 */
export function celField({ value, onCommit, hints, pointer }) {
  const wrap = document.createElement('div');
  wrap.className = 'cel';
  const backdrop = document.createElement('div');
  backdrop.className = 'cel-backdrop';
  const input = document.createElement('input');
  input.type = 'text';
  input.className = 'cel-input';
  input.spellcheck = false;
  input.value = value ?? '';
  input.dataset.pointer = pointer;
  const list = document.createElement('ul');
  list.className = 'cel-completions';
  list.hidden = true;
  wrap.append(backdrop, input, list);

  let items = [];
  let from = 0;
  let active = 0;

  const paint = () => {
    backdrop.innerHTML = highlight(input.value) + '&nbsp;';
    backdrop.scrollLeft = input.scrollLeft;
  };

  const close = () => {
    list.hidden = true;
    items = [];
  };

  const showCompletions = () => {
    const caret = input.selectionStart ?? input.value.length;
    ({ from, items } = completions(input.value, caret, hints));
    items = items.slice(0, 12);
    active = 0;
    list.replaceChildren(...items.map((item, i) => {
      const li = document.createElement('li');
      li.className = i === active ? 'active' : '';
      li.innerHTML = `<code></code> <small></small>`;
      li.firstChild.textContent = item.label;
      li.lastChild.textContent = item.doc;
      li.addEventListener('mousedown', (e) => {
        e.preventDefault(); // keep the focus in the input
        accept(i);
      });
      return li;
    }));
    list.hidden = items.length === 0;
  };

  const accept = (i) => {
    const item = items[i];
    const caret = input.selectionStart ?? input.value.length;
    input.value = input.value.slice(0, from) + item.insert + input.value.slice(caret);
    const at = from + item.insert.length;
    input.setSelectionRange(at, at);
    close();
    paint();
  };

  input.addEventListener('input', () => {
    paint();
    showCompletions();
  });
  input.addEventListener('scroll', paint);
  input.addEventListener('keydown', (e) => {
    if (!list.hidden && items.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        [...list.children].forEach((li, i) => li.classList.toggle('active', i === active));
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        accept(active);
        return;
      }
      if (e.key === 'Escape') {
        close();
        return;
      }
    }
    if (e.key === 'Enter') input.blur();
    if (e.ctrlKey && e.key === ' ') {
      e.preventDefault();
      showCompletions();
    }
  });
  input.addEventListener('blur', () => {
    close();
    if (input.value !== (value ?? '')) onCommit(input.value);
  });
  paint();
  return wrap;
}
