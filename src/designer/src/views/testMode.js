// Test mode: runs the real simulation (POST /api/simulate) of the open journey, with the folder's other
// documents it may call or jump to and the rule sets they name, on the folder's sample events and profiles (GET /api/samples, editable
// here), then puts report.json's counts on the canvas; picking a profile shows its path and its timeline of
// step events and actions.

import { h } from '../properties/controls.js';

/** The report of the open journey's id and version among the simulation's. */
export function journeyReport(report, journey) {
  return (report?.journeys ?? []).find((j) => j.journeyId === journey?.id && j.journeyVersion === journey?.version) ?? null;
}

/** {steps: Set, edges: Set of "from>to", timeline} of one profile in the open journey. */
export function pathOf(run, journey, profileId) {
  const events = run.steps
    .filter((s) => s.profileId === profileId && s.journeyId === journey.id && s.journeyVersion === journey.version)
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const steps = new Set(events.map((s) => s.stepId).filter(Boolean));
  const edges = new Set(events.filter((s) => s.stepId && s.next).map((s) => `${s.stepId}>${s.next}`));
  const actions = run.actions.filter((a) => a.profileId === profileId);
  return { steps, edges, events, actions };
}

/**
 * The rows of a profile's timeline: its step events in the order the engine emitted them (the simulation keeps
 * that order; several share an instant), each action right after the step event of the step that sent it.
 */
export function timelineRows(path) {
  const actions = [...path.actions];
  const rows = [];
  for (const e of path.events) {
    rows.push({ time: e.timestamp, kind: 'step', text: `${e.stepId ?? '(journey)'} ${e.status}${e.next ? ' → ' + e.next : ''}${e.branch ? ' [' + e.branch + ']' : ''}${e.arm ? ' arm ' + e.arm : ''}${e.errorCode ? ' ' + e.errorCode : ''}${e.goal ? ' goal ' + e.goal : ''}` });
    const sent = actions.findIndex((a) => a.instanceId === e.instanceId && a.stepId === e.stepId && a.timestamp === e.timestamp
      && (e.status === 'executed' || e.status === 'error'));
    if (sent >= 0) {
      const [a] = actions.splice(sent, 1);
      rows.push({ time: a.timestamp, kind: 'action', text: `${a.stepId}: ${a.channel} ${a.template ?? ''}` });
    }
  }
  // an action whose step event is not among them (another version's): by time, stably
  for (const a of actions) {
    const at = rows.findIndex((r) => r.time > a.timestamp);
    const row = { time: a.timestamp, kind: 'action', text: `${a.stepId}: ${a.channel} ${a.template ?? ''}` };
    if (at < 0) rows.push(row); else rows.splice(at, 0, row);
  }
  return rows;
}

export function createTestPanel(container, { store, api, documentsForRun }) {
  let samples = null;

  async function loadSamples() {
    samples ??= await api.samples();
    return samples;
  }

  async function run() {
    const state = store.state;
    const events = container.querySelector('[data-sample="events"]')?.value ?? (await loadSamples()).events;
    const profiles = container.querySelector('[data-sample="profiles"]')?.value ?? (await loadSamples()).profiles;
    store.set({ test: { ...(state.test ?? {}), running: true, error: null } }, 'test');
    try {
      if (!events) throw new Error('No sample events: put an events.jsonl beside the journey (or type some below)');
      const answer = await api.simulate(await documentsForRun(), events, profiles);
      const report = journeyReport(answer.report, state.value);
      store.set({ test: { running: false, error: report ? null : 'The report has no entry for this journey and version',
        report, full: answer.report, actions: answer.actions, steps: answer.steps, profile: null, path: null } }, 'test');
    } catch (e) {
      const detail = e.answer?.documents?.flatMap((d) => d.problems.map((p) => `${d.id ?? '#' + d.index}: ${p.code} ${p.pointer} ${p.message}`)) ?? [];
      store.set({ test: { running: false, error: [e.message, ...detail].join('\n') } }, 'test');
    }
  }

  function pick(profileId) {
    const test = store.state.test;
    store.set({ test: { ...test, profile: profileId || null, path: profileId ? pathOf(test, store.state.value, profileId) : null } }, 'test');
  }

  function render(state) {
    const test = state.test;
    container.replaceChildren();
    container.append(h('div', { class: 'test-bar' },
      h('button', { type: 'button', class: 'primary', dataset: { action: 'run-test' }, disabled: test?.running || !state.value || state.parseError,
        onclick: run }, test?.running ? 'Running…' : 'Run test'),
      test?.report ? h('button', { type: 'button', dataset: { action: 'clear-test' }, onclick: () => store.set({ test: null }, 'test') }, 'Clear') : null,
      h('span', { class: 'hint' }, 'the real simulation, in event time, on the samples below')));
    if (test?.stale) container.append(h('p', { class: 'hint' }, 'The journey changed since this run: run the test again.'));
    if (test?.error) container.append(h('pre', { class: 'test-error', dataset: { testError: '' } }, test.error));
    if (test?.report) {
      const r = test.report;
      container.append(h('div', { class: 'test-summary', dataset: { testSummary: '' } },
        ['entered', 'completed', 'exited', 'timedOut', 'errors', 'inside'].map((k) => h('span', {}, h('b', { dataset: { journeyCount: k } }, String(r[k] ?? 0)), ' ', k))));
      const profiles = [...new Set(test.steps.filter((s) => s.journeyId === r.journeyId).map((s) => s.profileId))].sort();
      const picker = h('select', { dataset: { profilePicker: '' }, onchange: (e) => pick(e.target.value) },
        h('option', { value: '' }, `(a profile: ${profiles.length})`), profiles.map((p) => h('option', { value: p }, p)));
      picker.value = test.profile ?? '';
      container.append(h('div', { class: 'field' }, h('label', {}, 'profile'), picker));
      if (test.path) container.append(timeline(test.path));
    }
    const details = h('details', { class: 'samples' }, h('summary', {}, 'sample events and profiles'));
    details.addEventListener('toggle', async () => {
      if (!details.open || details.querySelector('textarea')) return;
      const s = await loadSamples();
      details.append(h('label', {}, 'events (JSON lines)'), h('textarea', { dataset: { sample: 'events' }, rows: 8, spellcheck: 'false' }),
        h('label', {}, 'profiles (JSON lines)'), h('textarea', { dataset: { sample: 'profiles' }, rows: 4, spellcheck: 'false' }));
      details.querySelector('[data-sample="events"]').value = s.events ?? '';
      details.querySelector('[data-sample="profiles"]').value = s.profiles ?? '';
    });
    container.append(details);
  }

  function timeline(path) {
    const rows = timelineRows(path);
    return h('ol', { class: 'timeline', dataset: { timeline: '' } },
      rows.map((r) => h('li', { class: r.kind }, h('time', {}, r.time?.replace('T', ' ').replace(':00Z', 'Z') ?? ''), ' ', r.text)));
  }

  return { render, run };
}
