// Positions the author pinned by dragging a step, kept in the browser's localStorage and never in the journey
// document (whose bytes must stay the author's): one entry per journey id, so that a new version of a journey
// opens with the same drawing. Clearing them ("Auto layout") goes back to the computed flow.

const PREFIX = 'journeys-designer:pins:';

function read(journeyId) {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + journeyId) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

export const pins = {
  of(journeyId) {
    return journeyId ? read(journeyId) : {};
  },
  set(journeyId, stepId, x, y) {
    if (!journeyId) return;
    const all = read(journeyId);
    all[stepId] = { x: Math.round(x), y: Math.round(y) };
    localStorage.setItem(PREFIX + journeyId, JSON.stringify(all));
  },
  /** A renamed step keeps its place. */
  rename(journeyId, from, to) {
    const all = read(journeyId);
    if (all[from]) {
      all[to] = all[from];
      delete all[from];
      localStorage.setItem(PREFIX + journeyId, JSON.stringify(all));
    }
  },
  clear(journeyId) {
    localStorage.removeItem(PREFIX + journeyId);
  },
};
