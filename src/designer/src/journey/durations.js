// ISO-8601 durations (P1W, P1D, PT30M, P1DT2H) as an author reads them: "1 day 2 hours". The engine reads a day
// as 24 hours (README, durations); so does this.

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNITS = ['week', 'day', 'hour', 'minute', 'second'];

/** "2 days", "1 day 12 hours", or null when the text is not a duration the engine reads. */
export function readable(text) {
  if (typeof text !== 'string') return null;
  const match = PATTERN.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const parts = [];
  match.slice(1).forEach((amount, i) => {
    if (amount !== undefined && Number(amount) !== 0) {
      parts.push(`${Number(amount)} ${UNITS[i]}${Number(amount) === 1 ? '' : 's'}`);
    }
  });
  return parts.length ? parts.join(' ') : '0 seconds';
}

const SHORT = ['w', 'd', 'h', 'm', 's'];

/** "24h", "2d", "1d12h": a duration as short as a node's line needs it; null when it is not one. */
export function compact(text) {
  if (readable(text) === null) return null;
  const match = PATTERN.exec(text.trim());
  const parts = match.slice(1).map((amount, i) => (amount !== undefined && Number(amount) !== 0 ? `${Number(amount)}${SHORT[i]}` : ''));
  return parts.join('') || '0s';
}
