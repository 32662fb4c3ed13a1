import { describe, expect, it } from 'vitest';
import { callState, cid, clip, dtmf, ended, entry, ring, setup, type Recorded } from './testSupport.ts';

/** Answer, end, poll and DTMF behaviour (gsm-modems.md P5, P12, scenarios 11 and 15). */

const CALLER = cid('+27821231234');

/** An incoming call answered by the host and confirmed by CLCC at index 1. */
function connectedCall(opts: Parameters<typeof setup>[0] = {}) {
  const t = setup(opts);
  t.tracker.onUrc(ring());
  t.tracker.onUrc(clip(CALLER));
  t.tracker.answered('m1-1');
  t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
  expect(t.take()).toEqual<Recorded[]>([
    ['incoming', { callId: 'm1-1', index: null, callerId: CALLER }],
    ['ringing', { callId: 'm1-1', count: 1 }],
    ['active', { callId: 'm1-1', index: null }],
  ]);
  return t;
}

describe('CallTracker: CLCC polling during calls (P12)', () => {
  it('polls every clccPollMs while a call exists and stops when idle: no timer left', () => {
    const t = connectedCall();
    const before = t.clccRequests();
    t.clock.advance(2000);
    expect(t.clccRequests()).toBe(before + 1);
    t.clock.advance(2000);
    expect(t.clccRequests()).toBe(before + 2);
    expect(t.clock.pendingTimers()).toEqual(['clccPoll']);
    t.tracker.localHangup('m1-1');
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-1', index: 1, reason: 'local' }]]);
    expect(t.clock.pendingTimers()).toEqual([]);
    t.clock.advance(10_000);
    expect(t.clccRequests()).toBe(before + 2);
  });

  it('scenario 15: remote hangs up, DCE sends nothing; the empty answer at the next poll, confirmed at once, releases the call', () => {
    const t = connectedCall();
    const before = t.clccRequests();
    t.clock.advance(2000);
    expect(t.clccRequests()).toBe(before + 1);
    t.tracker.onClcc([]); // `AT+CLCC` answered with `OK` only
    expect(t.take()).toEqual([]);
    expect(t.clccRequests()).toBe(before + 2); // the confirming poll, without waiting for the next interval
    t.tracker.onClcc([]);
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-1', index: 1, reason: 'remote' }]]);
    expect(t.clock.pendingTimers()).toEqual([]);
  });

  it('issue #9: one empty answer (a late OK that was someone else’s) ends nothing; a list with the call again resets the count', () => {
    const t = connectedCall();
    t.tracker.onClcc([]);
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    t.tracker.onClcc([]);
    t.clock.advance(2000);
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    expect(t.take()).toEqual([]);
    expect(t.tracker.calls().map((c) => [c.callId, c.phase])).toEqual([['m1-1', 'active']]);
  });

  it('an incomplete answer (a +CLCC line refused) counts no miss', () => {
    const t = connectedCall();
    t.tracker.onClcc([]);
    t.tracker.onClcc([], false);
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    t.tracker.onClcc([]);
    expect(t.take()).toEqual([]);
  });
});

describe('CallTracker: call-ended URCs (P5, scenario 11)', () => {
  it('NO CARRIER while AT+CSQ is pending during a call: the call ends at once, without waiting for the poll', () => {
    const t = connectedCall();
    t.tracker.onUrc(ended('noCarrier'));
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-1', index: 1, reason: 'remote' }]]);
    expect(t.clock.pendingTimers()).toEqual([]);
  });

  it('BUSY after ATD already returned OK: the outbound call fails busy', () => {
    const t = setup();
    const id = t.tracker.dialStarted('+27821231234');
    t.tracker.dialFinished(id, 'ok');
    t.tracker.onUrc(ended('busy'));
    expect(t.take()).toEqual<Recorded[]>([
      ['dialProgress', { callId: id, state: 'dialing' }],
      ['ended', { callId: id, index: null, reason: 'busy' }],
    ]);
  });

  it('with two calls up, NO CARRIER only triggers a CLCC query; the answer decides which one ended', () => {
    const t = connectedCall();
    t.tracker.onUrc(clip(cid('+27820005555'), true));
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234'), entry(2, 'in', 'waiting', '+27820005555')]);
    t.take();
    const before = t.clccRequests();
    t.tracker.onUrc(ended('noCarrier'));
    expect(t.take()).toEqual([]);
    expect(t.clccRequests()).toBe(before + 1);
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    expect(t.take()).toEqual([]);
    expect(t.clccRequests()).toBe(before + 2);
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-2', index: 2, reason: 'remote' }]]);
  });

  it('proprietary call-state URCs only trigger CLCC (^CONN, ^ORIG, VOICE CALL: BEGIN)', () => {
    const t = connectedCall();
    const before = t.clccRequests();
    t.tracker.onUrc(callState(1, 'active', '^CONN'));
    t.tracker.onUrc(callState(null, 'active', 'VOICE CALL: BEGIN'));
    expect(t.clccRequests()).toBe(before + 2);
    expect(t.take()).toEqual([]);
  });

  it('^CEND:1,5,29,16 naming a known call ends it at once', () => {
    const t = connectedCall();
    t.tracker.onUrc(callState(1, 'ended', '^CEND', 16));
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-1', index: 1, reason: 'remote' }]]);
  });

  it('^CEND with Q.850 cause 17 (user busy) on a call being dialled ends it busy', () => {
    const t = setup();
    const id = t.tracker.dialStarted('+27821231234');
    t.tracker.dialFinished(id, 'ok');
    t.tracker.onUrc(callState(1, 'ended', '^CEND', 17));
    expect(t.take().at(-1)).toEqual<Recorded>(['ended', { callId: id, index: null, reason: 'busy' }]);
  });

  it('a NO CARRIER right after a local hang-up is that hang-up’s echo: the other call stays', () => {
    const t = connectedCall();
    const second = t.tracker.secondCallStarted('+27820009999');
    t.tracker.dialFinished(second, 'ok');
    t.take();
    t.tracker.localHangup(second);
    t.tracker.onUrc(ended('noCarrier'));
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: second, index: null, reason: 'local' }]]);
    expect(t.tracker.calls().map((c) => c.callId)).toEqual(['m1-1']);
    // Once the echo window is over, NO CARRIER with one call up ends it again.
    t.clock.advance(2000);
    t.tracker.onUrc(ended('noCarrier'));
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-1', index: 1, reason: 'remote' }]]);
  });
});

