// Delivery rules on the page (DESIGN §9.3): the days of a window step or of quiet hours (1 Monday .. 7 Sunday, all
// when absent), how a weekly period reads on the canvas, and which of the folder's rule sets a test run needs.

export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The days a period is open on: its `days`, or every day when it names none (the engine's default). */
export function daysOf(days) {
  return Array.isArray(days) ? days : [1, 2, 3, 4, 5, 6, 7];
}

/**
 * The `days` value after ticking or unticking one day: sorted, each once; absent (undefined) when every day is
 * ticked, as the engine reads a missing `days`. An empty list stays, for the validator to say it is empty.
 */
export function withDay(days, day, on) {
  const set = new Set(daysOf(days).filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (on) set.add(day); else set.delete(day);
  const sorted = [...set].sort((a, b) => a - b);
  return sorted.length === 7 ? undefined : sorted;
}

/** "Mon–Fri", "Mon, Wed, Sat", "every day": runs of three days or more as a range. */
export function daysLabel(days) {
  const list = [...new Set(daysOf(days))].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (list.length === 7) return 'every day';
  if (list.length === 0) return 'no day';
  const parts = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    const name = (d) => DAYS[d - 1];
    if (j - i >= 2) parts.push(`${name(list[i])}–${name(list[j])}`);
    else for (let k = i; k <= j; k++) parts.push(name(list[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** How a window step reads on its node: "Mon–Fri 09:00–17:00", then its zone when it is not the profile's. */
export function windowLabel(step) {
  const zone = step?.timeZone && step.timeZone !== 'profile' ? ` ${step.timeZone}` : '';
  return `${daysLabel(step?.days)} ${step?.from ?? '?'}–${step?.to ?? '?'}${zone}`;
}

/**
 * The documents a test run sends (each {kind, id, value}): every journey and action, and of the rule sets only
 * those the journeys name, so that a draft rule set with problems elsewhere in the folder does not stop the run.
 */
export function documentsToRun(documents) {
  const named = new Set(documents.filter((d) => (d.kind ?? 'journey') === 'journey' && typeof d.value?.rules === 'string')
    .map((d) => d.value.rules));
  return documents.filter((d) => d.kind !== 'rules' || named.has(d.id));
}

const list = (value) => (Array.isArray(value) ? value : []);
const channels = (value) => (Array.isArray(value) && value.length ? value.join('/') : '?');

/** One line per rule of a rule set, as a reader needs it (the canvas's note on a rule set). */
export function rulesSummary(rules) {
  const lines = [];
  for (const f of list(rules?.frequency)) {
    lines.push(`${f?.id ?? '?'}: at most ${f?.max ?? '?'} ${channels(f?.channels)} per ${f?.per ?? '?'} (${f?.timeZone ?? 'profile'})`);
  }
  for (const q of list(rules?.quietHours)) {
    const then = q?.then === 'discard' ? 'discarded' : `held (at most ${q?.maxHold ?? 'P7D'})`;
    lines.push(`${q?.id ?? '?'}: no ${channels(q?.channels)} ${daysLabel(q?.days)} ${q?.from ?? '?'}–${q?.to ?? '?'} (${q?.timeZone ?? 'profile'}), ${then}`);
  }
  const e = rules?.entries;
  if (e && typeof e === 'object') {
    if (e.max !== undefined) lines.push(`entries: at most ${e.max} per ${e.per ?? '?'} (${e.timeZone ?? 'profile'})`);
    if (e.maxConcurrent !== undefined) lines.push(`entries: at most ${e.maxConcurrent} live at once`);
  }
  return lines;
}
