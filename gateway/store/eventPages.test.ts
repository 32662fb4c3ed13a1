import { describe, expect, it } from 'vitest';
import type { GatewayEvent, StoredEvent } from '../events.ts';
import { forEachEventSince } from './eventPages.ts';
import { MemoryStore } from './MemoryStore.ts';
import { SqliteStore } from './SqliteStore.ts';
import type { Store } from './Store.ts';

const ev = (at: number): GatewayEvent => ({ type: 'ivrMenuEntered', at, callId: `c${at}`, menu: 'main' });

describe.each([
  ['MemoryStore', () => new MemoryStore()],
  ['SqliteStore', () => new SqliteStore(':memory:')],
] as Array<[string, () => Store]>)('forEachEventSince on %s', (_name, make) => {
  it('walks exactly what readEventsSince returns, page by page, clock steps back included', () => {
    const s = make();
    // 50 events, the clock set back once in the middle.
    for (let i = 0; i < 50; i++) s.appendEvent(ev(i === 30 ? 5 : 100 + i * 10));
    s.commit();
    for (const from of [0, 100, 250, 255, 590, 600, 10_000]) {
      const seen: StoredEvent[] = [];
      const n = forEachEventSince(s, from, (e) => void seen.push(e), { page: 7 });
      expect(seen).toEqual(s.readEventsSince(from));
      expect(n).toBe(seen.length);
    }
    s.close();
  });

  it('reads only the types asked for, still in log order and from the time on', () => {
    const s = make();
    for (let i = 1; i <= 30; i++) {
      if (i % 3 === 0) s.appendEvent({ type: 'agentPaused', at: i * 10, agent: 'a1', reason: 'Break', auto: false });
      else s.appendEvent(ev(i * 10));
    }
    const seen: number[] = [];
    forEachEventSince(s, 55, (e) => void seen.push(e.seq), { page: 2, types: ['agentPaused'] });
    expect(seen).toEqual([6, 9, 12, 15, 18, 21, 24, 27, 30]);
    expect(s.readEvents(20, 10, ['agentPaused', 'ivrMenuEntered']).map((e) => e.seq)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    s.close();
  });

  it('stops when the callback returns false', () => {
    const s = make();
    for (let i = 1; i <= 20; i++) s.appendEvent(ev(i));
    const seen: number[] = [];
    forEachEventSince(s, 3, (e) => (seen.push(e.seq), e.seq < 6), { page: 4 });
    expect(seen).toEqual([3, 4, 5, 6]);
    s.close();
  });
});
