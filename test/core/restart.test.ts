/**
 * Issue #8, defect 8: what a restart after a crash (kill -9, power cut) does
 * with work that was in flight. The crash is simulated in-process: a second
 * Gateway opens the same MemoryStore on a clock moved on, and the first one
 * is abandoned as it stands (its timers live on its own FakeClock, never
 * advanced again), as a killed process would be.
 */
import { describe, expect, it } from 'vitest';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const ONE_AGENT = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const TWO_AGENTS = `${ONE_AGENT}
  - { id: a2, endpoint: '+989120000002', queues: [flights] }`;

function queues(callback = 'callback: { enabled: false }'): string {
  return `  flights:
    wrapUpMs: 0
    survey: { enabled: false }
    announce: { everyMs: 0 }
    ${callback}
  trains: {}
  hotels: {}`;
}

/** Kill the unit behind `w` now and bring it back `downMs` later on the same store. */
function crashAndRestart(w: World, yaml: string, downMs: number, prepare: (net: World['net']) => void = () => {}): World {
  // `prepare` sets up the new network's subscribers (anything dialled during
  // the start itself meets a default subscriber, which still counts as a dial).
  const w2 = makeWorld(yaml, { store: w.store, start: w.clock.now() + downMs });
  prepare(w2.net);
  return w2;
}

/** Run `w` in 1 s steps until `done()` holds (fails after `maxMs`). */
function runUntil(w: World, done: () => boolean, maxMs: number): void {
  for (let t = 0; t < maxMs; t += 1_000) {
    if (done()) return;
    w.run(1_000);
  }
  expect(done(), `condition not reached within ${maxMs} ms`).toBe(true);
}

function numbers(n: number, base = 9126000000): Array<{ number: string }> {
  return Array.from({ length: n }, (_, i) => ({ number: `+98${base + i}` }));
}

