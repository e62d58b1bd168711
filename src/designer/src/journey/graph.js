// The journey's graph as the canvas draws it, read from the document's value: each step with its ports, named
// as the engine's Step.ports() names them (next, choices/0, default, branches/1, arms/0, events/0, onTimeout,
// onError, overflow), each port with the JSON pointer of the field that holds its target.

import { joinPointer } from '../json/parse.js';

export const STEP_TYPES = ['action', 'condition', 'wait', 'window', 'split', 'await', 'updateProfile', 'jump', 'call',
  'cap', 'experiment', 'end'];

/** Types whose steps may name an onError step (README, Steps). */
const ON_ERROR = new Set(['action', 'condition', 'wait', 'await', 'call', 'updateProfile']);

/** The list field of a type whose items each have a next: [field, how to label an item]. */
const LISTS = {
  condition: ['choices', (item) => item?.when ?? 'when ?'],
  split: ['branches', (item) => `${item?.percent ?? '?'}%`],
  experiment: ['arms', (item) => `${item?.id ?? 'arm'} ${item?.percent ?? '?'}%${item?.control ? ' (control)' : ''}`],
  await: ['events', (item) => item?.event ?? 'event ?'],
};

/**
 * The ports of a step in the engine's order. A required port is listed even when its field is missing (target
 * null), so that it shows as an open port to connect; an optional one (onError, a call's onTimeout) only when set.
 */
export function portsOf(id, step) {
  const ports = [];
  const base = ['steps', id];
  const add = (name, tokens, target, label, required) => {
    if (required || (typeof target === 'string' && target !== '')) {
      ports.push({ name, pointer: joinPointer([...base, ...tokens]), target: typeof target === 'string' ? target : null,
        label: label ?? name });
    }
  };
  const type = step?.type;
  const list = LISTS[type];
  if (list) {
    const [field, label] = list;
    const items = Array.isArray(step[field]) ? step[field] : [];
    items.forEach((item, i) => add(`${field}/${i}`, [field, i, 'next'], item?.next, label(item), true));
  }
  if (type === 'condition') add('default', ['default'], step.default, 'default', true);
  if (['action', 'wait', 'window', 'updateProfile', 'jump', 'call', 'cap'].includes(type)) {
    add('next', ['next'], step.next, 'next', true);
  }
  if (type === 'cap') add('overflow', ['overflow'], step.overflow, 'overflow', true);
  if (type === 'await') add('onTimeout', ['onTimeout'], step.onTimeout, 'on timeout', true);
  if (type === 'call') add('onTimeout', ['onTimeout'], step.onTimeout, 'on timeout', false);
  if (ON_ERROR.has(type)) add('onError', ['onError'], step.onError, 'on error', false);
  return ports;
}

/** The list field whose items are ports (choices, branches, arms, events), or null. */
export function listFieldOf(type) {
  return LISTS[type]?.[0] ?? null;
}

export function canHaveOnError(type) {
  return ON_ERROR.has(type);
}

/**
 * {start, steps: [{id, type, step, ports}], edges: [{from, to, port, pointer}], entry, exits} of a journey
 * value; steps in the document's order with the start first (the layout's search begins there).
 */
export function graphOf(journey) {
  const stepsValue = journey && typeof journey.steps === 'object' && !Array.isArray(journey.steps) ? journey.steps : {};
  const ids = Object.keys(stepsValue);
  const start = typeof journey?.start === 'string' ? journey.start : null;
  const ordered = start && ids.includes(start) ? [start, ...ids.filter((id) => id !== start)] : ids;
  const steps = ordered.map((id) => {
    const step = stepsValue[id];
    return { id, type: step?.type ?? '?', step: step ?? {}, ports: portsOf(id, step ?? {}) };
  });
  const known = new Set(ids);
  const edges = [];
  for (const step of steps) {
    for (const port of step.ports) {
      if (port.target && known.has(port.target)) {
        edges.push({ from: step.id, to: port.target, port: port.name, pointer: port.pointer });
      }
    }
  }
  return { start, steps, edges, entry: journey?.entry ?? null, exits: Array.isArray(journey?.exit) ? journey.exit : [] };
}

/** The step a JSON pointer is inside (/steps/<id>/...), or null. */
export function stepOfPointer(pointer) {
  const match = /^\/steps\/([^/]+)/.exec(pointer ?? '');
  return match ? match[1].replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/** A new step of a type, with the fields it needs (targets left empty for the author to connect). */
/**
 * A new step of a type with the fields it needs but its targets, which show as open ports for the author to
 * connect (and as problems until then).
 */
export function newStep(type) {
  switch (type) {
    case 'action': return { type, channel: 'email', template: '' };
    case 'condition': return { type, choices: [{ when: 'true' }] };
    case 'wait': return { type, duration: 'P1D' };
    case 'window': return { type, from: '09:00', to: '17:00' };
    case 'split': return { type, branches: [{ percent: 50 }, { percent: 50 }] };
    case 'await': return { type, events: [{ event: '' }], timeout: 'P1D' };
    case 'updateProfile': return { type, set: {} };
    case 'jump': return { type, journey: '' };
    case 'call': return { type, action: '', params: {} };
    case 'cap': return { type, limit: 100 };
    case 'experiment': return { type, goal: '', arms: [{ id: 'a', percent: 50 }, { id: 'b', percent: 50 }] };
    default: return { type: 'end' };
  }
}

/** An id not among the taken ones: base, else base-2, base-3 ... */
export function freshId(base, taken) {
  const set = taken instanceof Set ? taken : new Set(taken);
  if (!set.has(base)) return base;
  for (let n = 2; ; n++) {
    if (!set.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}
