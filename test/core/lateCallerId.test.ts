import { describe, expect, it } from 'vitest';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

const ONE_AGENT = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }`;
const QUEUES = `  flights:
    wrapUpMs: 0
    survey: { enabled: false }
    callback: { enabled: false }
    announce: { everyMs: 0 }
  trains: {}
  hotels: {}`;
const VIP = '+989121111111';

describe('a caller ID that arrives after the call was offered', () => {
  it('a VIP whose number comes late, before queue entry, still gets VIP priority', () => {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller('+989127000001', { keys: { 'ivr-main': '1' }, talkMs: 30_000 }));
    w.run(3_000);
    // The number reaches the gateway 2 s after the offer, while the menu plays; the key comes at 3 s.
    w.call(caller(VIP, { keys: { 'ivr-main': '1' }, keyDelayMs: 3_000, talkMs: 30_000, lateCallerIdMs: 2_000 }));
    w.run(20_000);

    const [ordinary, vip] = w.ofType('callOffered');
    expect(vip!.callerId).toEqual({ kind: 'unavailable' });
    expect(w.ofType('callerIdUpdated')).toMatchObject([{ callId: vip!.callId, callerId: { kind: 'number', number: VIP } }]);
    expect(w.ofType('queueEntered').map((e) => [e.callId, e.callerNumber, e.priority, e.position])).toEqual([
      [ordinary!.callId, '+989127000001', 0, 1],
      [vip!.callId, VIP, 5, 1],
    ]);
    // The stored record carries the number too (recovery, reports).
    expect(w.store.calls.get(vip!.callId)).toMatchObject({ number: VIP, callerKind: 'number' });
    expect(w.gw.snapshot().calls.find((c) => c.callId === vip!.callId)).toMatchObject({ number: VIP, callerId: { kind: 'number', number: VIP } });

    w.gw.agentUnpause('a1');
    w.run(5 * 60_000);
    expect(w.ofType('queueConnected').map((e) => e.callId)).toEqual([vip!.callId, ordinary!.callId]);
    expectConsistentLifecycles(w.events);
  });

  it('a number that comes after queue entry is recorded but does not change the priority already given', () => {
    const w = makeWorld(siteYaml({ queues: QUEUES, agents: ONE_AGENT }));
    w.login('a1');
    w.gw.agentPause('a1', 'Break');
    w.call(caller(VIP, { keys: { 'ivr-main': '1' }, talkMs: 30_000, lateCallerIdMs: 30_000 }));
    w.run(60_000);
    expect(w.ofType('queueEntered')).toMatchObject([{ callerNumber: '', priority: 0 }]);
    expect(w.ofType('callerIdUpdated')).toHaveLength(1);
    const callId = w.ofType('callOffered')[0]!.callId;
    expect(w.store.calls.get(callId)).toMatchObject({ number: VIP });
    w.gw.agentUnpause('a1');
    w.run(5 * 60_000);
    expectConsistentLifecycles(w.events);
  });
});
