import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../events.ts';
import { formatQueueLog, formatQueueLogLine, QueueLogState, sanitizeField } from './formatQueueLog.ts';

// 2026-01-05T08:00:00.456Z → epoch seconds 1767600000 (floored, never rounded up).
const AT = 1_767_600_000_456;
const T = '1767600000';

function fmt(ev: GatewayEvent, state = new QueueLogState()): string[] {
  const lines = formatQueueLog(ev, state);
  state.observe(ev);
  return lines;
}

describe('formatQueueLog: call lifecycle verbs (queue-kpis.md section 2)', () => {
  it.each<[string, GatewayEvent, string[]]>([
    [
      'ENTERQUEUE url|callerid|origposition',
      { type: 'queueEntered', at: AT, callId: 'c1', queue: 'sales', callerNumber: '09121234567', position: 3, priority: 0, joinedAt: AT, kind: 'inbound' },
      [`${T}|c1|sales|NONE|ENTERQUEUE||09121234567|3`],
    ],
    [
      'ENTERQUEUE with a withheld number leaves callerid empty',
      { type: 'queueEntered', at: AT, callId: 'c2', queue: 'sales', callerNumber: '', position: 1, priority: 0, joinedAt: AT, kind: 'inbound' },
      [`${T}|c2|sales|NONE|ENTERQUEUE|||1`],
    ],
    [
      'RINGNOANSWER carries milliseconds',
      { type: 'agentRingNoAnswer', at: AT, callId: 'c1', queue: 'sales', agent: 'a7', ringMs: 15_000 },
      [`${T}|c1|sales|a7|RINGNOANSWER|15000`],
    ],
    [
      'RINGCANCELED carries milliseconds',
      { type: 'agentRingCanceled', at: AT, callId: 'c1', queue: 'sales', agent: 'a7', ringMs: 2_345 },
      [`${T}|c1|sales|a7|RINGCANCELED|2345`],
    ],
    [
      'CONNECT holdtime(s)|member uniqueid|ringtime(s), rounded',
      { type: 'queueConnected', at: AT, callId: 'c1', queue: 'sales', agent: 'a7', waitMs: 12_600, ringMs: 4_400, kind: 'inbound' },
      [`${T}|c1|sales|a7|CONNECT|13|c1-agent|4`],
    ],
    [
      'COMPLETECALLER holdtime|calltime|origposition',
      { type: 'queueCompleted', at: AT, callId: 'c1', queue: 'sales', agent: 'a7', by: 'caller', dropped: false, waitMs: 12_600, talkMs: 185_499, origPosition: 3 },
      [`${T}|c1|sales|a7|COMPLETECALLER|13|185|3`],
    ],
    [
      'COMPLETEAGENT when the agent hung up',
      { type: 'queueCompleted', at: AT, callId: 'c1', queue: 'sales', agent: 'a7', by: 'agent', dropped: false, waitMs: 500, talkMs: 60_500, origPosition: 1 },
      [`${T}|c1|sales|a7|COMPLETEAGENT|1|61|1`],
    ],
  ])('%s', (_name, ev, expected) => {
    expect(fmt(ev)).toEqual(expected);
  });

  it.each<[GatewayEvent & { type: 'queueExited' }, string]>([
    [{ type: 'queueExited', at: AT, callId: 'c3', queue: 'sales', reason: 'abandon', position: 2, origPosition: 4, waitMs: 44_500 }, `${T}|c3|sales|NONE|ABANDON|2|4|45`],
    // Lost to a restart: written as ABANDON so the ENTERQUEUE is closed.
    [{ type: 'queueExited', at: AT, callId: 'c3', queue: 'sales', reason: 'restart', position: 1, origPosition: 1, waitMs: 9_000 }, `${T}|c3|sales|NONE|ABANDON|1|1|9`],
    [{ type: 'queueExited', at: AT, callId: 'c3', queue: 'sales', reason: 'timeout', position: 1, origPosition: 5, waitMs: 300_000, overflowTo: 'support' }, `${T}|c3|sales|NONE|EXITWITHTIMEOUT|1|5|300`],
    [{ type: 'queueExited', at: AT, callId: 'c3', queue: 'sales', reason: 'key', key: '1', position: 2, origPosition: 3, waitMs: 45_000 }, `${T}|c3|sales|NONE|EXITWITHKEY|1|2|3|45`],
    [{ type: 'queueExited', at: AT, callId: 'c3', queue: 'sales', reason: 'key', position: 2, origPosition: 3, waitMs: 45_000 }, `${T}|c3|sales|NONE|EXITWITHKEY||2|3|45`],
    [{ type: 'queueExited', at: AT, callId: 'c3', queue: 'sales', reason: 'empty', position: 1, origPosition: 1, waitMs: 0 }, `${T}|c3|sales|NONE|EXITEMPTY|1|1|0`],
  ])('queueExited %#', (ev, expected) => {
    expect(fmt(ev)).toEqual([expected]);
  });
});