describe('CallTracker: stale and reused CLCC entries', () => {
  it('a CLCC answer produced before NO CARRIER does not resurrect the call', () => {
    const t = connectedCall();
    t.tracker.onUrc(ended('noCarrier'));
    t.take();
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    expect(t.take()).toEqual([]);
    expect(t.clock.pendingTimers()).toEqual([]);
    // After the tombstone expired an unknown incoming call is adopted normally.
    t.clock.advance(5000);
    t.tracker.onClcc([entry(1, 'in', 'incoming', '+27820001234')]);
    expect(t.take()).toEqual<Recorded[]>([['incoming', { callId: 'm1-2', index: 1, callerId: cid('+27820001234') }]]);
  });

  it('an index that now lists a ringing call means the old call ended unseen (lost URC, index reused)', () => {
    const t = connectedCall();
    t.tracker.onClcc([entry(1, 'in', 'incoming', '+27820001234')]);
    expect(t.take()).toEqual<Recorded[]>([
      ['ended', { callId: 'm1-1', index: 1, reason: 'remote' }],
      ['incoming', { callId: 'm1-2', index: 1, callerId: cid('+27820001234') }],
    ]);
  });

  it('a call known only from RING survives one empty answer (it may predate the RING) and ends at the second', () => {
    const t = setup();
    t.tracker.onUrc(ring());
    t.clock.advance(200);
    t.take();
    t.tracker.onClcc([]);
    expect(t.take()).toEqual([]);
    t.tracker.onClcc([]);
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-1', index: null, reason: 'remote' }]]);
  });

  it('SIM7600 pushed +CLCC lines: index learned, stat 6 ends the call, a single line sweeps nothing', () => {
    const t = setup({ pushesClcc: () => true });
    t.tracker.onUrc(ring('VOICE'));
    t.tracker.onUrc(clip(CALLER));
    t.tracker.onUrc({ kind: 'callListEntry', entry: entry(1, 'in', 'incoming', '+27821231234') });
    t.tracker.answered('m1-1');
    t.tracker.onUrc(clip(cid('+27820005555'), true));
    t.tracker.onUrc({ kind: 'callListEntry', entry: entry(2, 'in', 'waiting', '+27820005555') });
    t.take();
    expect(t.tracker.calls().map((c) => c.index)).toEqual([1, 2]);
    t.tracker.onUrc({ kind: 'callListEntry', entry: entry(2, 'in', 'ended', '+27820005555') });
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: 'm1-2', index: 2, reason: 'remote' }]]);
    expect(t.tracker.calls().map((c) => c.callId)).toEqual(['m1-1']);
  });
});

