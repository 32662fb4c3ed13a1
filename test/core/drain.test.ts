/**
 * Issue #8, defect 9: a clean stop drains. Gateway.drain(drainMs) takes no
 * new call and dials nothing new, lets the calls in progress finish for up
 * to drainMs, then ends the rest with their exit events, so the queue_log
 * written before the process exits closes every ENTERQUEUE.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../gateway/events.ts';
import { formatQueueLog, QueueLogState } from '../../gateway/queuelog/formatQueueLog.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 0
    survey: { enabled: false }
    announce: { everyMs: 0 }
    callback: { offerAtPosition: 2 }
  trains: {}
  hotels: {}`;
const EXITS = ['COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'TRANSFER'];

type Drained = { finished: number; ended: number };

/** Start a drain and follow its promise while virtual time runs. */
function startDrain(w: World, drainMs?: number): { result: () => Drained | undefined; settled: Promise<Drained> } {
  let result: Drained | undefined;
  const settled = w.gw.drain(drainMs).then((r) => (result = r));
  return { result: () => result, settled };
}

/** Let promise callbacks run (the drain resolves from inside a timer or an input). */
const microtasks = () => new Promise((r) => setTimeout(r, 0));

/** queue_log lines for these events, and the ENTERQUEUEs without exactly one exit line. */
function queueLog(events: readonly StoredEvent[]): { lines: string[]; unbalanced: string[] } {
  const state = new QueueLogState();
  const lines = events.flatMap((e) => {
    const out = formatQueueLog(e, state);
    state.observe(e);
    return out;
  });
  const open = new Map<string, number>();
  for (const l of lines) {
    const [, callid, , , verb] = l.split('|');
    if (verb === 'ENTERQUEUE') open.set(callid!, (open.get(callid!) ?? 0) + 1);
    if (verb && EXITS.includes(verb)) open.set(callid!, (open.get(callid!) ?? 0) - 1);
  }
  return { lines, unbalanced: [...open.entries()].filter(([, n]) => n !== 0).map(([id, n]) => `${id}: ${n}`) };
}

function world(): World {
  return makeWorld(siteYaml({ queues: QUEUES, agents: AGENTS }));
}