describe('restart (a): the last attempt in flight at the crash is not made again', () => {
  it('campaign targets killed during their 3rd of 3 attempts are finished, not rung a 4th time', () => {
    const yaml = siteYaml({ agents: ONE_AGENT });
    const targets = numbers(8);
    const noAnswer = (net: World['net']) => {
      for (const t of targets) net.addSubscriber(t.number, { answer: 'noAnswer' });
    };
    const w = makeWorld(yaml);
    noAnswer(w.net);
    const { campaignId } = w.gw.submitCampaign({ name: 'Retimed', prompt: 'msg', targets, attempts: 3, retryGapMs: 60_000, maxConcurrent: 8, callsPerMinute: 60, agentQueue: null });
    const third = () => w.ofType('campaignDialled').filter((e) => e.attempt === 3);
    runUntil(w, () => third().length === 8, 30 * 60_000);
    // Every 3rd attempt is ringing (30 s ring timeout): none has a result yet.
    expect(w.ofType('campaignTargetFinished').filter((e) => e.attempts === 3)).toEqual([]);
    expect(w.store.targets.forCampaign(campaignId).every((t) => t.status === 'dialling' && t.attempts === 3)).toBe(true);

    const w2 = crashAndRestart(w, yaml, 5 * 60_000, noAnswer);
    w2.run(2 * 3600_000);
    expect(w2.ofType('campaignDialled')).toEqual([]);
    const finished = w2.ofType('campaignTargetFinished');
    expect(finished).toHaveLength(8);
    for (const f of finished) expect(f).toMatchObject({ campaignId, result: 'failed', attempts: 3, final: true });
    expect(w2.store.targets.forCampaign(campaignId).map((t) => [t.status, t.attempts, t.result])).toEqual(targets.map(() => ['done', 3, 'failed']));
    expect(w2.ofType('campaignFinished')).toMatchObject([{ campaignId, counts: { failed: 8 } }]);
    // Across both runs: no number rang more often than its limit.
    const dials = new Map<string, number>();
    for (const e of [...w.ofType('campaignDialled'), ...w2.ofType('campaignDialled')]) dials.set(e.number, (dials.get(e.number) ?? 0) + 1);
    expect([...dials.values()]).toEqual(targets.map(() => 3));
  });

  it('a campaign target killed during an earlier attempt is retried after the retry gap, not at once', () => {
    const yaml = siteYaml({ agents: ONE_AGENT });
    const target = { number: '+989126000000' };
    const noAnswer = (net: World['net']) => net.addSubscriber(target.number, { answer: 'noAnswer' });
    const w = makeWorld(yaml);
    noAnswer(w.net);
    w.gw.submitCampaign({ name: 'Retimed', prompt: 'msg', targets: [target], attempts: 3, retryGapMs: 10 * 60_000, agentQueue: null });
    runUntil(w, () => w.ofType('campaignDialled').length === 1, 60_000);
    w.run(5_000);
    const restartAt = w.clock.now() + 60_000;
    const w2 = crashAndRestart(w, yaml, 60_000, noAnswer);
    w2.run(30 * 60_000);
    const dials = w2.ofType('campaignDialled');
    expect(dials.length).toBeGreaterThan(0);
    expect(dials[0]).toMatchObject({ attempt: 2 });
    expect(dials[0]!.at - restartAt).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it.each(['agentFirst', 'customerFirst'] as const)('a %s callback with one attempt, killed while the customer rings, is failed, not dialled again', (mode) => {
    const yaml = siteYaml({ queues: queues(`callback: { offerAtPosition: 2, attempts: 1, mode: ${mode} }`), agents: ONE_AGENT });
    const customer = '+989120000777';
    const noAnswer = (net: World['net']) => net.addSubscriber(customer, { answer: 'noAnswer' });
    const w = makeWorld(yaml);
    noAnswer(w.net);
    w.login('a1');
    w.gw.agentPause('a1', 'Training');
    w.call(caller('+989120000701', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w.run(5_000);
    w.call(caller(customer, { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    w.gw.agentUnpause('a1');
    runUntil(w, () => w.ofType('callbackDialled').length === 1, 10 * 60_000);
    w.run(5_000);
    // The customer's phone is ringing on the only attempt.
    expect(w.ofType('callbackAttemptFailed')).toEqual([]);
    const [cb] = w.store.callbacks.active();
    expect(cb).toMatchObject({ status: 'dialling', attempts: 1 });

    const w2 = crashAndRestart(w, yaml, 60_000, noAnswer);
    w2.run(2 * 3600_000);
    expect(w2.ofType('callbackDialled')).toEqual([]);
    expect(w2.ofType('callbackFinished')).toMatchObject([{ callbackId: cb!.id, outcome: 'failed', attempts: 1 }]);
    expect(w2.store.callbacks.active()).toEqual([]);
    expectConsistentLifecycles([...w.events, ...w2.events]);
  });
});

describe('restart (b): a pause or log-out asked for during a call survives the crash', () => {
  it('an agent who asked for a break during the call comes back paused and is not rung', () => {
    const yaml = siteYaml({ queues: queues(), agents: ONE_AGENT });
    const w = makeWorld(yaml);
    w.login('a1');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 30 * 60_000 }));
    w.run(60_000);
    expect(w.gw.snapshot().agents[0]).toMatchObject({ id: 'a1', state: 'onCall' });
    w.gw.agentPause('a1', 'Lunch');
    w.run(60_000);
    // Deferred: still on the call.
    expect(w.gw.snapshot().agents[0]).toMatchObject({ state: 'onCall' });

    const w2 = crashAndRestart(w, yaml, 30_000);
    expect(w2.gw.snapshot().agents[0]).toMatchObject({ id: 'a1', state: 'paused', pauseReason: 'Lunch' });
    expect(w2.ofType('agentPaused')).toMatchObject([{ agent: 'a1', reason: 'Lunch' }]);
    const waiting = w2.call(caller('+989125550002', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w2.run(5 * 60_000);
    expect(w2.ofType('agentRung')).toEqual([]);
    expect(w2.ofType('queueEntered')).toHaveLength(1);
    expect(waiting.outcome).toBeNull();
    // The break ends: now the caller is served by a1.
    w2.gw.agentUnpause('a1');
    w2.run(5 * 60_000);
    expect(w2.ofType('queueConnected')).toMatchObject([{ agent: 'a1' }]);
    expectConsistentLifecycles([...w.events, ...w2.events]);
  });

  it('an agent who asked to log out during the call comes back logged out and is not rung', () => {
    const yaml = siteYaml({ queues: queues(), agents: TWO_AGENTS });
    const w = makeWorld(yaml);
    w.login('a1', 'a2');
    w.gw.agentPause('a2', 'Break');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 30 * 60_000 }));
    w.run(60_000);
    expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')).toMatchObject({ state: 'onCall' });
    w.gw.agentLogout('a1');
    w.run(60_000);
    expect(w.gw.snapshot().agents.find((a) => a.id === 'a1')).toMatchObject({ state: 'onCall' });

    const w2 = crashAndRestart(w, yaml, 30_000);
    expect(w2.gw.snapshot().agents.find((a) => a.id === 'a1')).toMatchObject({ state: 'loggedOut' });
    expect(w2.ofType('agentLoggedOut')).toMatchObject([{ agent: 'a1' }]);
    // a2 is logged in (paused), so the caller may join and waits.
    const waiting = w2.call(caller('+989125550002', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w2.run(5 * 60_000);
    expect(w2.ofType('agentRung')).toEqual([]);
    expect(w2.ofType('queueEntered')).toHaveLength(1);
    expect(waiting.outcome).toBeNull();
    w2.gw.agentUnpause('a2');
    w2.run(5 * 60_000);
    expect(w2.ofType('agentRung').map((e) => e.agent)).toEqual(['a2']);
    expectConsistentLifecycles([...w.events, ...w2.events]);
  });
});

describe('restart (c): calls that died with the unit are closed when it died, not when it came back', () => {
  const MIN = 60_000;

  it('a caller who waited 2 min, then 5 quiet minutes, is closed with about 7 min of wait after an hour down', () => {
    const yaml = siteYaml({ queues: queues(), agents: ONE_AGENT });
    const w = makeWorld(yaml);
    w.login('a1');
    w.gw.agentPause('a1', 'Meeting');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' } }));
    runUntil(w, () => w.ofType('queueEntered').length === 1, 60_000);
    const entered = w.ofType('queueEntered')[0]!;
    w.run(2 * MIN);
    const lastEvent = w.events.at(-1)!.at;
    // Five quiet minutes: no event, only the store heartbeat.
    w.run(5 * MIN);
    expect(w.events.at(-1)!.at).toBe(lastEvent);
    const diedAt = w.clock.now();
    expect(diedAt - entered.at).toBeGreaterThanOrEqual(7 * MIN);

    const w2 = crashAndRestart(w, yaml, 60 * MIN);
    const [exit] = w2.ofType('queueExited');
    expect(exit).toMatchObject({ callId: entered.callId, reason: 'restart' });
    // Known alive within the last heartbeat period before the crash.
    expect(exit!.waitMs).toBeLessThanOrEqual(diedAt - entered.at);
    expect(exit!.waitMs).toBeGreaterThanOrEqual(diedAt - entered.at - MIN);
    // The quiet minutes were covered by the store heartbeat (not an event).
    expect(Number(w.store.getMeta('heartbeatAt'))).toBeGreaterThan(diedAt - MIN);
    expectConsistentLifecycles([...w.events, ...w2.events]);
  });

  it('a call talking to an agent for 7 minutes is closed with about 7 min of talk after an hour down', () => {
    const yaml = siteYaml({ queues: queues(), agents: ONE_AGENT });
    const w = makeWorld(yaml);
    w.login('a1');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 3 * 3600_000 }));
    runUntil(w, () => w.ofType('queueConnected').length === 1, 2 * MIN);
    const connected = w.ofType('queueConnected')[0]!;
    w.run(7 * MIN);
    const diedAt = w.clock.now();
    expect(w.events.at(-1)!.at).toBeLessThan(diedAt - 5 * MIN);

    const w2 = crashAndRestart(w, yaml, 60 * MIN);
    const [done] = w2.ofType('queueCompleted');
    expect(done).toMatchObject({ callId: connected.callId, agent: 'a1', dropped: true });
    expect(done!.talkMs).toBeLessThanOrEqual(diedAt - connected.at);
    expect(done!.talkMs).toBeGreaterThanOrEqual(diedAt - connected.at - MIN);
    expectConsistentLifecycles([...w.events, ...w2.events]);
  });
});
