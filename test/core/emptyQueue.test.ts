import { describe, expect, it } from 'vitest';
import type { SimCaller } from '../../drivers/sim/SimParty.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

// Issue #8, defect 3: a queue nobody can serve must empty, with callbacks on
// (the default) too: joinEmpty / leaveWhenEmpty ('noneLoggedIn' by default)
// and leaveEmptyAfterMs.

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;

/** Flights with the default callback settings except where `extra` (queue-level keys) says. */
function flights(extra = '', callback = ''): string {
  return `  flights:
    name: Flights
    wrapUpMs: 0
    announce: { everyMs: 0 }
    survey: { enabled: false }
${extra}${callback ? `    callback:\n${callback}\n` : ''}  trains: { name: Trains }
  hotels: { name: Hotels }`;
}

/** A flights caller; `offer` is what they press at the callback offer ('2' declines). */
function flightsCaller(w: World, number: string, offer: string): SimCaller {
  return w.call(caller(number, { keys: { 'ivr-main': '1', 'callback-offer': offer }, talkMs: 60_000 }));
}

/** The queue exits of a caller's calls (each test gives every caller its own number). */
function exitsOf(w: World, c: SimCaller) {
  const number = c.callerId.kind === 'number' ? c.callerId.number : '';
  const calls = new Set(w.ofType('queueEntered').filter((e) => e.callerNumber === number).map((e) => e.callId));
  return w.ofType('queueExited').filter((e) => calls.has(e.callId));
}

function offersHeard(c: SimCaller): number {
  return c.heard.filter((h) => h.startsWith('callback-offer')).length;
}

describe('joining an empty queue (callbacks on, the default)', () => {
  it('offers a caller the callback; declining ends the call with EXITEMPTY instead of waiting forever', () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: AGENTS }));
    const c = flightsCaller(w, '+989121000001', '2');
    w.run(60_000);
    expect(offersHeard(c)).toBe(1);
    expect(w.ofType('callbackOfferDeclined')).toMatchObject([{ queue: 'flights', reason: 'declined' }]);
    expect(exitsOf(w, c)).toMatchObject([{ queue: 'flights', reason: 'empty' }]);
    expect(c.heard.at(-1)).toBe('queue-empty');
    expect(c.outcome).toBe('hungUpByGateway');
    expect(w.gw.snapshot().queues.find((q) => q.id === 'flights')!.waiting).toEqual([]);
    expectConsistentLifecycles(w.events);
  });

  it('a caller who does not answer the offer leaves too; one who accepts is booked', () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: AGENTS }));
    const silent = flightsCaller(w, '+989121000002', '');
    const accepts = flightsCaller(w, '+989121000003', '1');
    w.run(60_000);
    expect(exitsOf(w, silent)).toMatchObject([{ reason: 'empty' }]);
    expect(silent.outcome).toBe('hungUpByGateway');
    expect(exitsOf(w, accepts)).toMatchObject([{ reason: 'key', key: '1' }]);
    expect(w.ofType('callbackRequested')).toMatchObject([{ queue: 'flights', number: '+989121000003' }]);
    expectConsistentLifecycles(w.events);
  });
});