describe('formatQueueLog: agent verbs', () => {
  it('login writes AGENTLOGIN then ADDMEMBER per queue; logout REMOVEMEMBER per queue then AGENTLOGOFF', () => {
    const state = new QueueLogState();
    expect(fmt({ type: 'agentLoggedIn', at: AT, agent: 'a7', queues: ['sales', 'support'] }, state)).toEqual([
      `${T}|NONE|NONE|a7|AGENTLOGIN|a7`,
      `${T}|MANAGER|sales|a7|ADDMEMBER|`,
      `${T}|MANAGER|support|a7|ADDMEMBER|`,
    ]);
    expect(fmt({ type: 'agentLoggedOut', at: AT, agent: 'a7', sessionMs: 3_600_400 }, state)).toEqual([
      `${T}|MANAGER|sales|a7|REMOVEMEMBER|`,
      `${T}|MANAGER|support|a7|REMOVEMEMBER|`,
      `${T}|NONE|NONE|a7|AGENTLOGOFF|a7|3600`,
    ]);
    // After logout the agent is in no queue: a second logout has no REMOVEMEMBER.
    expect(fmt({ type: 'agentLoggedOut', at: AT, agent: 'a7', sessionMs: 0 }, state)).toEqual([`${T}|NONE|NONE|a7|AGENTLOGOFF|a7|0`]);
  });

  it('pause and unpause: PAUSEALL/UNPAUSEALL then one line per member queue, Auto-Pause when automatic', () => {
    const state = new QueueLogState();
    fmt({ type: 'agentLoggedIn', at: AT, agent: 'a7', queues: ['sales', 'support'] }, state);
    expect(fmt({ type: 'agentPaused', at: AT, agent: 'a7', reason: 'Lunch', auto: false }, state)).toEqual([
      `${T}|NONE|NONE|a7|PAUSEALL|Lunch`,
      `${T}|NONE|sales|a7|PAUSE|Lunch`,
      `${T}|NONE|support|a7|PAUSE|Lunch`,
    ]);
    expect(fmt({ type: 'agentUnpaused', at: AT, agent: 'a7', auto: false }, state)).toEqual([
      `${T}|NONE|NONE|a7|UNPAUSEALL|`,
      `${T}|NONE|sales|a7|UNPAUSE|`,
      `${T}|NONE|support|a7|UNPAUSE|`,
    ]);
    expect(fmt({ type: 'agentPaused', at: AT, agent: 'a7', reason: 'ringNoAnswer', auto: true }, state)[0]).toBe(`${T}|NONE|NONE|a7|PAUSEALL|Auto-Pause`);
    expect(fmt({ type: 'agentUnpaused', at: AT, agent: 'a7', auto: true }, state)[1]).toBe(`${T}|NONE|sales|a7|UNPAUSE|Auto-Unpause`);
  });

  it('an agent logged in before the events seen uses the fallback membership', () => {
    const state = new QueueLogState((agent) => (agent === 'a9' ? ['billing'] : []));
    expect(fmt({ type: 'agentLoggedOut', at: AT, agent: 'a9', sessionMs: 60_000 }, state)).toEqual([
      `${T}|MANAGER|billing|a9|REMOVEMEMBER|`,
      `${T}|NONE|NONE|a9|AGENTLOGOFF|a9|60`,
    ]);
  });
});

