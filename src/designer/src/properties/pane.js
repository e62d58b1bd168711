// The properties pane: a form per step type (README, Steps), or the journey's own fields when no step is
// selected. Every control edits one value of the text through `edit`; the problems whose pointers fall on a
// control are shown under it.

import { h, field, textInput, numberInput, checkbox, select, stepPicker, durationInput, celInput, expressionMap } from './controls.js';
import { canHaveOnError, STEP_TYPES } from '../journey/graph.js';
import { joinPointer } from '../json/parse.js';
import { DAYS, daysOf, withDay } from '../journey/rules.js';
import { canOptimize, hasClicks, waitMode, WITHIN_HINT, OPTIMIZE, SEND_TIME_CHANNELS } from '../journey/sendTime.js';

const CHANNELS = ['email', 'push', 'sms', 'inApp', 'custom'].map((c) => [c, c]);
const STATUSES = ['live', 'closed', 'stopped'].map((s) => [s, s]);
const PERIODS = ['day', 'week', 'month'].map((p) => [p, p]);

/** Checkboxes Mon..Sun of a `days` list (1 Monday .. 7 Sunday, all when absent). */
function daysInput(days, pointer, onCommit) {
  const on = new Set(daysOf(days));
  return h('div', { class: 'days', dataset: { pointer } }, DAYS.map((name, i) => {
    const box = h('input', { type: 'checkbox', dataset: { day: String(i + 1) } });
    box.checked = on.has(i + 1);
    box.addEventListener('change', () => onCommit(withDay(days, i + 1, box.checked)));
    return h('label', {}, box, name);
  }));
}

/** Checkboxes of the channels a rule counts or holds. */
function channelsInput(value, pointer, onCommit) {
  const on = new Set(Array.isArray(value) ? value : []);
  return h('div', { class: 'days', dataset: { pointer } }, CHANNELS.map(([channel]) => {
    const box = h('input', { type: 'checkbox', dataset: { channel } });
    box.checked = on.has(channel);
    box.addEventListener('change', () => {
      const next = new Set(on);
      if (box.checked) next.add(channel); else next.delete(channel);
      onCommit(CHANNELS.map(([c]) => c).filter((c) => next.has(c)));
    });
    return h('label', {}, box, channel);
  }));
}

/**
 * A `timeZone` that is "profile" (the default: the profile's zone, else a fallback) or a zone id: a choice of
 * the two, and the zone when it is one.
 */
function zoneChoice(value, pointer, edit, fallback, what = "the profile's") {
  const fixed = value !== undefined && value !== 'profile';
  return h('div', { class: 'field', dataset: { field: pointer } },
    h('label', {}, 'time zone'),
    select(fixed ? 'zone' : 'profile', [['profile', `${what} (profile)`], ['zone', 'a zone id']], pointer + '#mode',
      (mode) => edit.set(pointer, mode === 'zone' ? (fallback || 'UTC') : undefined)),
    fixed ? textInput(value, pointer, (v) => edit.set(pointer, v || undefined), 'Europe/Paris') : null);
}

/**
 * A sendTime's optimize and within (and a wait's channel): optimize opens is the default (not written), clicks is
 * there for email only. `channel` is the channel whose engagement decides.
 */
function sendTimeFields(sendTime, pointer, edit, channel, { withChannel = false } = {}) {
  const st = sendTime && typeof sendTime === 'object' ? sendTime : {};
  const optimize = select(st.optimize ?? 'opens', OPTIMIZE.map((o) => [o, o]), pointer + '/optimize',
    (v) => edit.setOptimize(pointer, v));
  const clicks = optimize.querySelector('option[value="clicks"]');
  if (clicks && !hasClicks(channel)) {
    clicks.disabled = true;
    clicks.textContent = 'clicks (email only)';
  }
  return h('fieldset', { class: 'list send-time', dataset: { field: pointer } }, h('legend', {}, 'best send time'),
    withChannel ? field('channel', select(st.channel ?? 'email', SEND_TIME_CHANNELS.map((c) => [c, c]), pointer + '/channel',
      (v) => edit.setSendTimeChannel(pointer, v)), pointer + '/channel', 'whose engagement decides') : null,
    h('div', { class: 'row' },
      field('optimize', optimize, pointer + '/optimize'),
      field('within', durationInput(st.within, pointer + '/within', (v) => edit.set(pointer + '/within', v)), pointer + '/within')),
    h('div', { class: 'hint' }, WITHIN_HINT));
}

