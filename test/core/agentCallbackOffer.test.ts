/**
 * Issue #8, defect 6: the agent-callback offer ("press 1 for the agent you
 * just spoke to") after a dropped call is made only for an agent who can
 * take the call soon (site.agentCallbackOffer, default 'unpaused'); else the
 * caller goes straight to the menu.
 */
import { describe, expect, it } from 'vitest';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 0
    survey: { enabled: false }
    callback: { enabled: false }
    announce: { everyMs: 0 }
  trains: {}
  hotels: {}`;
const DROPPED = '+989125550000';

/** A caller talks to a1 and the line drops; a2 is back and ready afterwards. */
function dropWithA1(offer?: 'ready' | 'unpaused' | 'loggedIn'): World {
  const extra = offer ? `  agentCallbackOffer: ${offer}` : '';
  // The site section comes first in the base YAML: a second `site:` key would be a duplicate, so patch it.
  const yaml = siteYaml({ queues: QUEUES, agents: AGENTS }).replace('  timeZone: Asia/Tehran\n', `  timeZone: Asia/Tehran\n${extra ? extra + '\n' : ''}`);
  const w = makeWorld(yaml);
  w.login('a1', 'a2');
  w.gw.agentPause('a2', 'Break');
  w.call(caller(DROPPED, { keys: { 'ivr-main': '1' }, talkMs: 60_000, endBy: 'drop' }));
  w.run(2 * 60_000);
  expect(w.ofType('queueCompleted')).toMatchObject([{ agent: 'a1', dropped: true }]);
  w.gw.agentUnpause('a2');
  return w;
}

/** The re-call of the dropped caller; returns its call id and the caller. */
function ringAgain(w: World) {
  const before = new Set(w.ofType('callOffered').map((e) => e.callId));
  const back = w.call(caller(DROPPED, { keys: { 'ivr-main': '1', 'agent-callback-offer': '1' }, talkMs: 20_000 }));
  w.run(500);
  const offered = w.ofType('callOffered').find((e) => !before.has(e.callId));
  expect(offered).toBeDefined();
  return { callId: offered!.callId, back };
}

/** The re-call went straight to the menu: no offer, the menu is the first thing it hears. */
function expectStraightToMenu(w: World, callId: string, back: ReturnType<World['call']>): void {
  expect(w.ofType('agentCallbackOffered').filter((e) => e.callId === callId)).toEqual([]);
  expect(w.ofType('ivrMenuEntered').filter((e) => e.callId === callId)).toMatchObject([{ menu: 'main' }]);
  expect(back.heard[0]).toBe('ivr-main');
}

describe('agent-callback offer only for an agent who can take the call', () => {
  it('a paused agent is not offered: the caller goes straight to the menu (default unpaused)', () => {
    const w = dropWithA1();
    w.gw.agentPause('a1', 'Lunch');
    const { callId, back } = ringAgain(w);
    w.run(3 * 60_000);
    expectStraightToMenu(w, callId, back);
    // Served by the queue through the menu (a2 is ready).
    expect(w.ofType('queueConnected').filter((e) => e.callId === callId)).toMatchObject([{ agent: 'a2', kind: 'inbound' }]);
    expectConsistentLifecycles(w.events);
  });

  it('a pause asked for while the agent is on another call counts as paused', () => {
    const w = dropWithA1();
    // a1 takes another caller (a2 paused again so a1 is the one), then asks for a break during that call.
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550999', { keys: { 'ivr-main': '1' }, talkMs: 5 * 60_000 }));
    w.run(30_000);
    expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')!.state).toBe('onCall');
    w.gw.agentPause('a1', 'Lunch');
    w.gw.agentUnpause('a2');
    const { callId, back } = ringAgain(w);
    w.run(10 * 60_000);
    expectStraightToMenu(w, callId, back);
    expectConsistentLifecycles(w.events);
  });

  it('a log-out asked for while the agent is on another call counts as logged out', () => {
    const w = dropWithA1();
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550999', { keys: { 'ivr-main': '1' }, talkMs: 5 * 60_000 }));
    w.run(30_000);
    expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')!.state).toBe('onCall');
    w.gw.agentLogout('a1');
    w.gw.agentUnpause('a2');
    const { callId, back } = ringAgain(w);
    w.run(10 * 60_000);
    expectStraightToMenu(w, callId, back);
    expectConsistentLifecycles(w.events);
  });

  it('an unpaused agent is offered (even while on another call) and takes the call', () => {
    const w = dropWithA1();
    const { callId, back } = ringAgain(w);
    w.run(3 * 60_000);
    expect(back.heard[0]).toBe('agent-callback-offer');
    expect(w.ofType('agentCallbackOffered')).toMatchObject([{ callId, agent: 'a1', queue: 'flights' }]);
    expect(w.ofType('queueConnected').filter((e) => e.callId === callId)).toMatchObject([{ agent: 'a1', kind: 'agentCallback' }]);
    expectConsistentLifecycles(w.events);
  });

  it("agentCallbackOffer: loggedIn offers a paused agent who is still logged in", () => {
    const w = dropWithA1('loggedIn');
    w.gw.agentPause('a1', 'Lunch');
    const { callId, back } = ringAgain(w);
    w.run(10_000);
    expect(back.heard[0]).toBe('agent-callback-offer');
    expect(w.ofType('agentCallbackOffered')).toMatchObject([{ callId, agent: 'a1' }]);
    w.gw.agentUnpause('a1');
    w.run(3 * 60_000);
    expect(w.ofType('queueConnected').filter((e) => e.callId === callId)).toMatchObject([{ agent: 'a1', kind: 'agentCallback' }]);
    expectConsistentLifecycles(w.events);
  });

  it("agentCallbackOffer: loggedIn still skips an agent who logged out", () => {
    const w = dropWithA1('loggedIn');
    w.gw.agentLogout('a1');
    const { callId, back } = ringAgain(w);
    w.run(3 * 60_000);
    expectStraightToMenu(w, callId, back);
  });

  it('agentCallbackOffer: ready does not offer an agent on another call, and does offer a ready one', () => {
    const w = dropWithA1('ready');
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550999', { keys: { 'ivr-main': '1' }, talkMs: 5 * 60_000 }));
    w.run(30_000);
    expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')!.state).toBe('onCall');
    w.gw.agentUnpause('a2');
    const first = ringAgain(w);
    w.run(10 * 60_000);
    expectStraightToMenu(w, first.callId, first.back);
    expectConsistentLifecycles(w.events);

    // Same setting, the agent free: offered.
    const w2 = dropWithA1('ready');
    const second = ringAgain(w2);
    w2.run(3 * 60_000);
    expect(second.back.heard[0]).toBe('agent-callback-offer');
    expect(w2.ofType('agentCallbackOffered')).toMatchObject([{ callId: second.callId, agent: 'a1' }]);
  });
});
