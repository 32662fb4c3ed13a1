import { describe, expect, it } from 'vitest';
import type { ClccEntry } from '../messages/Urc.ts';
import { cid, clip, dtmf, entry, ring, setup, type Recorded } from './testSupport.ts';

/**
 * The agent leg of a conference or transfer: the customer call is held
 * (AT+CHLD=2), the agent is dialled as a second call, its index learned from
 * CLCC as the outgoing call that is not the first (27.007 §7.13; gsm-modems.md §3).
 */

const CUSTOMER = cid('+27821231234');
const AGENT = '+27820009999';
const mpty = (e: ClccEntry): ClccEntry => ({ ...e, multiparty: true });

function customerOnHold() {
  const t = setup();
  t.tracker.onUrc(ring());
  t.tracker.onUrc(clip(CUSTOMER));
  t.tracker.answered('m1-1');
  t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
  t.take();
  t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234')]); // after AT+CHLD=2
  expect(t.take()).toEqual<Recorded[]>([['holdChanged', { callId: 'm1-1', held: true }]]);
  return t;
}

describe('CallTracker: second call (conference / transfer agent leg)', () => {
  it('first call held, second dialing → alerting → active, second ends → first continues', () => {
    const t = customerOnHold();
    const agent = t.tracker.secondCallStarted(AGENT);
    expect(agent).toBe('m1-2');
    t.tracker.dialFinished(agent, 'ok');
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234'), entry(2, 'out', 'dialing', AGENT)]);
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234'), entry(2, 'out', 'alerting', AGENT)]);
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234'), entry(2, 'out', 'active', AGENT)]);
    expect(t.take()).toEqual<Recorded[]>([
      ['dialProgress', { callId: agent, state: 'dialing' }],
      ['dialProgress', { callId: agent, state: 'alerting' }],
      ['dialProgress', { callId: agent, state: 'active' }],
      ['active', { callId: agent, index: 2 }],
    ]);
    expect(t.tracker.calls().map((c) => [c.callId, c.leg, c.index, c.phase])).toEqual([
      ['m1-1', 'first', 1, 'held'],
      [agent, 'second', 2, 'active'],
    ]);
    // Agent's DTMF goes to the connected (agent) call, not the held customer.
    t.tracker.onUrc(dtmf('3'));
    // The agent hangs up; the customer is still held, then resumed (AT+CHLD=2).
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234')]);
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    t.tracker.onUrc(dtmf('4'));
    expect(t.take()).toEqual<Recorded[]>([
      ['dtmf', { callId: agent, digit: '3' }],
      ['ended', { callId: agent, index: 2, reason: 'remote' }],
      ['holdChanged', { callId: 'm1-1', held: false }],
      ['dtmf', { callId: 'm1-1', digit: '4' }],
    ]);
    expect(t.clock.pendingTimers()).toEqual(['clccPoll']);
  });

  it('the second leg gets the index that is not the first, even when both outgoing calls lack one', () => {
    const t = setup();
    const first = t.tracker.dialStarted('+27821231234');
    t.tracker.dialFinished(first, 'ok');
    const second = t.tracker.secondCallStarted(AGENT);
    t.tracker.dialFinished(second, 'ok');
    t.take();
    // Listed in reverse order: the modem gave the first call the lower index.
    t.tracker.onClcc([entry(2, 'out', 'alerting', AGENT), entry(1, 'out', 'held', '+27821231234')]);
    expect(t.tracker.calls().map((c) => [c.callId, c.index])).toEqual([
      [first, 1],
      [second, 2],
    ]);
    expect(t.take()).toEqual<Recorded[]>([
      ['dialProgress', { callId: first, state: 'active' }],
      ['active', { callId: first, index: 1 }],
      ['holdChanged', { callId: first, held: true }],
      ['dialProgress', { callId: second, state: 'alerting' }],
    ]);
  });

  it('conference (AT+CHLD=3): both legs active; the agent leaving keeps the customer', () => {
    const t = customerOnHold();
    const agent = t.tracker.secondCallStarted(AGENT);
    t.tracker.dialFinished(agent, 'ok');
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234'), entry(2, 'out', 'active', AGENT)]);
    t.take();
    t.tracker.onClcc([mpty(entry(1, 'in', 'active', '+27821231234')), mpty(entry(2, 'out', 'active', AGENT))]);
    expect(t.take()).toEqual<Recorded[]>([['holdChanged', { callId: 'm1-1', held: false }]]);
    t.tracker.localHangup(agent); // AT+CHLD=12 returned OK
    t.tracker.onClcc([entry(1, 'in', 'active', '+27821231234')]);
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: agent, index: 2, reason: 'local' }]]);
    expect(t.tracker.calls().map((c) => c.callId)).toEqual(['m1-1']);
  });

  it('transfer (AT+CHLD=4): the modem drops out, both calls vanish from CLCC', () => {
    const t = customerOnHold();
    const agent = t.tracker.secondCallStarted(AGENT);
    t.tracker.dialFinished(agent, 'ok');
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234'), entry(2, 'out', 'active', AGENT)]);
    t.take();
    t.tracker.onClcc([]);
    expect(t.take()).toEqual([]); // confirmed by a second answer (issue #9)
    t.tracker.onClcc([]);
    expect(t.take()).toEqual<Recorded[]>([
      ['ended', { callId: 'm1-1', index: 1, reason: 'remote' }],
      ['ended', { callId: agent, index: 2, reason: 'remote' }],
    ]);
    expect(t.clock.pendingTimers()).toEqual([]);
  });

  it('the agent not answering: second leg ends failed, first call untouched', () => {
    const t = customerOnHold();
    const agent = t.tracker.secondCallStarted(AGENT);
    t.tracker.dialFinished(agent, 'ok');
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234'), entry(2, 'out', 'alerting', AGENT)]);
    t.take();
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234')]);
    expect(t.take()).toEqual([]); // confirmed by a second answer (issue #9)
    t.tracker.onClcc([entry(1, 'in', 'held', '+27821231234')]);
    expect(t.take()).toEqual<Recorded[]>([['ended', { callId: agent, index: 2, reason: 'failed' }]]);
    expect(t.tracker.calls().map((c) => [c.callId, c.phase])).toEqual([['m1-1', 'held']]);
  });
});
