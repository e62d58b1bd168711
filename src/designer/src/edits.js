// What the author's gestures do to the document: each operation takes the text and returns the new text,
// through the surgical edits of json/edit.js, so that only the lines it touches change.

import { parse, valueOf, joinPointer, splitPointer } from './json/parse.js';
import { setValue, remove, appendItem, renameKey, addMember, setValues, render } from './json/edit.js';
import { graphOf, newStep, freshId, portsOf } from './journey/graph.js';
import { canOptimize, channelFields, waitModeFields, NEW_ACTION_WITHIN } from './journey/sendTime.js';

const stepPointer = (id) => joinPointer(['steps', id]);

/** Sets a value, or removes it when the value is undefined (an optional field emptied). */
export function set(text, pointer, value) {
  return value === undefined ? remove(text, pointer) : setValue(text, pointer, value);
}

/** Sets and removes several fields of one object, as one edit. */
export function replaceFields(text, objectPointer, fields) {
  for (const [key, value] of Object.entries(fields)) text = set(text, objectPointer + joinPointer([key]), value);
  return text;
}

/** Send at the best time on an action: on adds a sendTime of PT24H (optimize opens, the default), off removes it. */
export function setActionSendTime(text, id, on) {
  return set(text, stepPointer(id) + '/sendTime', on ? { within: NEW_ACTION_WITHIN } : undefined);
}

/**
 * An action's channel, and what its sendTime then needs: none on a channel other than email and push, no clicks
 * on push. One edit.
 */
export function setActionChannel(text, id, channel) {
  const step = valueOf(parse(text)).steps?.[id];
  text = set(text, stepPointer(id) + '/channel', channel);
  const sendTime = step?.sendTime;
  if (sendTime === undefined) return text;
  if (!canOptimize(channel)) return set(text, stepPointer(id) + '/sendTime', undefined);
  return sendTime && typeof sendTime === 'object' ? replaceFields(text, stepPointer(id) + '/sendTime', channelFields(sendTime, channel)) : text;
}

/** A wait's mode, duration, until or sendTime: the chosen field (kept when there, else a default), the others removed. */
export function setWaitMode(text, id, mode) {
  const step = valueOf(parse(text)).steps?.[id];
  return replaceFields(text, stepPointer(id), waitModeFields(step, mode));
}

/** What a sendTime makes likely: opens is the default, so it goes; clicks is written. */
export function setOptimize(text, sendTimePointer, optimize) {
  return set(text, sendTimePointer + '/optimize', optimize === 'clicks' ? 'clicks' : undefined);
}

/** A wait's sendTime channel: email is the default, so it goes; push is written, and drops clicks. */
export function setSendTimeChannel(text, sendTimePointer, channel) {
  const sendTime = splitPointer(sendTimePointer).reduce((v, token) => v?.[token], valueOf(parse(text)));
  text = set(text, sendTimePointer + '/channel', channel === 'email' ? undefined : channel);
  return replaceFields(text, sendTimePointer, channelFields(sendTime, channel));
}

/**
 * Renames a step and every reference to it: the targets of every port, an await's `to`, and the start. The
 * references change first (values), the key last, each in place.
 */
export function renameStep(text, from, to) {
  const journey = valueOf(parse(text));
  if (journey.steps?.[to] !== undefined) throw new Error(`There is already a step "${to}"`);
  const changes = [];
  for (const step of graphOf(journey).steps) {
    for (const port of step.ports) if (port.target === from) changes.push({ pointer: port.pointer, value: to });
    if (step.type === 'await' && Array.isArray(step.step.events)) {
      step.step.events.forEach((e, i) => {
        if (e?.to === from) changes.push({ pointer: stepPointer(step.id) + `/events/${i}/to`, value: to });
      });
    }
  }
  if (journey.start === from) changes.push({ pointer: '/start', value: to });
  return renameKey(setValues(text, changes), stepPointer(from), to);
}

/** Removes a step; references to it stay, and show as problems for the author to reconnect. */
export function deleteStep(text, id) {
  return remove(text, stepPointer(id));
}

/**
 * Adds a step of a type; on an edge, in that edge: the edge's port goes to the new step, whose first port goes
 * where the edge went. The first step of an empty journey becomes its start. Returns {text, id}.
 */
export function addStep(text, type, edge = null) {
  const journey = valueOf(parse(text));
  const ids = Object.keys(journey.steps ?? {});
  const id = freshId(type === 'end' ? 'end' : type, ids);
  const step = newStep(type);
  if (edge) {
    const first = portsOf(id, step)[0];
    if (first) {
      // the new step's first port: a list item's next, or a plain next/default
      const tokens = first.pointer.split('/').slice(3);
      let target = step;
      for (let i = 0; i < tokens.length - 1; i++) target = target[tokens[i]];
      target[tokens.at(-1)] = edge.to;
    }
  }
  text = journey.steps && typeof journey.steps === 'object' ? addMember(text, '/steps', id, step) : setValue(text, '/steps', { [id]: step });
  if (edge) text = setValue(text, edge.pointer, id);
  if (ids.length === 0) text = setValue(text, '/start', id);
  return { text, id };
}

/** Pastes a copied step under a fresh id (id-copy, id-copy-2 ...); its targets stay as they were. */
export function pasteStep(text, copied) {
  const journey = valueOf(parse(text));
  const id = freshId(`${copied.id}-copy`, Object.keys(journey.steps ?? {}));
  return { text: addMember(text, '/steps', id, copied.value), id };
}

/** A new journey, with nothing but what the engine needs to read it (its problems then guide the author). */
export function emptyJourney(id) {
  return `{
  "id": ${JSON.stringify(id)},
  "version": 1,
  "entry": {"type": "event", "event": ""},
  "start": "",
  "steps": {}
}
`;
}

/** A new rule set with one frequency cap, for the author to change (DESIGN §9.3). */
export function emptyRuleSet(id) {
  return `{
  "kind": "rules",
  "id": ${JSON.stringify(id)},
  "version": 1,
  "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day"}]
}
`;
}

/** The journey with its version one higher. */
export function bumpVersion(text) {
  const version = valueOf(parse(text)).version;
  const next = Number.isInteger(version) ? version + 1 : 1;
  return { text: setValue(text, '/version', next), version: next };
}

/** A file name for a new version: journey.json → journey-v2.json, journey-v2.json → journey-v3.json. */
export function versionFileName(file, version, taken) {
  const base = file.replace(/\.json$/, '').replace(/-v\d+$/, '');
  let name = `${base}-v${version}.json`;
  for (let n = 2; taken.includes(name); n++) name = `${base}-v${version}-${n}.json`;
  return name;
}

export { appendItem, renameKey, render };