describe('leaving a queue that became empty', () => {
  it('the last agent logs out: waiting callers are offered a callback once, then leave with EXITEMPTY', () => {
    const w = makeWorld(siteYaml({ queues: flights('', '      offerAtPosition: 2'), agents: AGENTS }));
    w.login('a1');
    w.gw.agentPause('a1', 'Meeting');
    const first = flightsCaller(w, '+989121000011', '1');
    w.run(2_000);
    const second = flightsCaller(w, '+989121000012', '2');
    w.run(2_000);
    const third = flightsCaller(w, '+989121000013', '2');
    w.run(60_000);
    // Positions 2 and 3 were offered on joining and declined; position 1 was not offered.
    expect([first, second, third].map(offersHeard)).toEqual([0, 1, 1]);
    expect(w.ofType('queueExited')).toEqual([]);

    const logoutAt = w.clock.now();
    w.gw.agentLogout('a1');
    w.run(60_000);
    // Position 1 now gets the offer and takes it; the others already had theirs and leave at once.
    expect([first, second, third].map(offersHeard)).toEqual([1, 1, 1]);
    expect(exitsOf(w, first)).toMatchObject([{ reason: 'key', key: '1' }]);
    expect(w.ofType('callbackRequested')).toMatchObject([{ number: '+989121000011' }]);
    for (const c of [second, third]) {
      const [exit] = exitsOf(w, c);
      expect(exit).toMatchObject({ reason: 'empty' });
      expect(exit!.at - logoutAt).toBeLessThan(1_000);
      expect(c.outcome).toBe('hungUpByGateway');
    }
    expectConsistentLifecycles(w.events);
  });

  it('an agent logging out during a call counts as gone: the callers behind leave before that call ends', () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: AGENTS }));
    w.login('a1');
    const talking = w.call(caller('+989121000020', { keys: { 'ivr-main': '1' }, talkMs: 30 * 60_000 }));
    w.run(30_000);
    expect(talking.connectedAt).not.toBeNull();
    const waiting = flightsCaller(w, '+989121000021', '2');
    w.run(30_000);
    expect(w.ofType('queueExited')).toEqual([]);
    w.gw.agentLogout('a1');
    w.run(60_000);
    expect(offersHeard(waiting)).toBe(1);
    expect(exitsOf(w, waiting)).toMatchObject([{ reason: 'empty' }]);
    expect(waiting.outcome).toBe('hungUpByGateway');
    expect(talking.live).toBe(true);
    w.run(30 * 60_000);
    expect(w.ofType('agentLoggedOut')).toMatchObject([{ agent: 'a1' }]);
    expectConsistentLifecycles(w.events);
  });

  it("by default paused agents count as present: callers wait through a break and are served", () => {
    const w = makeWorld(siteYaml({ queues: flights(), agents: AGENTS }));
    w.login('a1', 'a2');
    w.gw.agentPause('a1', 'Lunch');
    w.gw.agentPause('a2', 'Lunch');
    const c = flightsCaller(w, '+989121000031', '2');
    w.run(20 * 60_000);
    expect(offersHeard(c)).toBe(0);
    expect(w.ofType('queueExited')).toEqual([]);
    w.gw.agentUnpause('a2');
    w.run(5 * 60_000);
    expect(w.ofType('queueConnected')).toMatchObject([{ agent: 'a2', queue: 'flights' }]);
  });

  it("'noneUnpaused': with every agent paused callers do not join, and waiting callers leave", () => {
    const rules = `    joinEmpty: noneUnpaused\n    leaveWhenEmpty: noneUnpaused\n`;
    const w = makeWorld(siteYaml({ queues: flights(rules), agents: AGENTS }));
    w.login('a1', 'a2');
    w.gw.agentPause('a2', 'Lunch');
    // a1 talks to one caller; another waits behind.
    const talking = w.call(caller('+989121000040', { keys: { 'ivr-main': '1' }, talkMs: 30 * 60_000 }));
    w.run(30_000);
    expect(talking.connectedAt).not.toBeNull();
    const waiting = flightsCaller(w, '+989121000041', '2');
    w.run(30_000);
    expect(w.ofType('queueExited')).toEqual([]);
    // a1 asks for a pause during the call: nobody unpaused is left.
    const pausedAt = w.clock.now();
    w.gw.agentPause('a1', 'Lunch');
    w.run(30_000);
    expect(offersHeard(waiting)).toBe(1);
    const [exit] = exitsOf(w, waiting);
    expect(exit).toMatchObject({ reason: 'empty' });
    expect(exit!.at - pausedAt).toBeLessThan(15_000);
    // A new caller is offered the callback on joining and, declining, leaves.
    const late = flightsCaller(w, '+989121000042', '2');
    w.run(30_000);
    expect(offersHeard(late)).toBe(1);
    expect(exitsOf(w, late)).toMatchObject([{ reason: 'empty' }]);
    expect(late.outcome).toBe('hungUpByGateway');
    expect(talking.live).toBe(true);
    w.run(30 * 60_000);
    expectConsistentLifecycles(w.events);
  });

  it('leaveEmptyAfterMs: callers stay when an agent logs back in within the grace, and are served', () => {
    const w = makeWorld(siteYaml({ queues: flights(`    leaveEmptyAfterMs: 2m\n`), agents: AGENTS }));
    w.login('a1');
    w.gw.agentPause('a1', 'Meeting');
    const first = flightsCaller(w, '+989121000051', '2');
    w.run(2_000);
    const second = flightsCaller(w, '+989121000052', '2');
    w.run(30_000);
    // Logged out for 90 s, inside the 2-minute grace: nobody is asked to leave.
    w.gw.agentLogout('a1');
    w.run(90_000);
    expect(w.ofType('queueExited')).toEqual([]);
    w.gw.agentLogin('a1');
    w.run(10 * 60_000);
    expect([first, second].map(offersHeard)).toEqual([0, 0]);
    expect(w.ofType('queueExited')).toEqual([]);
    expect(w.ofType('queueConnected')).toMatchObject([{ agent: 'a1' }, { agent: 'a1' }]);
    expect([first, second].map((c) => c.outcome)).toEqual(['completed', 'completed']);
    expectConsistentLifecycles(w.events);
  });

  it('leaveEmptyAfterMs: callers leave once the queue has been empty for the grace', () => {
    const w = makeWorld(siteYaml({ queues: flights(`    leaveEmptyAfterMs: 2m\n`), agents: AGENTS }));
    w.login('a1');
    w.gw.agentPause('a1', 'Meeting');
    const first = flightsCaller(w, '+989121000051', '2');
    w.run(2_000);
    const second = flightsCaller(w, '+989121000052', '2');
    w.run(30_000);
    const logoutAt = w.clock.now();
    w.gw.agentLogout('a1');
    w.run(119_000);
    expect([first, second].map(offersHeard)).toEqual([0, 0]);
    expect(w.ofType('queueExited')).toEqual([]);
    w.run(60_000);
    // After the grace both are offered a callback, decline and leave.
    expect([first, second].map(offersHeard)).toEqual([1, 1]);
    for (const c of [first, second]) {
      const [exit] = exitsOf(w, c);
      expect(exit).toMatchObject({ reason: 'empty' });
      expect(exit!.at - logoutAt).toBeGreaterThanOrEqual(120_000);
      expect(c.outcome).toBe('hungUpByGateway');
    }
    expectConsistentLifecycles(w.events);
  });
});