/** A list of objects under `pointer` (the array, or anything else when it is not one), an item each with a remove button, and "+ add". */
function listBox(edit, pointer, label, value, newItem, renderItem) {
  const items = Array.isArray(value) ? value : [];
  const box = h('fieldset', { class: 'list', dataset: { field: pointer } }, h('legend', {}, label));
  items.forEach((item, i) => {
    const p = (...tokens) => pointer + joinPointer([i, ...tokens]);
    box.append(h('div', { class: 'list-item', dataset: { field: p() } },
      h('div', { class: 'list-index' }, `${pointer.slice(1)}/${i}`,
        h('button', { type: 'button', class: 'remove', title: 'Remove', onclick: () => edit.remove(p()) }, '×')),
      renderItem(item && typeof item === 'object' ? item : {}, p)));
  });
  box.append(h('button', { type: 'button', class: 'add', dataset: { add: pointer }, onclick: () => (Array.isArray(value)
    ? edit.append(pointer, newItem(items)) : edit.set(pointer, [newItem(items)])) }, '+ add'));
  return box;
}

export function createPropertiesPane(container, edit, context) {

  function render(state, reason) {
    // new problems while the author is in a control: mark them without rebuilding the form under their fingers
    if (reason === 'problems' && container.contains(document.activeElement) && container.firstChild) {
      container.querySelectorAll('.field-problem').forEach((n) => n.remove());
      container.querySelectorAll('.invalid').forEach((n) => n.classList.remove('invalid'));
      markProblems(state.problems);
      return;
    }
    // a redraw after an edit keeps the author in the control they were in
    const active = container.contains(document.activeElement) ? document.activeElement.dataset?.pointer : null;
    container.replaceChildren();
    if (!state.value || typeof state.value !== 'object') {
      container.append(h('p', { class: 'empty' }, 'Open a journey from the list.'));
      return;
    }
    if (state.value.kind === 'action') {
      container.append(h('h2', {}, 'Action definition'), h('p', { class: 'empty' }, 'Edit an action definition in the JSON view.'));
      return;
    }
    if (state.value.kind === 'rules') {
      container.append(rulesForm(state));
      markProblems(state.problems);
      if (active) container.querySelector(`[data-pointer="${CSS.escape(active)}"]`)?.focus();
      return;
    }
    const id = state.selection.step;
    const step = id !== null ? state.value.steps?.[id] : undefined;
    const form = step && typeof step === 'object' ? stepForm(state, id, step) : journeyForm(state);
    container.append(form);
    markProblems(state.problems);
    if (active) container.querySelector(`[data-pointer="${CSS.escape(active)}"]`)?.focus();
  }

  /** Each problem under the control of its pointer, or of the nearest pointer above it that has one. */
  function markProblems(problems) {
    for (const p of problems) {
      let pointer = p.pointer ?? '';
      // a control may own a code at its step's own pointer (a wait's mode, JRN-017)
      let target = container.querySelector(`[data-owns="${CSS.escape(`${p.code} ${pointer}`)}"]`);
      while (pointer !== '' && !target) {
        target = container.querySelector(`[data-field="${CSS.escape(pointer)}"]`);
        pointer = pointer.replace(/\/[^/]*$/, '');
      }
      if (!target) continue;
      target.classList.add('invalid');
      target.querySelectorAll(`[data-pointer="${CSS.escape(p.pointer)}"]`).forEach((c) => c.classList.add('invalid'));
      target.append(h('div', { class: 'field-problem', dataset: { problemField: p.code } }, `${p.code}: ${p.message}`));
    }
  }

  function stepForm(state, id, step) {
    const base = joinPointer(['steps', id]);
    const at = (...tokens) => base + joinPointer(tokens);
    const ids = Object.keys(state.value.steps ?? {});
    const hints = context.hints();
    const set = (pointer) => (value) => edit.set(pointer, value);
    const target = (name, label = name) => field(label, stepPicker(step[name], ids, at(name), set(at(name))), at(name));
    const form = h('form', { class: 'properties step-form', dataset: { stepForm: id }, onsubmit: (e) => e.preventDefault() },
      h('h2', {}, h('span', { class: `type-chip type-${step.type}` }, step.type ?? '?'), ' ', id),
      field('id', textInput(id, base + '#id', (newId) => newId && newId !== id && edit.renameStep(id, newId)), base + '#id',
        'renaming updates every reference to it'),
      field('type', select(step.type, STEP_TYPES.map((t) => [t, t]), at('type'), set(at('type'))), at('type')),
      field('name', textInput(step.name, at('name'), (v) => edit.set(at('name'), v || undefined)), at('name')),
      field('description', textInput(step.description, at('description'), (v) => edit.set(at('description'), v || undefined)), at('description')));

    const list = (fieldName, label, newItem, renderItem, sumOfPercents) => {
      const items = Array.isArray(step[fieldName]) ? step[fieldName] : [];
      const box = h('fieldset', { class: 'list', dataset: { field: at(fieldName) } }, h('legend', {}, label));
      items.forEach((item, i) => {
        const p = (...tokens) => at(fieldName, i, ...tokens);
        box.append(h('div', { class: 'list-item', dataset: { field: at(fieldName, i) } },
          h('div', { class: 'list-index' }, `${fieldName}/${i}`,
            h('button', { type: 'button', class: 'remove', title: 'Remove', onclick: () => edit.remove(at(fieldName, i)) }, '×')),
          renderItem(item ?? {}, p)));
      });
      if (sumOfPercents) {
        const sum = items.reduce((s, item) => s + (Number(item?.percent) || 0), 0);
        const ok = Math.abs(sum - 100) < 1e-9;
        box.append(h('div', { class: 'percent-sum' + (ok ? '' : ' bad'), dataset: { percentSum: String(Math.round(sum * 100) / 100) } },
          ok ? 'percents sum to 100' : `percents sum to ${Math.round(sum * 100) / 100}, not 100`));
      }
      box.append(h('button', { type: 'button', class: 'add', onclick: () => edit.append(at(fieldName), newItem(items)) }, '+ add'));
      return box;
    };
    const percent = (item, p) => field('percent', numberInput(item.percent, p('percent'), set(p('percent')), { min: 0, max: 100 }), p('percent'));
    const next = (item, p) => field('next', stepPicker(item.next, ids, p('next'), set(p('next'))), p('next'));

    switch (step.type) {
      case 'action': {
        // on channel custom, the template names a published action definition: pick one of the folder's
        const actions = context.documents().filter((d) => d.kind === 'action' && d.id).map((d) => [d.id, `${d.id} (${d.file})`]);
        form.append(
          field('channel', select(step.channel, CHANNELS, at('channel'), (v) => edit.setActionChannel(id, v)), at('channel')),
          step.channel === 'custom'
            ? field('template (an action definition)', select(step.template, [...new Map(actions)], at('template'), set(at('template')), { empty: '(pick an action)' }), at('template'))
            : field('template', textInput(step.template, at('template'), set(at('template'))), at('template')),
          field('params', expressionMap(step.params, at('params'), edit, hints), at('params')),
          field('subject to delivery rules', checkbox(step.rules !== false, at('rules'), (on) => edit.set(at('rules'), on ? undefined : false)), at('rules'),
            state.value.rules ? `off: transactional, exempt from ${state.value.rules}'s rules and not counted by them` : 'the journey names no rule set: no rule applies'),
          // on email and push (or when a sendTime is there anyway, so that its problem shows and it can go)
          canOptimize(step.channel) || step.sendTime !== undefined
            ? field('send at the best time', checkbox(step.sendTime !== undefined, at('sendTime'), (on) => edit.setActionSendTime(id, on)), at('sendTime'),
              'the profile\'s most engaging hour within a window (its own engagement blended with everyone\'s)')
            : null,
          step.sendTime !== undefined ? sendTimeFields(step.sendTime, at('sendTime'), edit, step.channel) : null,
          target('next'));
        break;
      }
      case 'window':
        form.append(
          field('days', daysInput(step.days, at('days'), set(at('days'))), at('days'), 'all ticked: every day'),
          h('div', { class: 'row' },
            field('from', textInput(step.from, at('from'), set(at('from')), 'HH:MM'), at('from')),
            field('to', textInput(step.to, at('to'), set(at('to')), 'HH:MM'), at('to'))),
          h('div', { class: 'hint' }, 'goes on at once inside the period (to excluded; to at or before from: past midnight), else waits for its next opening'),
          zoneChoice(step.timeZone, at('timeZone'), edit, state.value.timeZone, "the profile's, else the journey's"),
          target('next'));
        break;
      case 'condition':
        form.append(list('choices', 'choices (the first that holds wins)', () => ({ when: 'true' }), (item, p) => h('div', {},
          field('when', celInput(item.when, p('when'), set(p('when')), hints), p('when')), next(item, p))),
        target('default'));
        break;
      case 'wait': {
        const mode = waitMode(step);
        const modes = [['duration', 'a duration'], ['until', 'until an instant'], ['sendTime', 'the best send time']];
        // JRN-017 (not exactly one of the three) is the step's: shown on the mode
        const choice = field('wait', select(mode, modes, at('#mode'), (m) => edit.setWaitMode(id, m)), at('#mode'));
        choice.dataset.owns = `JRN-017 ${base}`;
        form.append(choice);
        const channel = step.sendTime?.channel ?? 'email';
        form.append(mode === 'duration' ? field('duration', durationInput(step.duration, at('duration'), set(at('duration'))), at('duration'))
          : mode === 'until' ? field('until', celInput(step.until, at('until'), set(at('until')), hints), at('until'), 'an expression giving a timestamp')
            : sendTimeFields(step.sendTime, at('sendTime'), edit, channel, { withChannel: true }));
        form.append(target('next'));
        break;
      }
      case 'split':
        form.append(list('branches', 'branches', () => ({ percent: 0 }), (item, p) => h('div', { class: 'row' }, percent(item, p), next(item, p)), true));
        break;
      case 'experiment': {
        const goals = (state.value.goals ?? []).map((g) => [g?.id, g?.id]).filter(([g]) => g);
        form.append(field('goal', select(step.goal, goals, at('goal'), set(at('goal')), { empty: '(pick a goal)' }), at('goal')),
          list('arms', 'arms', (items) => ({ id: String.fromCharCode(97 + items.length), percent: 0 }), (item, p) => h('div', {},
            h('div', { class: 'row' }, field('id', textInput(item.id, p('id'), set(p('id'))), p('id')), percent(item, p)),
            h('div', { class: 'row' }, next(item, p), field('control', checkbox(item.control, p('control'), (v) => edit.set(p('control'), v || undefined)), p('control')))), true),
          field('winner after', durationInput(step.winner?.after, at('winner', 'after'), set(at('winner', 'after'))), at('winner', 'after')),
          field('winner confidence', numberInput(step.winner?.confidence, at('winner', 'confidence'), set(at('winner', 'confidence')), { min: 0.5, max: 0.999 }), at('winner', 'confidence')),
          field('winner minPerArm', numberInput(step.winner?.minPerArm, at('winner', 'minPerArm'), set(at('winner', 'minPerArm')), { min: 1, step: 1 }), at('winner', 'minPerArm')));
        break;
      }
      case 'await': {
        const senders = ids.filter((s) => state.value.steps[s]?.type === 'action');
        form.append(list('events', 'events (the first to arrive wins)', () => ({ event: '' }), (item, p) => h('div', {},
          field('event', textInput(item.event, p('event'), set(p('event'))), p('event')),
          field('when', celInput(item.when, p('when'), (v) => edit.set(p('when'), v || undefined), hints), p('when')),
          field('to (reaction to the request of)', stepPicker(item.to, senders, p('to'), set(p('to')), '(any)'), p('to')),
          next(item, p))),
        field('timeout', durationInput(step.timeout, at('timeout'), set(at('timeout'))), at('timeout')),
        target('onTimeout', 'on timeout'));
        break;
      }
      case 'updateProfile':
        form.append(field('set', expressionMap(step.set, at('set'), edit, hints, 'attribute'), at('set')), target('next'));
        break;
      case 'jump': {
        const journeys = context.documents().filter((d) => d.kind !== 'action' && d.id).map((d) => [d.id, d.id]);
        form.append(field('journey', select(step.journey, [...new Map(journeys)], at('journey'), set(at('journey')), { empty: '(pick a journey)' }), at('journey')), target('next'));
        break;
      }
      case 'call': {
        const actions = context.documents().filter((d) => d.kind === 'action' && d.id).map((d) => [d.id, `${d.id} (${d.file})`]);
        form.append(
          field('action', select(step.action, [...new Map(actions)], at('action'), set(at('action')), { empty: '(pick an action)' }), at('action')),
          field('params', expressionMap(step.params, at('params'), edit, hints), at('params')),
          target('next'), target('onTimeout', 'on timeout'));
        break;
      }
      case 'cap':
        form.append(field('limit', numberInput(step.limit, at('limit'), set(at('limit')), { min: 1, step: 1 }), at('limit')),
          target('next'), target('overflow'));
        break;
      default:
        break;
    }
    if (canHaveOnError(step.type)) form.append(target('onError', 'on error'));
    form.append(h('div', { class: 'step-actions' },
      h('button', { type: 'button', onclick: () => edit.deleteStep(id), dataset: { action: 'delete' } }, 'Delete step'),
      h('button', { type: 'button', onclick: () => edit.setStart(id), disabled: state.value.start === id }, 'Make it the start')));
    return form;
  }

  function journeyForm(state) {
    const j = state.value;
    const set = (pointer) => (value) => edit.set(pointer, value);
    const orNone = (pointer) => (value) => edit.set(pointer, value === '' ? undefined : value);
    const ids = Object.keys(j.steps ?? {});
    const hints = context.hints();
    const entry = j.entry ?? {};
    const exits = Array.isArray(j.exit) ? j.exit : [];
    const ruleSets = context.documents().filter((d) => d.kind === 'rules' && d.id).map((d) => [d.id, `${d.id} (${d.file})`]);
    const form = h('form', { class: 'properties journey-form', onsubmit: (e) => e.preventDefault() },
      h('h2', {}, 'Journey'),
      field('id', textInput(j.id, '/id', set('/id')), '/id'),
      field('version', numberInput(j.version, '/version', set('/version'), { min: 1, step: 1 }), '/version'),
      field('name', textInput(j.name, '/name', orNone('/name')), '/name'),
      field('status', select(j.status ?? 'live', STATUSES, '/status', set('/status')), '/status'),
      field('time zone', textInput(j.timeZone, '/timeZone', orNone('/timeZone'), 'UTC'), '/timeZone'),
      field('timeout', durationInput(j.timeout, '/timeout', orNone('/timeout')), '/timeout', 'default and longest P91D'),
      field('delivery rules', select(j.rules, [...new Map(ruleSets)], '/rules', orNone('/rules'), { empty: '(none)' }), '/rules',
        'a rule set of the folder: frequency caps, quiet hours, entry caps'),
      field('priority', numberInput(j.priority, '/priority', orNone('/priority'), { min: 0, max: 100, step: 1 }), '/priority',
        '0 to 100 (default 50): the journeys of one rule set are entered highest first'),
      field('start', stepPicker(j.start, ids, '/start', set('/start')), '/start'),
      h('fieldset', { class: 'list', dataset: { field: '/entry' } }, h('legend', {}, 'entry'),
        field('type', select(entry.type ?? 'event', [['event', 'event'], ['audience', 'audience'], ['qualification', 'qualification']], '/entry/type', set('/entry/type')), '/entry/type'),
        (entry.type ?? 'event') === 'event'
          ? field('event', textInput(entry.event, '/entry/event', set('/entry/event')), '/entry/event')
          : field('audience', textInput(entry.audience, '/entry/audience', set('/entry/audience')), '/entry/audience'),
        field('when', celInput(entry.when, '/entry/when', (v) => edit.set('/entry/when', v || undefined), hints), '/entry/when')),
      h('fieldset', { class: 'list', dataset: { field: '/exit' } }, h('legend', {}, 'exit on'),
        exits.map((x, i) => h('div', { class: 'list-item', dataset: { field: `/exit/${i}` } },
          h('div', { class: 'list-index' }, `exit/${i}`, h('button', { type: 'button', class: 'remove', onclick: () => edit.remove(`/exit/${i}`) }, '×')),
          field('event', textInput(x?.event, `/exit/${i}/event`, set(`/exit/${i}/event`)), `/exit/${i}/event`),
          field('when', celInput(x?.when, `/exit/${i}/when`, (v) => edit.set(`/exit/${i}/when`, v || undefined), hints), `/exit/${i}/when`))),
        h('button', { type: 'button', class: 'add', onclick: () => edit.append('/exit', { event: '' }) }, '+ exit')));
    return form;
  }

  /** A rule set document (DESIGN §9.3): its own fields, then each frequency cap, quiet hours and the entry caps. */
  function rulesForm(state) {
    const r = state.value;
    const set = (pointer) => (value) => edit.set(pointer, value);
    const orNone = (pointer) => (value) => edit.set(pointer, value === '' ? undefined : value);
    const fallback = r.fallbackTimeZone || 'UTC';
    const fresh = (items, base) => {
      const taken = new Set(items.map((i) => i?.id));
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
      return id;
    };
    const entries = r.entries && typeof r.entries === 'object' ? r.entries : null;
    return h('form', { class: 'properties rules-form', dataset: { rulesForm: r.id ?? '' }, onsubmit: (e) => e.preventDefault() },
      h('h2', {}, 'Rule set'),
      field('id', textInput(r.id, '/id', set('/id')), '/id', 'journeys name it in their "rules"'),
      field('version', numberInput(r.version, '/version', set('/version'), { min: 1, step: 1 }), '/version'),
      field('name', textInput(r.name, '/name', orNone('/name')), '/name'),
      field('description', textInput(r.description, '/description', orNone('/description')), '/description'),
      field('fallback time zone', textInput(r.fallbackTimeZone, '/fallbackTimeZone', orNone('/fallbackTimeZone'), 'UTC'), '/fallbackTimeZone',
        'for a profile without a valid timeZone'),
      listBox(edit, '/frequency', 'frequency caps (per profile, across the set\'s journeys)', r.frequency,
        (items) => ({ id: fresh(items, 'cap'), channels: ['email'], max: 1, per: 'day' }), (item, p) => h('div', {},
          field('id', textInput(item.id, p('id'), set(p('id'))), p('id')),
          field('channels', channelsInput(item.channels, p('channels'), set(p('channels'))), p('channels')),
          h('div', { class: 'row' },
            field('max', numberInput(item.max, p('max'), set(p('max')), { min: 1, step: 1 }), p('max')),
            field('per', select(item.per, PERIODS, p('per'), set(p('per'))), p('per'))),
          zoneChoice(item.timeZone, p('timeZone'), edit, fallback))),
      listBox(edit, '/quietHours', 'quiet hours', r.quietHours,
        (items) => ({ id: fresh(items, 'quiet'), channels: ['email', 'push', 'sms'], from: '21:00', to: '08:00' }), (item, p) => h('div', {},
          field('id', textInput(item.id, p('id'), set(p('id'))), p('id')),
          field('channels', channelsInput(item.channels, p('channels'), set(p('channels'))), p('channels')),
          h('div', { class: 'row' },
            field('from', textInput(item.from, p('from'), set(p('from')), 'HH:MM'), p('from')),
            field('to', textInput(item.to, p('to'), set(p('to')), 'HH:MM'), p('to'))),
          field('days', daysInput(item.days, p('days'), set(p('days'))), p('days')),
          zoneChoice(item.timeZone, p('timeZone'), edit, fallback),
          h('div', { class: 'row' },
            field('then', select(item.then ?? 'queue', [['queue', 'queue (hold until they end)'], ['discard', 'discard (exit)']], p('then'),
              (v) => edit.replaceFields(p(), v === 'discard' ? { then: 'discard', maxHold: undefined } : { then: undefined })), p('then')),
            item.then === 'discard' ? null
              : field('max hold', durationInput(item.maxHold, p('maxHold'), orNone(p('maxHold'))), p('maxHold'), 'default P7D, at most P30D')))),
      entries
        ? h('fieldset', { class: 'list', dataset: { field: '/entries' } }, h('legend', {}, 'entry caps'),
          h('div', { class: 'row' },
            field('max entries', numberInput(entries.max, '/entries/max', orNone('/entries/max'), { min: 1, step: 1 }), '/entries/max'),
            field('per', select(entries.per, PERIODS, '/entries/per', set('/entries/per'), { empty: '(none)' }), '/entries/per')),
          field('max live at once', numberInput(entries.maxConcurrent, '/entries/maxConcurrent', orNone('/entries/maxConcurrent'), { min: 1, step: 1 }),
            '/entries/maxConcurrent'),
          zoneChoice(entries.timeZone, '/entries/timeZone', edit, fallback),
          h('button', { type: 'button', class: 'remove', onclick: () => edit.remove('/entries') }, 'Remove the entry caps'))
        : h('button', { type: 'button', class: 'add', dataset: { add: '/entries' }, onclick: () => edit.set('/entries', { maxConcurrent: 1 }) }, '+ entry caps'));
  }

  return { render, focus: () => container.querySelector('input, select')?.focus() };
}
