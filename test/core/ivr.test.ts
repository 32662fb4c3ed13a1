import { describe, expect, it } from 'vitest';
import { expectConsistentLifecycles } from '../support/invariants.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

const AGENTS = `  - { id: a1, endpoint: '+989120000001', queues: [flights, trains, hotels] }`;

function ivrYaml(menus: string, extra = ''): string {
  return siteYaml({ agents: AGENTS, extra }).replace(/ivr:\n(?: {2}.*\n)+?queues:/, `ivr:\n${menus}\nqueues:`);
}

const MENUS = `  entry: main
  menus:
    main:
      prompt: ivr-main
      schedule: office
      closed: { play: closed-message, then: { hangup: true } }
      retries: 2
      options:
        '1': { queue: flights }
        '2': { queue: trains }
        '3': { menu: hotels }
        '9': { menu: english }
    hotels:
      prompt: ivr-hotels
      options:
        '1': { queue: hotels }
        '0': { menu: main }
    english:
      prompt: ivr-english
      maxDigits: 2
      options:
        '11': { queue: flights }`;

const OFFICE = `schedules:
  office:
    weekly: { sat: '08:00-20:00', sun: '08:00-20:00', mon: '08:00-20:00', tue: '08:00-20:00', wed: '08:00-20:00', thu: '08:00-14:00' }
    holidays: ['2026-01-07']`;

describe('IVR', () => {
  it('routes through sub-menus and multi-digit options', () => {
    const w = makeWorld(ivrYaml(MENUS, OFFICE));
    w.login('a1');
    const a = w.call(caller('+989125550001', { keys: { 'ivr-main': '3', 'ivr-hotels': '1' }, talkMs: 10_000 }));
    w.run(2 * 60_000);
    const b = w.call(caller('+989125550002', { keys: { 'ivr-main': '9', 'ivr-english': '11' }, talkMs: 10_000 }));
    w.run(2 * 60_000);
    expect(a.heard.slice(0, 2)).toEqual(['ivr-main', 'ivr-hotels']);
    expect(w.ofType('queueEntered').map((e) => e.queue)).toEqual(['hotels', 'flights']);
    expect(w.ofType('ivrDigitsCollected').map((e) => e.digits)).toEqual(['3', '1', '9', '11']);
    expect(b.outcome).not.toBeNull();
  });

  it('re-prompts on invalid and missing input, then runs the failure action', () => {
    const w = makeWorld(ivrYaml(MENUS, OFFICE));
    const c = w.call(caller('+989125550001', { keys: { 'ivr-main': ['7', '', '8'] } }));
    w.run(2 * 60_000);
    expect(c.heard).toEqual(['ivr-main', 'ivr-invalid', 'ivr-main', 'ivr-timeout', 'ivr-main', 'goodbye']);
    expect(w.ofType('ivrInputInvalid').map((e) => [e.reason, e.attempt])).toEqual([
      ['invalid', 1],
      ['timeout', 2],
      ['invalid', 3],
    ]);
    expect(c.outcome).toBe('hungUpByGateway');
    expectConsistentLifecycles(w.events);
  });

  it('plays the closed action outside hours and on holidays, in the site time zone', () => {
    // Friday 10:00 Tehran: the office is closed on Fridays.
    const fri = Date.UTC(2026, 0, 9, 6, 30);
    const w = makeWorld(ivrYaml(MENUS, OFFICE), { start: fri });
    const c = w.call(caller('+989125550001', { keys: { 'ivr-main': '1' } }));
    w.run(60_000);
    expect(c.heard).toEqual(['closed-message', 'goodbye']);
    expect(w.ofType('ivrClosed')).toMatchObject([{ reason: 'outOfHours', menu: 'main' }]);
    // Wednesday 2026-01-07 is a holiday.
    const w2 = makeWorld(ivrYaml(MENUS, OFFICE), { start: Date.UTC(2026, 0, 7, 6, 30) });
    w2.call(caller('+989125550001', { keys: { 'ivr-main': '1' } }));
    w2.run(60_000);
    expect(w2.ofType('ivrClosed')).toHaveLength(1);
    // Thursday 13:59 Tehran (10:29 UTC) open, 14:00 closed.
    const w3 = makeWorld(ivrYaml(MENUS, OFFICE), { start: Date.UTC(2026, 0, 8, 10, 29) });
    w3.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, hangupAfterMs: 4_000 }));
    w3.run(60_000);
    w3.call(caller('+989125550002', { keys: { 'ivr-main': '1' } }));
    w3.run(60_000);
    expect(w3.ofType('ivrClosed').map((e) => e.callId)).toEqual([w3.ofType('callOffered')[1]!.callId]);
  });

  it('keeps the number as presented: withheld and unavailable callers pass the IVR and queue', () => {
    const w = makeWorld(ivrYaml(MENUS, OFFICE));
    w.login('a1');
    w.call({ callerId: { kind: 'withheld' }, keys: { 'ivr-main': '1' }, talkMs: 5_000 });
    w.run(60_000);
    w.call({ callerId: { kind: 'unavailable' }, keys: { 'ivr-main': '2' }, talkMs: 5_000 });
    w.run(60_000);
    expect(w.ofType('callOffered').map((e) => e.callerId.kind)).toEqual(['withheld', 'unavailable']);
    expect(w.ofType('queueConnected')).toHaveLength(2);
    expect(w.store.contacts.all()).toEqual([]);
  });
});

describe('max wait overflow', () => {
  const queues = (overflow: string) => `  flights:
    maxWaitMs: 2m
    overflow: ${overflow}
    callback: { enabled: false }
    survey: { enabled: false }
  trains:
    survey: { enabled: false }
  hotels: {}`;
  const agents = `  - { id: a1, endpoint: '+989120000001', queues: [flights] }
  - { id: a2, endpoint: '+989120000002', queues: [trains] }`;

  it('moves a caller to the overflow queue after the max wait', () => {
    const w = makeWorld(siteYaml({ queues: queues('{ queue: trains }'), agents }));
    w.login('a1', 'a2');
    w.gw.agentPause('a1', 'Away');
    w.call(caller('+989125550001', { keys: { 'ivr-main': '1' }, talkMs: 10_000 }));
    w.run(5 * 60_000);
    expect(w.ofType('queueExited')).toMatchObject([{ reason: 'timeout', queue: 'flights', overflowTo: 'trains' }]);
    expect(w.ofType('queueConnected')).toMatchObject([{ queue: 'trains', agent: 'a2' }]);
    expectConsistentLifecycles(w.events);
  });

  it('says goodbye and exits with timeout when the overflow is a hang-up', () => {
    const w = makeWorld(siteYaml({ queues: queues('{ hangup: true }'), agents }));
    w.login('a1');
    w.gw.agentPause('a1', 'Away');
    const c = w.call(caller('+989125550001', { keys: { 'ivr-main': '1' } }));
    w.run(5 * 60_000);
    expect(w.ofType('queueExited')).toMatchObject([{ reason: 'timeout' }]);
    expect(c.heard.at(-1)).toBe('goodbye');
  });

  it('exits empty when no agent of the queue is logged in and no callback is possible', () => {
    const w = makeWorld(siteYaml({ queues: queues('{ hangup: true }'), agents }));
    const c = w.call(caller('+989125550001', { keys: { 'ivr-main': '1' } }));
    w.run(60_000);
    expect(w.ofType('queueExited')).toMatchObject([{ reason: 'empty' }]);
    expect(c.heard.at(-1)).toBe('queue-empty');
  });
});
