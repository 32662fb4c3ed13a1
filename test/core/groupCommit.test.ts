/*
 * Group commit changes when events are written and reach subscribers, never
 * what happens: the same busy hour, at groupCommitMs 0 and at the site
 * default, gives the same events at the same virtual times, and every promise
 * (a callback booked, a survey score) is committed before the caller hears it.
 */
import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '../../firmware/config/schema.ts';
import { caller, makeWorld, siteYaml, type World } from '../support/world.ts';

const DEFAULT_GC = gatewayConfigSchema.parse({}).store.groupCommitMs;

const QUEUES = `  flights:
    name: Flights
    wrapUpMs: 5s
    callback: { offerAtPosition: 3 }
  trains: { name: Trains }
  hotels: { name: Hotels }`;

function busyHour(groupCommitMs: number): World {
  const w = makeWorld(siteYaml({ queues: QUEUES }), { groupCommitMs });
  w.login('a1', 'a2', 'a3');
  for (let i = 0; i < 24; i++) {
    const n = `+98912000${String(1000 + i)}`;
    const key = i % 4 === 3 ? '2' : '1';
    w.call(caller(n, { keys: { 'ivr-main': key, 'callback-offer': i % 2 === 0 ? '1' : '', survey: String((i % 5) + 1) }, talkMs: 90_000 + i * 7_000, patienceMs: i % 6 === 5 ? 20_000 : 600_000 }));
    w.run(25_000);
  }
  w.run(3_600_000);
  return w;
}

const shape = (w: World): string[] => w.events.map((e) => `${e.at} ${e.type} ${'callId' in e ? String(e.callId) : ''}`);

describe('group commit', () => {
  it('the default commits routine changes in groups', () => {
    expect(DEFAULT_GC).toBeGreaterThan(0);
  });

  it('the same hour gives the same events at the same times', () => {
    const now = busyHour(0);
    const grouped = busyHour(DEFAULT_GC);
    expect(shape(grouped)).toEqual(shape(now));
    expect(now.ofType('callbackRequested').length).toBeGreaterThan(0);
    expect(now.ofType('queueConnected').length).toBeGreaterThan(10);
    expect(grouped.net.violations).toEqual([]);
    // Every promise was durable before it was spoken: the callback confirmation came after its event was committed.
    for (const req of grouped.ofType('callbackRequested')) {
      const c = grouped.net.callers.find((x) => x.script.callerId.kind === 'number' && x.script.callerId.number === req.number)!;
      expect(c.heard.some((h) => h.startsWith('callback-confirmed'))).toBe(true);
    }
  });
});
