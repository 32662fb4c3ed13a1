import { describe, expect, it } from 'vitest';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

const ONE_AGENT = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 0
    survey: { enabled: false }
    callback: { enabled: false }
    announce: { everyMs: 0 }
  trains: {}
  hotels: {}`;

describe('VIP priority', () => {
  it('puts VIP callers ahead of ordinary ones, first come first served within a level', () => {
    const vip = `  - { number: '+989121111111', priority: 5 }
  - { number: '+989122222222', priority: 5 }
  - { number: '+989123333333', priority: 9 }`;
    const w = makeWorld(siteYaml({ queues: QUEUES, agents: ONE_AGENT, vip }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    for (const n of ['+989127000001', '+989121111111', '+989127000002', '+989122222222', '+989123333333']) {
      w.call(caller(n, { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
      w.run(3_000);
    }
    w.run(20_000);
    const entered = w.ofType('queueEntered');
    expect(entered.map((e) => [e.callerNumber, e.priority, e.position])).toEqual([
      ['+989127000001', 0, 1],
      ['+989121111111', 5, 1],
      ['+989127000002', 0, 3],
      ['+989122222222', 5, 2],
      ['+989123333333', 9, 1],
    ]);
    w.gw.agentUnpause('a1');
    w.run(20 * 60_000);
    const numberOf = new Map(entered.map((e) => [e.callId, e.callerNumber]));
    expect(w.ofType('queueConnected').map((e) => numberOf.get(e.callId))).toEqual(['+989123333333', '+989121111111', '+989122222222', '+989127000001', '+989127000002']);
  });
});

describe('agent callback after a dropped call', () => {
  const agents = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;

  function dropFirst() {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents }));
    w.login('a1', 'a2');
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550000', { keys: { 'ivr-main': '1' }, talkMs: 60_000, endBy: 'drop' }));
    w.run(2 * 60_000);
    expect(w.ofType('queueCompleted')).toMatchObject([{ agent: 'a1', dropped: true }]);
    w.gw.agentUnpause('a2');
    return w;
  }

  it('offers the same agent within 30 minutes and connects to them', () => {
    const w = dropFirst();
    // a1 is busy with someone else when the caller rings back; a2 is free but must not take it.
    w.call(caller('+989125550999', { keys: { 'ivr-main': '1' }, talkMs: 20_000 }));
    w.run(2_000);
    const back = w.call(caller('+989125550000', { keys: { 'agent-callback-offer': '1' }, talkMs: 30_000 }));
    w.run(3 * 60_000);
    expect(back.heard[0]).toBe('agent-callback-offer');
    expect(w.ofType('agentCallbackAccepted')).toMatchObject([{ agent: 'a1', queue: 'flights' }]);
    const last = w.ofType('queueConnected').at(-1)!;
    expect(last).toMatchObject({ agent: 'a1', kind: 'agentCallback' });
  });

  it('falls back to the queue when the agent stays busy past the wait', () => {
    const w = dropFirst();
    w.call(caller('+989125550999', { keys: { 'ivr-main': '1' }, talkMs: 10 * 60_000 }));
    w.run(2_000);
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550000', { keys: { 'agent-callback-offer': '1' }, talkMs: 30_000 }));
    w.run(10_000);
    w.gw.agentUnpause('a2');
    w.run(2 * 60_000);
    expect(w.ofType('agentCallbackFellBack')).toHaveLength(1);
    expect(w.ofType('queueConnected').at(-1)).toMatchObject({ agent: 'a2' });
  });

  it('is not offered after the window has passed', () => {
    const w = dropFirst();
    w.run(31 * 60_000);
    const back = w.call(caller('+989125550000', { keys: { 'ivr-main': '1' } }));
    w.run(60_000);
    expect(back.heard).not.toContain('agent-callback-offer');
    expect(w.ofType('agentCallbackOffered')).toHaveLength(0);
  });

  it('is not offered after a normal hang-up', () => {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents }));
    w.login('a1');
    w.call(caller('+989125550000', { keys: { 'ivr-main': '1' }, talkMs: 60_000, endBy: 'caller' }));
    w.run(2 * 60_000);
    w.call(caller('+989125550000', { keys: { 'ivr-main': '1' } }));
    w.run(60_000);
    expect(w.ofType('agentCallbackOffered')).toHaveLength(0);
  });
});

describe('agent ring-no-answer', () => {
  it('moves on to the next agent and auto-pauses after repeated misses', () => {
    const agents = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;
    const q = QUEUES.replace('wrapUpMs: 0', 'wrapUpMs: 0\n    autoPauseAfter: 2\n    strategy: ringAllInOrder');
    const w = makeWorld(siteYaml({ queues: q, agents }));
    w.net.agentPhone('+989120000001')!.setBehaviour({ answer: 'noAnswer' });
    w.login('a1', 'a2');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w.run(60_000);
    const rna = w.ofType('agentRingNoAnswer');
    expect(rna[0]).toMatchObject({ agent: 'a1' });
    expect(rna[0]!.ringMs).toBeGreaterThanOrEqual(15_000);
    expect(w.ofType('queueConnected')).toMatchObject([{ agent: 'a2' }]);
    w.call(caller('+989125550002', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w.run(3 * 60_000);
    expect(w.ofType('agentPaused')).toMatchObject([{ agent: 'a1', reason: 'Auto-Pause', auto: true }]);
    expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')!.state).toBe('paused');
  });
});

describe('strategies in a live queue', () => {
  it('round robin spreads consecutive calls over agents', () => {
    const agents = [1, 2, 3].map((i) => `  - { id: a${i}, endpoint: '+98912000000${i}', queues: [flights] }`).join('\n');
    const w = makeWorld(siteYaml({ queues: QUEUES.replace('wrapUpMs: 0', 'wrapUpMs: 0\n    strategy: roundRobin'), agents }));
    w.login('a1', 'a2', 'a3');
    for (let i = 0; i < 6; i++) {
      w.call(caller(`+98912555000${i}`, { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
      w.run(60_000);
    }
    expect(w.ofType('queueConnected').map((e) => e.agent)).toEqual(['a1', 'a2', 'a3', 'a1', 'a2', 'a3']);
  });

  it('pause and logout asked during a call take effect after it', () => {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents: ONE_AGENT }));
    w.login('a1');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 60_000 }));
    w.run(20_000);
    expect(w.gw.snapshot().agents[0]!.state).toBe('onCall');
    w.gw.agentPause('a1', 'Lunch');
    expect(w.gw.snapshot().agents[0]!.state).toBe('onCall');
    w.run(2 * 60_000);
    expect(w.gw.snapshot().agents[0]).toMatchObject({ state: 'paused', pauseReason: 'Lunch' });
    expect(w.ofType('queueCompleted')).toHaveLength(1);
  });
});

describe('agents in several queues', () => {
  it('serve the higher-weight queue first, then the longest waiting, and log out only after the call', () => {
    const queues = `  flights:
    weight: 10
    wrapUpMs: 0
    survey: { enabled: false }
    callback: { enabled: false }
  trains:
    weight: 5
    wrapUpMs: 0
    survey: { enabled: false }
    callback: { enabled: false }
  hotels: {}`;
    const agents = `  - { id: a1, endpoint: '+989120000001', queues: [flights, trains] }`;
    const w = makeWorld(siteYaml({ queues, agents }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller('+989127000001', { keys: { 'ivr-main': '2' }, talkMs: 30_000 }));
    w.run(10_000);
    w.call(caller('+989127000002', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w.run(10_000);
    w.gw.agentUnpause('a1');
    w.run(5_000);
    // The trains caller waited longer, but flights weighs more.
    expect(w.ofType('queueConnected').map((e) => e.queue)).toEqual(['flights']);
    w.gw.agentLogout('a1');
    expect(w.gw.snapshot().agents[0]!.state).toBe('onCall');
    w.run(60_000);
    expect(w.ofType('queueConnected').map((e) => e.queue)).toEqual(['flights']);
    expect(w.gw.snapshot().agents[0]!.state).toBe('loggedOut');
    expect(w.ofType('agentLoggedOut')).toHaveLength(1);
  });
});
