import { describe, expect, it } from 'vitest';
import { formatQueueLog, QueueLogState } from '../../gateway/queuelog/formatQueueLog.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

// Issue #8, defects 4 and 5: a customer-first callback is completed only when
// an agent answers; a customer is never dialled twice at once nor while on a
// call with us; a live answer in the queue satisfies a pending callback; the
// callback window is checked again when the customer is dialled.

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a3, endpoint: '+989120000003', queues: [trains] }`;

/** Queues whose callers are offered a callback at once (position 1); `flightsCallback` adds lines to flights' callback block. */
function queues(flightsCallback = '', extraFlights = ''): string {
  const q = (id: string, name: string, cb: string, extra = '') => `  ${id}:
    name: ${name}
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
${extra}    callback:
      offerAtPosition: 1
${cb}`;
  return [q('flights', 'Flights', flightsCallback, extraFlights), q('trains', 'Trains', ''), `  hotels: { name: Hotels }`].join('\n');
}

const X = '+989125550001';

/** `number` rings `digit` on the menu and books a callback (its queue's agent is paused); returns when the booking call is over. */
function book(w: World, number: string, digit: '1' | '2'): void {
  const c = w.call(caller(number, { keys: { 'ivr-main': digit, 'callback-offer': '1' } }));
  for (let t = 0; t < 120 && c.live; t++) w.run(500);
  expect(c.outcome).not.toBeNull();
}

function queueLog(w: World): string[] {
  const state = new QueueLogState();
  const lines: string[] = [];
  for (const e of w.events) {
    lines.push(...formatQueueLog(e, state));
    state.observe(e);
  }
  return lines;
}

describe('customer-first callback completed only when an agent answers', () => {
  it('a customer who hangs up after the intro, before the agent answers, is a failed attempt retried after the gap', () => {
    const w = makeWorld(siteYaml({ queues: queues('      mode: customerFirst\n      attempts: 3\n      retryGapMs: 5m'), agents: AGENTS }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    book(w, X, '1');
    // First attempt: the customer answers, hears the intro, and hangs up 5 s
    // after answering, while the agent's phone still rings (answers after 3 s).
    w.net.addSubscriber(X, { answerAfterMs: 2_000, patienceMs: 5_000 });
    w.gw.agentUnpause('a1');
    w.run(60_000);
    const first = w.net.subscriber(X)!.calls;
    expect(first).toHaveLength(1);
    expect(first[0]!.heard).toContain('callback-customer-intro');
    expect(first[0]!.outcome).toBe('abandoned');
    expect(w.ofType('queueConnected')).toEqual([]);
    expect(w.ofType('callbackFinished')).toEqual([]);
    const failed = w.ofType('callbackAttemptFailed');
    expect(failed).toMatchObject([{ attempt: 1, reason: 'hungUp', queue: 'flights' }]);
    expect(failed[0]!.nextAt! - failed[0]!.at).toBe(5 * 60_000);
    expect(w.store.callbacks.active()).toMatchObject([{ status: 'pending', attempts: 1 }]);

    // Second attempt, after the gap: the customer stays and is put through.
    w.net.addSubscriber(X, { answerAfterMs: 2_000, talkMs: 60_000 });
    w.run(20 * 60_000);
    const dialled = w.ofType('callbackDialled');
    expect(dialled.map((d) => d.attempt)).toEqual([1, 2]);
    expect(dialled[1]!.at).toBeGreaterThanOrEqual(failed[0]!.nextAt!);
    const connected = w.ofType('queueConnected');
    expect(connected).toMatchObject([{ agent: 'a1', queue: 'flights', kind: 'callback' }]);
    expect(w.ofType('callbackConnected')).toMatchObject([{ agent: 'a1', callId: connected[0]!.callId }]);
    const finished = w.ofType('callbackFinished');
    expect(finished).toMatchObject([{ outcome: 'completed', attempts: 2 }]);
    expect(finished[0]!.at).toBeGreaterThanOrEqual(connected[0]!.at);
    expect(w.net.subscriber(X)!.last!.outcome).toBe('completed');
    expectConsistentLifecycles(w.events);
  });

  it("the callback leg's queueConnected carries the kind 'callback'", () => {
    const w = makeWorld(siteYaml({ queues: queues('      mode: customerFirst'), agents: AGENTS }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    book(w, X, '1');
    w.net.addSubscriber(X, { talkMs: 60_000 });
    w.gw.agentUnpause('a1');
    w.run(10 * 60_000);
    expect(w.ofType('queueConnected')).toMatchObject([{ agent: 'a1', kind: 'callback' }]);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed', attempts: 1 }]);
    expectConsistentLifecycles(w.events);
  });
});

describe('callback duplicates and stale callbacks', () => {
  it('one number with callbacks in two queues is never rung for both at once', () => {
    const w = makeWorld(siteYaml({ queues: queues(), agents: AGENTS }));
    w.login('a1', 'a3');
    w.gw.agentPause('a1', 'Break');
    w.gw.agentPause('a3', 'Break');
    book(w, X, '1');
    book(w, X, '2');
    expect(w.ofType('callbackRequested').map((e) => e.queue)).toEqual(['flights', 'trains']);
    w.net.addSubscriber(X, { talkMs: 60_000 });
    // Both agents become ready at the same moment; both callbacks are due.
    w.gw.agentUnpause('a1');
    w.gw.agentUnpause('a3');
    w.run(30 * 60_000);
    const calls = w.net.subscriber(X)!.calls;
    expect(calls[0]!.answeredAt).not.toBeNull();
    // The second callback is dialled only once the customer's first conversation
    // is over (an agent-first leg carries the agent's number, not theirs), so no
    // attempt is burnt on busy.
    for (const later of calls.slice(1)) expect(later.startedAt).toBeGreaterThanOrEqual(calls[0]!.answeredAt! + 60_000);
    expect(w.ofType('callbackAttemptFailed')).toEqual([]);
    expect(w.ofType('callbackFinished').map((e) => [e.outcome, e.attempts])).toEqual([['completed', 1], ['completed', 1]]);
    expectConsistentLifecycles(w.events);
  });

  it('a callback is not dialled while the customer waits in another of our queues; it goes out once they hang up', () => {
    const w = makeWorld(siteYaml({ queues: queues(), agents: AGENTS }));
    w.login('a1', 'a3');
    w.gw.agentPause('a1', 'Break');
    w.gw.agentPause('a3', 'Break');
    book(w, X, '1');
    w.net.addSubscriber(X, { talkMs: 60_000 });
    // X rings again, for trains, and waits there (declining trains' offer) for 5 minutes.
    const live = w.call(caller(X, { keys: { 'ivr-main': '2', 'callback-offer': '2' }, patienceMs: 5 * 60_000 }));
    w.run(30_000);
    w.gw.agentUnpause('a1');
    w.run(4 * 60_000);
    expect(live.live).toBe(true);
    expect(w.net.subscriber(X)!.calls).toEqual([]);
    expect(w.ofType('callbackDialled')).toEqual([]);
    w.run(2 * 60_000);
    expect(live.outcome).toBe('abandoned');
    // Agent-first: a1 is rung as soon as X's line is free, X dialled after the intro.
    const reserved = w.ofType('agentStateChanged').find((e) => e.agent === 'a1' && e.to === 'ringing')!;
    expect(reserved.at - live.endedAt!).toBeLessThan(1_000);
    w.run(10 * 60_000);
    expect(w.ofType('callbackAttemptFailed')).toEqual([]);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed', attempts: 1 }]);
    expectConsistentLifecycles(w.events);
  });

  it('a live call answered in the same queue satisfies the pending callback (CALLBACKSATISFIED)', () => {
    const w = makeWorld(siteYaml({ queues: queues(), agents: AGENTS }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    book(w, X, '1');
    const [req] = w.ofType('callbackRequested');
    w.net.addSubscriber(X, { talkMs: 60_000 });
    // X rings again for flights and waits behind their own callback's place.
    const live = w.call(caller(X, { keys: { 'ivr-main': '1', 'callback-offer': '2' }, talkMs: 60_000 }));
    w.run(30_000);
    w.gw.agentUnpause('a1');
    w.run(5 * 60_000);
    const connected = w.ofType('queueConnected');
    expect(connected).toMatchObject([{ agent: 'a1', queue: 'flights', kind: 'inbound' }]);
    expect(live.outcome).toBe('completed');
    const finished = w.ofType('callbackFinished');
    expect(finished).toMatchObject([{ callbackId: req!.callbackId, outcome: 'satisfied', attempts: 0, callId: connected[0]!.callId }]);
    // Never called back afterwards.
    w.run(4 * 3600_000);
    expect(w.ofType('callbackDialled')).toEqual([]);
    expect(w.net.subscriber(X)!.calls).toEqual([]);
    expect(w.store.callbacks.active()).toEqual([]);
    const line = queueLog(w).find((l) => l.includes('|CALLBACKSATISFIED|'));
    expect(line).toBe(`${Math.floor(finished[0]!.at / 1000)}|${req!.callbackId}|flights|NONE|CALLBACKSATISFIED|${connected[0]!.callId}`);
    expectConsistentLifecycles(w.events);
  });

  it('a live call answered in another queue does not satisfy the callback', () => {
    const w = makeWorld(siteYaml({ queues: queues(), agents: AGENTS }));
    w.login('a1', 'a3');
    w.gw.agentPause('a1', 'Break');
    book(w, X, '1');
    w.net.addSubscriber(X, { talkMs: 60_000 });
    w.call(caller(X, { keys: { 'ivr-main': '2', 'callback-offer': '2' }, talkMs: 60_000 }));
    w.run(5 * 60_000);
    expect(w.ofType('queueConnected')).toMatchObject([{ agent: 'a3', queue: 'trains' }]);
    expect(w.ofType('callbackFinished')).toEqual([]);
    w.gw.agentUnpause('a1');
    w.run(10 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed', attempts: 1 }]);
  });

  it('agent-first: an intro that runs past closing time does not dial the customer until the next opening', () => {
    const hours = `schedules:\n  callbacks:\n    weekly: { mon: '09:00-12:00', tue: '09:00-12:00' }`;
    // Monday 11:55 in Tehran (08:25 UTC); callbacks may be dialled until 12:00.
    const w = makeWorld(siteYaml({ queues: queues('      schedule: callbacks\n      expiryMs: 24h'), agents: AGENTS, extra: hours }), { start: Date.UTC(2026, 0, 5, 8, 25) });
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    book(w, X, '1');
    w.net.addSubscriber(X, { talkMs: 60_000 });
    // The agent becomes ready at 11:59:55: reserved inside the window, rung
    // (answers after 3 s) and played the intro, which ends after 12:00.
    const closing = Date.UTC(2026, 0, 5, 8, 30);
    w.run(closing - 5_000 - w.clock.now());
    w.gw.agentUnpause('a1');
    w.run(30_000);
    const reserved = w.ofType('agentStateChanged').find((e) => e.agent === 'a1' && e.to === 'ringing');
    expect(reserved!.at).toBeLessThan(closing);
    expect(w.net.agentPhone('+989120000001')!.heard).toContain(`callback-agent-intro:${X}`);
    expect(w.ofType('callbackDialled')).toEqual([]);
    expect(w.net.subscriber(X)!.calls).toEqual([]);
    expect(w.store.callbacks.active()).toMatchObject([{ status: 'pending', attempts: 0 }]);
    // Next opening: Tuesday 09:00 Tehran = 05:30 UTC.
    w.run(Date.UTC(2026, 0, 6, 6, 0) - w.clock.now());
    const dialled = w.ofType('callbackDialled');
    expect(dialled).toHaveLength(1);
    expect(dialled[0]!.at).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 6, 5, 30));
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed', attempts: 1 }]);
    expectConsistentLifecycles(w.events);
  });
});
