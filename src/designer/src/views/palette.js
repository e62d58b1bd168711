// The palette: one item per step type. Drag one onto the canvas to add a step there (onto an edge to insert it
// in that edge), or click it to add one beside the selected step. Pointer events rather than HTML5 drag and
// drop, so that the drop point is exact and the same gesture works with a pen or a finger.

import { STEP_TYPES } from '../journey/graph.js';

const TITLES = {
  action: 'send a message', condition: 'first choice that holds', wait: 'a duration or until',
  window: 'until open hours (days, from, to)', split: 'percent branches',
  await: 'an event or a timeout', updateProfile: 'set attributes', jump: 'into another journey', call: 'an HTTP action',
  cap: 'first N profiles', experiment: 'arms on a goal', end: 'completes',
};

export function createPalette(container, { dropAt, onAdd }) {
  container.replaceChildren(...STEP_TYPES.map((type) => {
    const item = document.createElement('div');
    item.className = `palette-item type-${type}`;
    item.dataset.paletteType = type;
    item.title = TITLES[type];
    item.innerHTML = `<b></b><small></small>`;
    item.firstChild.textContent = type;
    item.lastChild.textContent = TITLES[type];
    item.addEventListener('pointerdown', (event) => start(event, type, item));
    return item;
  }));

  function start(event, type, item) {
    if (event.button !== 0) return;
    event.preventDefault();
    const origin = { x: event.clientX, y: event.clientY };
    let ghost = null;
    const move = (e) => {
      if (!ghost && Math.hypot(e.clientX - origin.x, e.clientY - origin.y) < 4) return;
      ghost ??= Object.assign(item.cloneNode(true), { className: item.className + ' palette-ghost' });
      if (!ghost.isConnected) document.body.append(ghost);
      ghost.style.left = e.clientX - 40 + 'px';
      ghost.style.top = e.clientY - 14 + 'px';
    };
    const up = (e) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      if (!ghost) {
        onAdd(type, null);
        return;
      }
      ghost.remove();
      const place = dropAt(e.clientX, e.clientY);
      if (place) onAdd(type, place);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }
}
