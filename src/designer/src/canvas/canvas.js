// The canvas: draws the scene as SVG (a node per step with data-step-id, a port per outgoing reference, the
// edges, the entry and exits) and turns the author's gestures into intents for the page to apply to the text:
// select, move (pin), connect a port to a step, drop a palette item on the canvas or on an edge. Zoom with the
// wheel, pan by dragging the background, fit, and a minimap.

import { sceneOf, portOffset, HEADER } from './scene.js';
import { NODE_WIDTH } from './layout.js';
import { readable } from '../journey/durations.js';
import { windowLabel } from '../journey/rules.js';
import { sendTimeLabel, waitSendTimeLabel, waitMode } from '../journey/sendTime.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) {
    if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, content, cls, max = 30) {
  const t = el('text', { x, y, class: cls }, parent);
  const s = String(content ?? '');
  t.textContent = s.length > max ? s.slice(0, max - 1) + '…' : s;
  if (s.length > max) el('title', {}, t).textContent = s;
  return t;
}

/** One line saying what a step does, as a reader of the canvas needs it. */
export function summaryOf(step) {
  const s = step.step;
  switch (step.type) {
    case 'action': return `${s.channel ?? '?'} · ${s.template || '(no template)'}${s.rules === false ? ' · no rules' : ''}`
      + (s.sendTime !== undefined ? ` · ${sendTimeLabel(s.sendTime)}` : '');
    case 'condition': return `${(s.choices ?? []).length} choice(s), else default`;
    case 'wait': switch (waitMode(s)) {
      case 'sendTime': return waitSendTimeLabel(s.sendTime);
      case 'until': return `until ${s.until ?? '?'}`;
      default: return `wait ${readable(s.duration) ?? s.duration ?? '?'}`;
    }
    case 'window': return windowLabel(s);
    case 'split': return (s.branches ?? []).map((b) => `${b?.percent ?? '?'}%`).join(' / ');
    case 'await': return `for ${readable(s.timeout) ?? s.timeout ?? '?'}`;
    case 'updateProfile': return `set ${Object.keys(s.set ?? {}).join(', ') || '(nothing)'}`;
    case 'jump': return `→ journey ${s.journey || '?'}`;
    case 'call': return `call ${s.action || '?'}`;
    case 'cap': return `first ${s.limit ?? '?'} profiles`;
    case 'experiment': return `goal ${s.goal || '?'}`;
    case 'end': return 'completes the journey';
    default: return `unknown type ${JSON.stringify(step.type)}`;
  }
}

/** What a test run or live count shows on a node, in this order. */
/** The smallest zoom at which a node's text reads well, for opening a journey. */
const READABLE = 0.6;

const COUNTS = [['reached', 'reached'], ['waiting', 'waiting'], ['held', 'held'], ['skipped', 'skipped'],
  ['exited', 'exited'], ['timedOut', 'timed out']];

