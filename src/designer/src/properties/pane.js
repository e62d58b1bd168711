// The properties pane: a form per step type (README, Steps), or the journey's own fields when no step is
// selected. Every control edits one value of the text through `edit`; the problems whose pointers fall on a
// control are shown under it.

import { h, field, textInput, numberInput, checkbox, select, stepPicker, durationInput, celInput, expressionMap } from './controls.js';
import { canHaveOnError, STEP_TYPES } from '../journey/graph.js';
import { joinPointer } from '../json/parse.js';

const CHANNELS = ['email', 'push', 'sms', 'inApp', 'custom'].map((c) => [c, c]);
const STATUSES = ['live', 'closed', 'stopped'].map((s) => [s, s]);

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
      let target = null;
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
          field('channel', select(step.channel, CHANNELS, at('channel'), set(at('channel'))), at('channel')),
          step.channel === 'custom'
            ? field('template (an action definition)', select(step.template, [...new Map(actions)], at('template'), set(at('template')), { empty: '(pick an action)' }), at('template'))
            : field('template', textInput(step.template, at('template'), set(at('template'))), at('template')),
          field('params', expressionMap(step.params, at('params'), edit, hints), at('params')),
          target('next'));
        break;
      }
      case 'condition':
        form.append(list('choices', 'choices (the first that holds wins)', () => ({ when: 'true' }), (item, p) => h('div', {},
          field('when', celInput(item.when, p('when'), set(p('when')), hints), p('when')), next(item, p))),
        target('default'));
        break;
      case 'wait': {
        const byDuration = step.until === undefined;
        form.append(field('wait', select(byDuration ? 'duration' : 'until', [['duration', 'a duration'], ['until', 'until an instant']], at('#mode'),
          (mode) => edit.replaceFields(base, mode === 'until' ? { duration: undefined, until: 'now' } : { until: undefined, duration: 'P1D' })), at('#mode')));
        form.append(byDuration
          ? field('duration', durationInput(step.duration, at('duration'), set(at('duration'))), at('duration'))
          : field('until', celInput(step.until, at('until'), set(at('until')), hints), at('until'), 'an expression giving a timestamp'));
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
    const form = h('form', { class: 'properties journey-form', onsubmit: (e) => e.preventDefault() },
      h('h2', {}, 'Journey'),
      field('id', textInput(j.id, '/id', set('/id')), '/id'),
      field('version', numberInput(j.version, '/version', set('/version'), { min: 1, step: 1 }), '/version'),
      field('name', textInput(j.name, '/name', orNone('/name')), '/name'),
      field('status', select(j.status ?? 'live', STATUSES, '/status', set('/status')), '/status'),
      field('time zone', textInput(j.timeZone, '/timeZone', orNone('/timeZone'), 'UTC'), '/timeZone'),
      field('timeout', durationInput(j.timeout, '/timeout', orNone('/timeout')), '/timeout', 'default and longest P91D'),
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

  return { render, focus: () => container.querySelector('input, select')?.focus() };
}