describe('formatQueueLog: callbacks and events without queue_log meaning', () => {
  it('callbackAttemptFailed → CALLBACKATTEMPT attempt|reason|next attempt (epoch s) in the callback queue', () => {
    const state = new QueueLogState();
    fmt({ type: 'callbackRequested', at: AT, callbackId: 'cb1', callId: 'c3', queue: 'sales', number: '0912', priority: 0, joinedAt: AT, expiresAt: AT + 86_400_000 }, state);
    expect(fmt({ type: 'callbackAttemptFailed', at: AT, callbackId: 'cb1', queue: 'sales', attempt: 1, reason: 'noAnswer', nextAt: AT + 60_000 }, state)).toEqual([
      `${T}|cb1|sales|NONE|CALLBACKATTEMPT|1|noAnswer|1767600060`,
    ]);
    fmt({ type: 'callbackFinished', at: AT, callbackId: 'cb1', outcome: 'failed', attempts: 3 }, state);
    // The event carries its queue: right even when the request predates what the writer has seen (a restart).
    expect(fmt({ type: 'callbackAttemptFailed', at: AT, callbackId: 'cb1', queue: 'sales', attempt: 3, reason: 'busy' }, state)).toEqual([`${T}|cb1|sales|NONE|CALLBACKATTEMPT|3|busy|`]);
  });

  it.each<GatewayEvent>([
    { type: 'campaignSubmitted', at: AT, campaignId: 'k1', name: 'x', targets: 3 },
    { type: 'campaignDialled', at: AT, campaignId: 'k1', targetId: 't1', number: '1', attempt: 1, callId: 'c9' },
    { type: 'campaignFinished', at: AT, campaignId: 'k1', counts: { answered: 1, confirmed: 0, busy: 0, noAnswer: 0, failed: 0 } },
    { type: 'callOffered', at: AT, callId: 'c1', trunkId: 'gsm0', channel: 1, callerId: { kind: 'withheld' }, dialled: '100' },
    { type: 'agentRung', at: AT, callId: 'c1', queue: 'sales', agent: 'a7' },
    { type: 'agentStateChanged', at: AT, agent: 'a7', from: 'available', to: 'ringing' },
    { type: 'surveyAnswered', at: AT, callId: 'c1', queue: 'sales', agent: 'a7', score: 5 },
    { type: 'callbackConnected', at: AT, callbackId: 'cb1', callId: 'c4', agent: 'a7', queue: 'sales', delayMs: 1 },
    { type: 'gatewayStarted', at: AT, recovered: { liveCallsClosed: 0, callbacksPending: 0, campaignsActive: 0 } },
  ])('$type → no line', (ev) => {
    expect(fmt(ev)).toEqual([]);
  });
});

describe('field sanitising', () => {
  it('never lets | CR or LF split a line', () => {
    expect(sanitizeField('a|b\r\nc')).toBe('a_b__c');
    const [line] = fmt({ type: 'queueEntered', at: AT, callId: 'c|1', queue: 'sa\nles', callerNumber: '09|12', position: 1, priority: 0, joinedAt: AT, kind: 'inbound' });
    expect(line).toBe(`${T}|c_1|sa_les|NONE|ENTERQUEUE||09_12|1`);
    expect(fmt({ type: 'agentPaused', at: AT, agent: 'a7', reason: 'coffee|break\n', auto: false })).toEqual([`${T}|NONE|NONE|a7|PAUSEALL|coffee_break_`]);
  });

  it('formatQueueLogLine: no data → no trailing separator; [""] → Asterisk trailing "|"', () => {
    const base = { time: 5, callid: 'NONE', queue: 'NONE', agent: 'NONE', event: 'QUEUESTART' };
    expect(formatQueueLogLine({ ...base, data: [] })).toBe('5|NONE|NONE|NONE|QUEUESTART');
    expect(formatQueueLogLine({ ...base, data: [''] })).toBe('5|NONE|NONE|NONE|QUEUESTART|');
  });
});