export function createCanvas(container, handlers) {
  const svg = el('svg', { class: 'canvas', tabindex: 0 });
  const viewport = el('g', { class: 'viewport' }, svg);
  const minimap = el('svg', { class: 'minimap' });
  container.append(svg, minimap);
  const view = { x: 0, y: 0, k: 1 };
  let scene = null;
  let lastState = null;
  let dragPins = {}; // positions of a drag in progress, drawn before they are pinned

  const applyView = () => {
    viewport.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
    drawMinimap();
  };

  const toWorld = (clientX, clientY) => {
    const r = svg.getBoundingClientRect();
    return { x: (clientX - r.left - view.x) / view.k, y: (clientY - r.top - view.y) / view.k };
  };

  /**
   * Fits the whole journey in view; with `readable`, no smaller than text can be read, the entry at the left edge
   * (a long journey then opens at its start, and the minimap and panning show the rest).
   */
  function fit({ readable = false } = {}) {
    if (!scene) return;
    const r = svg.getBoundingClientRect();
    const b = scene.bounds;
    let k = Math.min(r.width / b.width, r.height / b.height, 1.25);
    k = k > 0 && Number.isFinite(k) ? k : 1;
    const clamped = readable && k < READABLE;
    view.k = clamped ? READABLE : k;
    view.x = clamped ? -b.x * view.k : (r.width - b.width * view.k) / 2 - b.x * view.k;
    view.y = (r.height - b.height * view.k) / 2 - b.y * view.k;
    applyView();
  }

  function zoom(factor, clientX, clientY) {
    const r = svg.getBoundingClientRect();
    const cx = clientX ?? r.left + r.width / 2;
    const cy = clientY ?? r.top + r.height / 2;
    const before = toWorld(cx, cy);
    view.k = Math.min(3, Math.max(0.15, view.k * factor));
    view.x = cx - r.left - before.x * view.k;
    view.y = cy - r.top - before.y * view.k;
    applyView();
  }

  function render(state) {
    lastState = state;
    viewport.replaceChildren();
    if (!state.graph) {
      scene = null;
      drawMinimap();
      return;
    }
    scene = sceneOf(state.graph, { ...handlers.pins(), ...dragPins });
    const problems = problemIndex(state.problems);
    // counts: of the test run when there is one, else live ones
    const test = state.test?.report ? state.test : state.live?.report ? state.live : null;
    const diff = state.live?.diff ?? null;
    const path = test?.path ?? null;
    const edgesLayer = el('g', { class: 'edges' }, viewport);
    const nodesLayer = el('g', { class: 'nodes' }, viewport);
    if (scene.entry) drawEntry(nodesLayer, scene.entry, state);
    for (const { edge, d } of scene.edges) {
      const count = test ? edgeCount(test.report, edge) : null;
      const classes = ['edge',
        problems.pointers.has(edge.pointer) ? 'problem' : '',
        test && !count ? 'untaken' : '',
        path && path.edges.has(`${edge.from}>${edge.to}`) ? 'on-path' : ''];
      const g = el('g', { class: classes.join(' ').trim(), 'data-from': edge.from, 'data-to': edge.to,
        'data-port': edge.port, 'data-pointer': edge.pointer }, edgesLayer);
      el('path', { d, class: 'edge-hit' }, g);
      const line = el('path', { d, class: 'edge-line', 'marker-end': 'url(#arrow)' }, g);
      if (test) {
        const length = line.getTotalLength?.() ?? 0;
        const mid = length ? line.getPointAtLength(length / 2) : { x: 0, y: 0 };
        const label = el('g', { class: 'edge-count', transform: `translate(${mid.x},${mid.y})` }, g);
        el('rect', { x: -14, y: -9, width: 28, height: 18, rx: 9 }, label);
        text(label, 0, 4, count ?? 0, 'edge-count-text').setAttribute('data-count', 'edge');
      }
    }
    for (const box of scene.boxes.values()) drawNode(nodesLayer, box, state, problems, test, path, diff);
    const defs = el('defs', {}, viewport);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }, marker);
    applyView();
  }

  function drawEntry(layer, entry, state) {
    const journey = state.value ?? {};
    const g = el('g', { class: 'entry' + (state.selection.step === null && state.selection.pointer === '/entry' ? ' selected' : ''),
      'data-entry': '', transform: `translate(${entry.x},${entry.y})` }, layer);
    el('rect', { width: entry.width, height: entry.height, rx: 28 }, g);
    const e = journey.entry ?? {};
    const on = e.type === 'audience' || e.type === 'qualification' ? `${e.type} ${e.audience ?? '?'}` : `event ${e.event ?? '?'}`;
    text(g, 14, 22, 'Entry', 'node-title');
    text(g, 14, 40, on, 'node-summary', 26);
    if (e.when) text(g, 14, 56, 'when ' + e.when, 'node-summary cel-text', 26);
    (state.graph.exits ?? []).slice(0, 4).forEach((x, i) => {
      const what = x.audienceExit ? `leaves ${x.audienceExit}` : `${x.event ?? '?'}${x.when ? ' if ' + x.when : ''}`;
      text(g, 14, 74 + 16 * i, '⤫ exit on ' + what, 'node-exit', 28);
    });
    if (entry.to) {
      const d = `M${entry.x + entry.width},${entry.y + entry.height / 2} C${entry.x + entry.width + 30},${entry.y + entry.height / 2} ${entry.to.x - 30},${entry.to.y} ${entry.to.x},${entry.to.y}`;
      el('path', { d, class: 'edge-line entry-line', 'marker-end': 'url(#arrow)' }, layer);
    }
    g.addEventListener('pointerdown', (event) => {
      event.stopPropagation();
      handlers.select(null, '/entry');
    });
  }

  function drawNode(layer, box, state, problems, test, path, diff) {
    const step = box.step;
    const counts = test?.report.steps?.[step.id] ?? null;
    const own = problems.byStep.get(step.id) ?? [];
    const classes = ['node', `type-${step.type}`,
      state.selection.step === step.id ? 'selected' : '',
      own.length ? 'problem' : '',
      test && !(counts?.reached > 0) ? 'untaken' : '',
      path && path.steps.has(step.id) ? 'on-path' : '',
      state.graph.start === step.id ? 'start' : '',
      diff?.changed.includes(step.id) ? 'changed' : '', diff?.added.includes(step.id) ? 'added' : ''];
    const g = el('g', { class: classes.join(' ').replace(/\s+/g, ' ').trim(), 'data-step-id': step.id,
      transform: `translate(${box.x},${box.y})` }, layer);
    el('rect', { class: 'node-box', width: NODE_WIDTH, height: box.height, rx: step.type === 'end' ? 24 : 8 }, g);
    if (step.type !== 'end') el('rect', { class: 'node-bar', x: 0, y: 8, width: 4, height: box.height - 16, rx: 2 }, g);
    el('circle', { class: 'node-in', cx: 0, cy: box.height / 2, r: 4 }, g);
    text(g, 12, 20, step.id, 'node-title', 24);
    text(g, NODE_WIDTH - 10, 20, step.type, 'node-type', 14).setAttribute('text-anchor', 'end');
    text(g, 12, 38, step.step.name ?? summaryOf(step), 'node-summary', 30);
    if (own.length) {
      const badge = el('g', { class: 'problem-badge', transform: `translate(${NODE_WIDTH - 4},-6)` }, g);
      el('circle', { r: 9 }, badge);
      text(badge, 0, 4, own.length, '').setAttribute('text-anchor', 'middle');
      el('title', {}, badge).textContent = own.map((p) => `${p.code} ${p.pointer}: ${p.message}`).join('\n');
    }
    if (test) {
      const line = el('text', { x: 12, y: 53, class: 'node-counts' }, g);
      for (const [key, label] of COUNTS) {
        const value = counts?.[key] ?? 0;
        if (key !== 'reached' && !value) continue;
        const span = el('tspan', { 'data-count': key }, line);
        span.textContent = `${label} ${value}  `;
      }
      const errors = Object.entries(counts?.errors ?? {});
      if (errors.length) el('tspan', { 'data-count': 'errors', class: 'node-errors' }, line).textContent = errors.map(([c, n]) => `${c} ${n}`).join(' ');
      // what delivery rules did at the step (report.json's per-step `rules`: RUL-001 skipped, RUL-006 held, ...)
      const rules = Object.entries(counts?.rules ?? {}).filter(([, n]) => n > 0);
      if (rules.length) el('tspan', { 'data-count': 'rules', class: 'node-errors' }, line).textContent = rules.map(([c, n]) => `${c} ${n}`).join(' ');
    }
    step.ports.forEach((port, i) => {
      const o = portOffset(i);
      const known = port.target && state.graph.steps.some((s) => s.id === port.target);
      const cls = ['port', port.target ? (known ? 'connected' : 'dangling') : 'open',
        problems.pointers.has(port.pointer) ? 'problem' : ''].join(' ').trim();
      const p = el('g', { class: cls, 'data-port': port.name, 'data-pointer': port.pointer }, g);
      text(p, o.x - 12, o.y + 4, port.label, 'port-label', 22).setAttribute('text-anchor', 'end');
      el('circle', { cx: o.x, cy: o.y, r: 6 }, p);
      el('title', {}, p).textContent = `${port.name} → ${port.target ?? '(not connected: drag to a step)'}`;
      p.addEventListener('pointerdown', (event) => startConnect(event, step.id, port, { x: box.x + o.x, y: box.y + o.y }));
    });
    g.addEventListener('pointerdown', (event) => startMove(event, step.id, box));
    g.addEventListener('dblclick', () => handlers.focusProperties?.());
  }

  // ---- gestures: window-level listeners, since a drag redraws the elements under the pointer ----

  function drag(event, onMove, onUp) {
    event.preventDefault(); // no text selection while dragging; so also no focus change: do it by hand
    event.stopPropagation();
    // leaving a field commits it; the canvas then takes the keys (Delete, Ctrl+C, Ctrl+V, Ctrl+Z)
    if (document.activeElement !== svg) {
      document.activeElement?.blur?.();
      svg.focus({ preventScroll: true });
    }
    const start = { x: event.clientX, y: event.clientY };
    let moved = false;
    const move = (e) => {
      if (!moved && Math.hypot(e.clientX - start.x, e.clientY - start.y) < 4) return;
      moved = true;
      onMove(e);
    };
    const up = (e) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      onUp(e, moved);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  function startMove(event, id, box) {
    if (event.button !== 0) return;
    const origin = toWorld(event.clientX, event.clientY);
    drag(event, (e) => {
      const p = toWorld(e.clientX, e.clientY);
      dragPins = { [id]: { x: box.x + p.x - origin.x, y: box.y + p.y - origin.y } };
      render(lastState);
    }, (e, moved) => {
      const pin = dragPins[id];
      dragPins = {};
      if (moved && pin) handlers.move(id, pin.x, pin.y);
      else handlers.select(id);
    });
  }

  function startConnect(event, id, port, from) {
    if (event.button !== 0) return;
    let ghost = null;
    drag(event, (e) => {
      const p = toWorld(e.clientX, e.clientY);
      ghost ??= el('path', { class: 'edge-ghost' }, viewport);
      ghost.setAttribute('d', `M${from.x},${from.y} C${from.x + 60},${from.y} ${p.x - 60},${p.y} ${p.x},${p.y}`);
    }, (e, moved) => {
      ghost?.remove();
      if (!moved) {
        handlers.select(id, port.pointer);
        return;
      }
      const target = document.elementFromPoint(e.clientX, e.clientY)?.closest?.('[data-step-id]');
      if (target) handlers.connect(port.pointer, target.getAttribute('data-step-id'));
    });
  }

  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    const origin = { x: event.clientX - view.x, y: event.clientY - view.y };
    drag(event, (e) => {
      view.x = e.clientX - origin.x;
      view.y = e.clientY - origin.y;
      applyView();
    }, (e, moved) => {
      if (!moved) handlers.select(null);
    });
  });
  svg.addEventListener('wheel', (event) => {
    event.preventDefault();
    zoom(Math.exp(-event.deltaY * 0.0015), event.clientX, event.clientY);
  }, { passive: false });

  /** Where a palette item dropped at a point of the screen goes: onto an edge, or a free place. */
  function dropAt(clientX, clientY) {
    const r = svg.getBoundingClientRect();
    if (clientX < r.left || clientX > r.right || clientY < r.top || clientY > r.bottom) return null;
    const under = document.elementsFromPoint(clientX, clientY);
    const edge = under.map((n) => n.closest?.('.edge')).find(Boolean);
    const p = toWorld(clientX, clientY);
    return {
      x: p.x - NODE_WIDTH / 2, y: p.y - HEADER / 2,
      edge: edge ? { from: edge.getAttribute('data-from'), to: edge.getAttribute('data-to'),
        pointer: edge.getAttribute('data-pointer') } : null,
    };
  }

  function drawMinimap() {
    minimap.replaceChildren();
    if (!scene) return;
    const b = scene.bounds;
    minimap.setAttribute('viewBox', `${b.x} ${b.y} ${b.width} ${b.height}`);
    for (const box of scene.boxes.values()) {
      el('rect', { x: box.x, y: box.y, width: NODE_WIDTH, height: box.height, rx: 8,
        class: 'mini-node' + (lastState?.selection.step === box.id ? ' selected' : '') }, minimap);
    }
    const r = svg.getBoundingClientRect();
    el('rect', { class: 'mini-view', x: -view.x / view.k, y: -view.y / view.k, width: r.width / view.k,
      height: r.height / view.k }, minimap);
  }

  minimap.addEventListener('pointerdown', (event) => {
    // centre the canvas on the point of the minimap clicked
    const pt = minimap.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    const world = pt.matrixTransform(minimap.getScreenCTM().inverse());
    const r = svg.getBoundingClientRect();
    view.x = r.width / 2 - world.x * view.k;
    view.y = r.height / 2 - world.y * view.k;
    applyView();
  });

  /** Brings a step into view (when a problem or the properties pane selects it). */
  function reveal(id) {
    const box = scene?.boxes.get(id);
    if (!box) return;
    const r = svg.getBoundingClientRect();
    const sx = box.x * view.k + view.x;
    const sy = box.y * view.k + view.y;
    if (sx < 0 || sy < 0 || sx + NODE_WIDTH * view.k > r.width || sy + box.height * view.k > r.height) {
      view.x = r.width / 2 - (box.x + NODE_WIDTH / 2) * view.k;
      view.y = r.height / 2 - (box.y + box.height / 2) * view.k;
      applyView();
    }
  }

  return { render, fit, zoom, dropAt, reveal, view, element: svg, sceneBoxes: () => scene?.boxes ?? new Map() };
}

/** The problems by step (a pointer under /steps/<id>) and the set of their pointers, for the marks. */
function problemIndex(problems) {
  const byStep = new Map();
  const pointers = new Set();
  for (const p of problems ?? []) {
    pointers.add(p.pointer);
    const match = /^\/steps\/([^/]+)/.exec(p.pointer ?? '');
    if (match) {
      const id = match[1].replace(/~1/g, '/').replace(/~0/g, '~');
      if (!byStep.has(id)) byStep.set(id, []);
      byStep.get(id).push(p);
    }
  }
  return { byStep, pointers };
}

/** A report's count of an edge: of its port (report.json's `branch`), else of all from-to edges. */
export function edgeCount(report, edge) {
  return (report.edges ?? []).filter((e) => e.from === edge.from && e.to === edge.to && (e.branch === undefined || e.branch === edge.port))
    .reduce((n, e) => n + e.count, 0);
}