describe('CallTracker: unsolicited +CLCC on a family that does not push them (issue #9)', () => {
  it('is a late answer: it never creates or resurrects a call, it only asks for a fresh list', () => {
    const t = connectedCall();
    t.tracker.onUrc(ended('noCarrier'));
    t.take();
    t.clock.advance(10_000); // long after the tombstone
    const before = t.clccRequests();
    t.tracker.onUrc({ kind: 'callListEntry', entry: entry(1, 'in', 'active', '+27821231234') });
    expect(t.take()).toEqual([]);
    expect(t.tracker.calls()).toEqual([]);
    expect(t.clccRequests()).toBe(before + 1);
  });

  it('changes nothing about a call that is up (no state from an old snapshot)', () => {
    const t = connectedCall();
    t.tracker.onUrc({ kind: 'callListEntry', entry: entry(1, 'in', 'held', '+27821231234') });
    expect(t.take()).toEqual([]);
    expect(t.tracker.calls().map((c) => c.phase)).toEqual(['active']);
  });

  it('where the family pushes them, an unknown incoming one is adopted', () => {
    const t = setup({ pushesClcc: () => true });
    t.tracker.onUrc({ kind: 'callListEntry', entry: entry(1, 'in', 'incoming', '+27821231234') });
    expect(t.take()).toEqual<Recorded[]>([['incoming', { callId: 'm1-1', index: 1, callerId: CALLER }]]);
  });
});

describe('CallTracker: dial outcomes', () => {
  it.each([
    ['busy', 'busy'],
    ['noAnswer', 'noAnswer'],
    ['noCarrier', 'failed'],
    ['failed', 'failed'],
  ] as const)('ATD final %s → ended %s, no timer left', (outcome, reason) => {
    const t = setup();
    const id = t.tracker.dialStarted('+27821231234');
    expect(t.clock.pendingTimers()).toEqual(['clccPoll']);
    t.tracker.dialFinished(id, outcome);
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: id, index: null, reason }]]);
    expect(t.clock.pendingTimers()).toEqual([]);
  });

  it('while ATD is in flight an empty CLCC answer does not sweep the call', () => {
    const t = setup();
    const id = t.tracker.dialStarted('+27821231234');
    t.tracker.onClcc([]);
    t.tracker.onClcc([]);
    expect(t.take()).toEqual([]);
    t.tracker.onClcc([entry(1, 'out', 'dialing', '+27821231234')]);
    t.tracker.dialFinished(id, 'ok');
    t.tracker.onClcc([entry(1, 'out', 'alerting', '+27821231234')]);
    t.tracker.onClcc([entry(1, 'out', 'active', '+27821231234')]);
    t.tracker.onClcc([entry(1, 'out', 'active', '+27821231234')]);
    expect(t.take()).toEqual<Recorded[]>([
      ['dialProgress', { callId: id, state: 'dialing' }],
      ['dialProgress', { callId: id, state: 'alerting' }],
      ['dialProgress', { callId: id, state: 'active' }],
      ['active', { callId: id, index: 1 }],
    ]);
  });

  it('Wavecom (atdOkOnlyOnAnswer): ATD OK means the far end answered', () => {
    const t = setup({ atdOkMeansAnswered: true });
    const id = t.tracker.dialStarted('+27821231234');
    t.tracker.dialFinished(id, 'ok');
    expect(t.take()).toEqual<Recorded[]>([
      ['dialProgress', { callId: id, state: 'active' }],
      ['active', { callId: id, index: null }],
    ]);
  });
});

describe('CallTracker: DTMF and line failure', () => {
  it('DTMF goes to the connected call; repeated digits are separate events; none up → dropped with a debug log', () => {
    const t = setup();
    t.tracker.onUrc(dtmf('5'));
    expect(t.take()).toEqual([]);
    expect(t.records.some((r) => r.level === 'debug' && r.digit === '5' && /dropped/.test(r.msg))).toBe(true);
    t.tracker.onUrc(clip(CALLER));
    t.tracker.onUrc(dtmf('1')); // still ringing: not connected
    t.tracker.answered('m1-1');
    t.take();
    for (const d of ['8', '#', '5', '*', '1', '8']) t.tracker.onUrc(dtmf(d));
    expect(t.take()).toEqual(['8', '#', '5', '*', '1', '8'].map((digit): Recorded => ['dtmf', { callId: 'm1-1', digit }]));
  });

  it('modemLost ends every call lineFailed and leaves no timer', () => {
    const t = connectedCall();
    t.tracker.onUrc(ring());
    t.take();
    t.tracker.modemLost();
    expect(t.take()).toEqual<Recorded[]>([
      ['ended', { callId: 'm1-1', index: 1, reason: 'lineFailed' }],
      ['incoming', { callId: 'm1-2', index: null, callerId: null }],
      ['ringing', { callId: 'm1-2', count: 1 }],
      ['ended', { callId: 'm1-2', index: null, reason: 'lineFailed' }],
    ]);
    expect(t.clock.pendingTimers()).toEqual([]);
    expect(t.tracker.calls()).toEqual([]);
  });

  it('inputs for a call that already ended are ignored with a debug log', () => {
    const t = setup();
    t.tracker.answered('m1-9');
    t.tracker.dialFinished('m1-9', 'ok');
    expect(t.take()).toEqual([]);
    expect(t.records.filter((r) => r.callId === 'm1-9')).toHaveLength(2);
  });
});
