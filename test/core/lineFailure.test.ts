import { describe, expect, it } from 'vitest';
import { formatQueueLog, QueueLogState } from '../../gateway/queuelog/formatQueueLog.ts';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 0
    callback: { offerAtPosition: 2 }
  trains: {}
  hotels: {}`;

describe('a trunk that fails', () => {
  it('closes every call on it cleanly, keeps booked callbacks, and dials them once the line is back', () => {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents: AGENTS }));
    const trunk = w.net.trunk('t1')!;
    w.login('a1');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 10 * 60_000 }));
    w.run(5_000);
    w.call(caller('+989125550002', { keys: { 'ivr-main': '1' } }));
    w.call(caller('+989125550003', { keys: { 'ivr-main': '1', 'callback-offer': '1' } }));
    w.run(60_000);
    expect(w.ofType('callbackRequested')).toHaveLength(1);
    // The line dies with one caller talking and one waiting.
    trunk.setHealth(false, 'LOS alarm');
    w.run(60_000);
    expect(w.ofType('trunkHealthChanged')).toMatchObject([{ trunkId: 't1', up: false, detail: 'LOS alarm' }]);
    expect(w.gw.snapshot().calls).toEqual([]);
    expect(w.ofType('queueCompleted')).toMatchObject([{ dropped: true }]);
    expect(w.ofType('callEnded').filter((e) => e.cause === 'lineFailed').length).toBeGreaterThanOrEqual(1);
    // queue_log writes what Asterisk writes for a dropped call: COMPLETECALLER
    // (reporting tools count it answered); lineFailed stays in the events.
    const state = new QueueLogState();
    const verbs = w.events.flatMap((e) => {
      const lines = formatQueueLog(e, state);
      state.observe(e);
      return lines.map((l) => l.split('|')[4]);
    });
    expect(verbs.filter((v) => v === 'COMPLETECALLER' || v === 'COMPLETEAGENT')).toEqual(['COMPLETECALLER']);
    expect(w.ofType('queueExited').filter((e) => e.reason === 'abandon')).toHaveLength(1);
    // No dial is attempted on a dead line; the callback waits in its place.
    w.run(10 * 60_000);
    expect(w.ofType('callbackDialled')).toHaveLength(0);
    expect(w.store.callbacks.active()).toHaveLength(1);
    trunk.setHealth(true, 'up');
    w.run(10 * 60_000);
    expect(w.ofType('callbackFinished')).toMatchObject([{ outcome: 'completed' }]);
    expectConsistentLifecycles(w.events);
  });
});
