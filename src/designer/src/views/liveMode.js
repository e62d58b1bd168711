// Live mode (with --bootstrap-servers): follows GET /api/live, the report of the step-events topic, and puts
// the counts of the chosen version of the open journey on the canvas, updating as the long poll answers. A
// version diff compares the open document's steps with another version's in the folder and says how many
// profiles wait at each step that changed.

import { h } from '../properties/controls.js';

/** The steps added, removed and changed between two journeys (by id, a step's JSON compared as a value). */
export function diffSteps(from, to) {
  const a = from?.steps ?? {};
  const b = to?.steps ?? {};
  const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);
  return {
    added: Object.keys(b).filter((id) => !(id in a)),
    removed: Object.keys(a).filter((id) => !(id in b)),
    changed: Object.keys(b).filter((id) => id in a && !same(a[id], b[id])),
  };
}

const RETRY_MS = 2000;

export function createLivePanel(container, { store, api }) {
  let running = false;
  let since = -1;
  let version = null; // the version whose counts are shown; null: the open document's

  async function follow() {
    if (running) return;
    running = true;
    while (running) {
      try {
        const answer = await api.live(since, since < 0 ? 0 : 25);
        since = answer.events;
        show(answer);
      } catch (e) {
        store.set({ live: { ...(store.state.live ?? {}), warning: e.message } }, 'live');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  function show(answer) {
    const journey = store.state.value;
    const wanted = version ?? journey?.version;
    const versions = (answer.report?.journeys ?? []).filter((j) => j.journeyId === journey?.id);
    // the version asked for, else the highest the topic has seen
    const report = versions.find((j) => j.journeyVersion === wanted)
      ?? versions.reduce((best, j) => (best && best.journeyVersion > j.journeyVersion ? best : j), null);
    store.set({ live: { answer, report, versions: versions.map((j) => j.journeyVersion), version: report?.journeyVersion ?? wanted,
      events: answer.events, warning: answer.warning ?? null, diff: store.state.live?.diff ?? null } }, 'live');
  }

  async function compareWith(file) {
    if (!file) {
      store.set({ live: { ...store.state.live, diff: null } }, 'live');
      return;
    }
    const value = JSON.parse(await api.read(file));
    const diff = diffSteps(value, store.state.value);
    const waitingThere = (store.state.live?.answer?.report?.journeys ?? [])
      .find((j) => j.journeyId === value.id && j.journeyVersion === value.version)?.steps ?? {};
    store.set({ live: { ...store.state.live, diff: { ...diff, file, version: value.version, waitingThere } } }, 'live');
  }

  function render(state) {
    const live = state.live;
    container.replaceChildren();
    if (!state.info?.kafka) {
      container.append(h('p', { class: 'empty' }, 'Start the designer with --bootstrap-servers for live counts.'));
      return;
    }
    container.append(h('div', { class: 'test-bar' },
      h('button', { type: 'button', class: 'primary', dataset: { action: 'follow-live' }, disabled: running, onclick: follow },
        running ? 'Following the step events' : 'Follow live counts'),
      live ? h('span', { class: 'hint', dataset: { liveEvents: String(live.events ?? 0) } }, `${live.events ?? 0} step events`) : null));
    if (live?.warning) container.append(h('p', { class: 'test-error' }, live.warning));
    if (live?.versions?.length) {
      const picker = h('select', { dataset: { liveVersion: '' }, onchange: (e) => {
        version = Number(e.target.value);
        show(live.answer);
      } }, live.versions.map((v) => h('option', { value: v }, `version ${v}`)));
      picker.value = String(live.version);
      container.append(h('div', { class: 'field' }, h('label', {}, 'counts of'), picker));
    }
    if (live?.report) {
      const r = live.report;
      container.append(h('div', { class: 'test-summary' },
        ['entered', 'inside', 'completed', 'exited', 'timedOut', 'errors'].map((k) => h('span', {}, h('b', { dataset: { liveCount: k } }, String(r[k] ?? 0)), ' ', k))));
    }
    const others = state.documents.filter((d) => d.id === state.value?.id && d.file !== state.file
      && (d.kind ?? 'journey') === (state.value?.kind ?? 'journey'));
    if (others.length) {
      const picker = h('select', { dataset: { diffWith: '' }, onchange: (e) => compareWith(e.target.value) },
        h('option', { value: '' }, '(no diff)'), others.map((d) => h('option', { value: d.file }, `${d.file} (v${d.version})`)));
      picker.value = live?.diff?.file ?? '';
      container.append(h('div', { class: 'field' }, h('label', {}, 'changes from'), picker));
    }
    if (live?.diff) {
      const d = live.diff;
      const waiting = (id) => d.waitingThere[id]?.waiting ?? 0;
      container.append(h('ul', { class: 'diff', dataset: { diff: '' } },
        [...d.changed.map((id) => ['changed', id]), ...d.added.map((id) => ['added', id]), ...d.removed.map((id) => ['removed', id])]
          .map(([kind, id]) => h('li', { class: kind, dataset: { diffStep: id, diffKind: kind } },
            `${kind} ${id}`, kind !== 'added' ? ` (${waiting(id)} waiting there in v${d.version})` : ''))),
      d.changed.length + d.added.length + d.removed.length === 0 ? h('p', { class: 'hint' }, 'No step changed.') : null);
    }
  }

  return { render, stop: () => { running = false; } };
}