describe('drain on a clean stop', () => {
  it('lets a call in progress finish within the drain time: finished, not cut', async () => {
    const w = world();
    w.login('a1', 'a2');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 60_000 }));
    w.run(30_000);
    expect(w.ofType('queueConnected')).toHaveLength(1);
    const drain = startDrain(w, 5 * 60_000);
    expect(w.ofType('gatewayDraining')).toMatchObject([{ inProgress: 1, drainMs: 5 * 60_000 }]);
    w.run(60_000);
    await microtasks();
    // Resolved as soon as the last call ended, long before the deadline.
    expect(drain.result()).toEqual({ finished: 1, ended: 0 });
    const stopped = w.ofType('gatewayStopped');
    expect(stopped).toMatchObject([{ finished: 1, ended: 0 }]);
    expect(stopped[0]!.at - w.ofType('gatewayDraining')[0]!.at).toBeLessThan(60_000);
    // A normal end, not a cut one.
    expect(w.ofType('queueCompleted')).toMatchObject([{ by: 'caller', dropped: false }]);
    expect(w.ofType('callEnded').map((e) => e.cause)).toEqual(['caller']);
    w.gw.stop();
    expectConsistentLifecycles(w.events);
    expect(queueLog(w.events).unbalanced).toEqual([]);
  });

  it('ends the calls still up at the deadline with their exits: waiting callers ABANDON (shutdown), connected ones complete', async () => {
    const w = world();
    w.login('a1', 'a2');
    w.gw.agentPause('a2', 'Break');
    // Talking to a1, well past the drain time.
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 30 * 60_000 }));
    w.run(20_000);
    // Waiting in the queue (position 1: no callback offer).
    w.call(caller('+989125550002', { keys: { 'ivr-main': '1' } }));
    w.run(20_000);
    // Still in the menu when the drain starts; goes into the queue during it.
    w.call(caller('+989125550003', { keys: { 'ivr-main': '1' }, keyDelayMs: 2_500 }));
    w.run(500);
    expect(w.gw.snapshot().calls).toHaveLength(3);
    const drain = startDrain(w, 20_000);
    w.run(10_000);
    await microtasks();
    expect(drain.result()).toBeUndefined();
    expect(w.ofType('queueEntered')).toHaveLength(3);
    w.run(15_000);
    await microtasks();
    expect(drain.result()).toEqual({ finished: 0, ended: 3 });
    expect(w.ofType('gatewayStopped')).toMatchObject([{ finished: 0, ended: 3 }]);
    expect(w.ofType('gatewayStopped')[0]!.at - w.ofType('gatewayDraining')[0]!.at).toBe(20_000);
    // Every queueEntered has exactly one exit, written at the deadline.
    const [talking, waiting, late] = w.ofType('queueEntered').map((e) => e.callId);
    expect(w.ofType('queueCompleted')).toMatchObject([{ callId: talking, agent: 'a1' }]);
    expect(w.ofType('queueExited').map((e) => [e.callId, e.reason])).toEqual([
      [waiting, 'shutdown'],
      [late, 'shutdown'],
    ]);
    expect(w.ofType('callEnded').map((e) => e.cause)).toEqual(['system', 'system', 'system']);
    expect(w.gw.snapshot().calls).toEqual([]);
    for (const c of w.net.callers) expect(c.outcome).not.toBeNull();
    w.gw.stop();
    expectConsistentLifecycles(w.events);
    const log = queueLog(w.events);
    expect(log.unbalanced).toEqual([]);
    expect(log.lines.filter((l) => l.includes('|ABANDON|'))).toHaveLength(2);
  });

  it('does not answer a new caller during the drain', async () => {
    const w = world();
    w.login('a1', 'a2');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 60_000 }));
    w.run(30_000);
    const drain = startDrain(w, 5 * 60_000);
    const before = w.ofType('callOffered').length;
    const late = w.call(caller('+989125550009', { keys: { 'ivr-main': '1' } }));
    w.run(10_000);
    const offered = w.ofType('callOffered').slice(before);
    expect(offered).toHaveLength(1);
    const id = offered[0]!.callId;
    expect(w.ofType('callAnswered').filter((e) => e.callId === id)).toEqual([]);
    expect(w.ofType('ivrMenuEntered').filter((e) => e.callId === id)).toEqual([]);
    expect(w.events.filter((e) => e.type === 'callEnded' && e.callId === id)).toMatchObject([{ cause: 'system' }]);
    expect(late.heard).toEqual([]);
    expect(late.outcome).not.toBeNull();
    w.run(60_000);
    await microtasks();
    // The refused call is neither finished nor ended by the drain.
    expect(drain.result()).toEqual({ finished: 1, ended: 0 });
    w.gw.stop();
    expectConsistentLifecycles(w.events);
  });

  it('dials no callback and no campaign number while draining, even with an agent and lines free', async () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.net.addSubscriber(`+98912600000${i}`, { talkMs: 5_000 });
    w.login('a1', 'a2');
    w.gw.agentPause('a1', 'Break');
    // a2 is on a long call: the drain has a call to wait for.
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 30 * 60_000 }));
    w.run(20_000);
    // Two waiting; the second books a callback (position 2) and hangs up; the first gives up.
    w.call(caller('+989125550002', { keys: { 'ivr-main': '1' }, patienceMs: 60_000 }));
    w.run(5_000);
    w.call(caller('+989125550003', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(90_000);
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    expect(w.ofType('queueExited').map((e) => e.reason).sort()).toEqual(['abandon', 'key']);
    w.gw.submitCampaign({ name: 'Notice', prompt: 'msg', targets: Array.from({ length: 5 }, (_, i) => ({ number: `+98912600000${i}` })), callsPerMinute: 2, maxConcurrent: 1, agentQueue: null });
    w.run(20_000);
    const campaignDialsBefore = w.ofType('campaignDialled').length;
    expect(campaignDialsBefore).toBe(1);

    const drain = startDrain(w, 10 * 60_000);
    const drainingAt = w.ofType('gatewayDraining')[0]!.at;
    // The callback is due and a1 becomes ready: before the drain it would be dialled at once.
    w.gw.agentUnpause('a1');
    w.run(9 * 60_000);
    expect(w.events.filter((e) => e.at >= drainingAt && (e.type === 'callbackDialled' || e.type === 'campaignDialled'))).toEqual([]);
    expect(w.ofType('agentRung').filter((e) => e.at >= drainingAt)).toEqual([]);
    // The callback is still owed, for the next start.
    expect(w.store.callbacks.active()).toMatchObject([{ status: 'pending', attempts: 0 }]);
    w.run(2 * 60_000);
    await microtasks();
    expect(drain.result()).toEqual({ finished: 0, ended: 1 });
    w.gw.stop();
    expectConsistentLifecycles(w.events);
    expect(queueLog(w.events).unbalanced).toEqual([]);
  });

  it('with no call up resolves at once', async () => {
    const w = world();
    w.login('a1');
    const drain = startDrain(w, 60_000);
    await microtasks();
    expect(drain.result()).toEqual({ finished: 0, ended: 0 });
    expect(w.ofType('gatewayStopped')).toMatchObject([{ finished: 0, ended: 0 }]);
    expect(w.gw.drain()).toBe(w.gw.drain());
    w.gw.stop();
  });
  it('a caller who hangs up by themselves during the drain abandoned; only the deadline cuts with shutdown', async () => {
    const w = makeWorld(siteYaml({ agents: AGENTS, queues: QUEUES }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller('+989125550010', { keys: { 'ivr-main': '1' }, patienceMs: 60_000 }));
    w.run(10_000);
    const drained = w.gw.drain(5 * 60_000);
    w.run(60_000);
    expect(await drained).toEqual({ finished: 1, ended: 0 });
    expect(w.ofType('queueExited').map((e) => e.reason)).toEqual(['abandon']);
  });

  it('a called-back customer cut by the drain deadline is still owed after the restart (the cut attempt does not count)', async () => {
    const yaml = siteYaml({
      agents: `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`,
      queues: `  flights:\n    wrapUpMs: 0\n    announce: { everyMs: 0 }\n    callback: { offerAtPosition: 2, mode: customerFirst, attempts: 1 }\n  trains: {}\n  hotels: {}`,
    });
    const w = makeWorld(yaml);
    w.net.agentPhone('+989120000001')!.setBehaviour({ answer: 'noAnswer' });
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller('+989125550002', { keys: { 'ivr-main': '1' }, patienceMs: 30_000 }));
    w.run(5_000);
    w.call(caller('+989120000777', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    w.gw.agentUnpause('a1');
    w.run(9_000); // the customer answered and waits in the callback's place while a1 rings
    const drained = w.gw.drain(1_000);
    w.run(2_000);
    expect(await drained).toEqual({ finished: 0, ended: 1 });
    w.gw.stop();
    expect(w.store.callbacks.all()[0]).toMatchObject({ status: 'pending', attempts: 0 });
    const w2 = makeWorld(yaml, { store: w.store, start: w.clock.now() + 10_000 });
    w2.net.agentPhone('+989120000001')!.setBehaviour({ answer: 'answer' });
    w2.login('a1');
    w2.run(60 * 60_000);
    expect(w2.ofType('callbackFinished').map((e) => e.outcome)).toEqual(['completed']);
  });
});
