// Send-time optimisation on the page (issue 18): the properties pane's edits of an action's and a wait's
// sendTime, each one edit of the text that leaves the rest as it was, and how a sendTime reads on a node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setActionSendTime, setActionChannel, setWaitMode, setOptimize, setSendTimeChannel, set } from '../../src/edits.js';
import { waitMode, waitModeFields, sendTimeLabel, canOptimize, hasClicks } from '../../src/journey/sendTime.js';
import { compact } from '../../src/journey/durations.js';
import { summaryOf } from '../../src/canvas/canvas.js';

const journey = (steps) => `{\n  "id": "j",\n  "version": 1,\n  "start": "m",\n  "steps": {\n${steps.join(',\n')}\n  }\n}\n`;
const MAIL = '    "m": {"type": "action", "channel": "email", "template": "t", "next": "w"}';
const WAIT = '    "w": {"type": "wait", "duration": "P1D", "next": "e"}';
const END = '    "e": {"type": "end"}';
const text = journey([MAIL, WAIT, END]);
const steps = (t) => JSON.parse(t).steps;

test('send at the best time on an action: on writes a sendTime of PT24H on its line, off removes it', () => {
  const on = setActionSendTime(text, 'm', true);
  assert.deepEqual(steps(on).m.sendTime, { within: 'PT24H' });
  assert.equal(on, text.replace('"next": "w"}', '"next": "w", "sendTime": {"within": "PT24H"}}'), 'only the action\'s line changes');
  assert.equal(setActionSendTime(on, 'm', false), text, 'off: back to the text as it was');
  const within = set(on, '/steps/m/sendTime/within', 'P2D');
  assert.deepEqual(steps(within).m.sendTime, { within: 'P2D' });
});

test('optimize: clicks is written, opens (the default) goes', () => {
  const on = setActionSendTime(text, 'm', true);
  const clicks = setOptimize(on, '/steps/m/sendTime', 'clicks');
  assert.deepEqual(steps(clicks).m.sendTime, { within: 'PT24H', optimize: 'clicks' });
  assert.equal(setOptimize(clicks, '/steps/m/sendTime', 'opens'), on);
  assert.equal(setOptimize(on, '/steps/m/sendTime', 'opens'), on, 'opens when absent: nothing to do');
});

test('an action\'s channel: push drops clicks, a channel other than email and push drops the sendTime', () => {
  const clicks = setOptimize(setActionSendTime(text, 'm', true), '/steps/m/sendTime', 'clicks');
  const push = setActionChannel(clicks, 'm', 'push');
  assert.deepEqual([steps(push).m.channel, steps(push).m.sendTime], ['push', { within: 'PT24H' }]);
  const sms = setActionChannel(push, 'm', 'sms');
  assert.equal(steps(sms).m.sendTime, undefined);
  assert.equal(setActionChannel(sms, 'm', 'email'), text, 'no sendTime: only the channel changes');
  assert.deepEqual([canOptimize('email'), canOptimize('push'), canOptimize('sms'), hasClicks('push'), hasClicks('email')],
    [true, true, false, false, true]);
});

test('a wait\'s mode: exactly one of duration, until and sendTime, the others removed', () => {
  const best = setWaitMode(text, 'w', 'sendTime');
  assert.deepEqual(steps(best).w, { type: 'wait', next: 'e', sendTime: { within: 'P1D' } });
  assert.equal(waitMode(steps(best).w), 'sendTime');
  const until = setWaitMode(best, 'w', 'until');
  assert.deepEqual(steps(until).w, { type: 'wait', next: 'e', until: 'now' });
  assert.equal(waitMode(steps(until).w), 'until');
  assert.deepEqual(steps(setWaitMode(until, 'w', 'duration')).w, { type: 'wait', next: 'e', duration: 'P1D' });
  assert.equal(setWaitMode(text, 'w', 'duration'), text, 'the mode it has: nothing changes');
  assert.deepEqual(waitModeFields({ sendTime: { within: 'P3D' } }, 'sendTime'), { duration: undefined, until: undefined, sendTime: { within: 'P3D' } },
    'a sendTime already there is kept');
  assert.equal(waitMode({ type: 'wait' }), 'duration', 'none: shown as a duration (JRN-017)');
});

test('a wait\'s sendTime channel: push is written and drops clicks, email (the default) goes', () => {
  const best = setOptimize(setWaitMode(text, 'w', 'sendTime'), '/steps/w/sendTime', 'clicks');
  const push = setSendTimeChannel(best, '/steps/w/sendTime', 'push');
  assert.deepEqual(steps(push).w.sendTime, { within: 'P1D', channel: 'push' });
  const email = setSendTimeChannel(push, '/steps/w/sendTime', 'email');
  assert.deepEqual(steps(email).w.sendTime, { within: 'P1D' });
});

test('a sendTime on the canvas: "best time ≤24h" after the action, the wait\'s channel', () => {
  assert.deepEqual(['PT24H', 'P2D', 'P1DT12H', 'PT90M', 'P1W', 'soon'].map(compact), ['24h', '2d', '1d12h', '90m', '1w', null]);
  assert.equal(summaryOf({ type: 'action', step: { channel: 'email', template: 'r', sendTime: { within: 'PT24H' } } }), 'email · r · best time ≤24h');
  assert.equal(summaryOf({ type: 'action', step: { channel: 'email', template: 'r', sendTime: { within: 'P2D', optimize: 'clicks' } } }),
    'email · r · best clicks ≤2d');
  assert.equal(summaryOf({ type: 'action', step: { channel: 'push', template: 'r' } }), 'push · r');
  assert.equal(summaryOf({ type: 'wait', step: { sendTime: { within: 'P2D', channel: 'push' } } }), 'best push time ≤2d');
  assert.equal(summaryOf({ type: 'wait', step: { duration: 'P1D' } }), 'wait 1 day');
  assert.equal(summaryOf({ type: 'wait', step: { until: 'now' } }), 'until now');
  assert.equal(sendTimeLabel({ within: 'bad' }), 'best time ≤bad');
});
