// Send-time optimisation on the page (issue 18): an email or push action, or a wait, may carry
// "sendTime": {"optimize"?: "opens" | "clicks", "within": "PT24H", "channel"?: "email" | "push" (a wait's only)}.
// The message then goes at the instant within `within` when the profile is most likely to engage. What the
// properties pane writes for it, and how it reads on a node; the engine's validator (JRN-038, JRN-017, JRN-020)
// says what is wrong.

import { compact } from './durations.js';

/** The channels whose engagement the engine learns, so the only ones a sendTime may be on. */
export const SEND_TIME_CHANNELS = ['email', 'push'];
export const OPTIMIZE = ['opens', 'clicks'];
/** What a new sendTime starts with, on an action and on a wait. */
export const NEW_ACTION_WITHIN = 'PT24H';
export const NEW_WAIT_WITHIN = 'P1D';
export const WITHIN_HINT = 'PT2H to P7D: the message waits at most this long for the profile\'s best hour';

export const canOptimize = (channel) => SEND_TIME_CHANNELS.includes(channel);
/** Push has no clicks: only opens. */
export const hasClicks = (channel) => channel !== 'push';

/** Which of its three alternatives a wait uses: duration, until or sendTime (duration when it has none, the first when several). */
export function waitMode(step) {
  const given = ['duration', 'until', 'sendTime'].filter((f) => step?.[f] !== undefined);
  return given[0] ?? 'duration';
}

/** The fields of a wait after choosing a mode: the chosen one (as it was, else a default), the two others removed. */
export function waitModeFields(step, mode) {
  const keep = (f, fresh) => (mode === f ? step?.[f] ?? fresh : undefined);
  return {
    duration: keep('duration', 'P1D'),
    until: keep('until', 'now'),
    sendTime: keep('sendTime', { within: NEW_WAIT_WITHIN }),
  };
}

/** A sendTime's fields after a change of the channel that decides: clicks goes when it is push (push has none). */
export function channelFields(sendTime, channel) {
  return sendTime?.optimize === 'clicks' && !hasClicks(channel) ? { optimize: undefined } : {};
}

/** "best time ≤24h" (opens), "best clicks ≤2d": how a sendTime reads on a node. */
export function sendTimeLabel(sendTime) {
  if (!sendTime || typeof sendTime !== 'object') return 'best time ?';
  const within = compact(sendTime.within) ?? sendTime.within ?? '?';
  return `best ${sendTime.optimize === 'clicks' ? 'clicks' : 'time'} ≤${within}`;
}

/** A wait's line: "best email time ≤2d". */
export function waitSendTimeLabel(sendTime) {
  const channel = typeof sendTime?.channel === 'string' ? sendTime.channel : 'email';
  return sendTimeLabel(sendTime).replace('best ', `best ${channel} `);
}
