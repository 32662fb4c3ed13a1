import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/FakeClock.ts';
import type { GatewayEvent } from '../events.ts';
import { MemoryStore } from '../store/MemoryStore.ts';
import { EventPublisher, type EventSource } from './EventPublisher.ts';
import { FakeLink } from './link/FakeLink.ts';
import { encodeEvent, encodeStoredJson } from './payloads.ts';

/** Events with what JSON makes hard: non-ASCII text, quotes, nested objects, nulls, large and negative numbers. */
const EVENTS: GatewayEvent[] = [
  { type: 'callOffered', at: 1_767_571_200_000, callId: 'c1', trunkId: 'gsm1', channel: 0, callerId: { kind: 'number', number: '+989121234567' }, dialled: '+982188776655' },
  { type: 'callOffered', at: 1, callId: 'c"2\\', trunkId: 'e1', channel: 31, callerId: { kind: 'withheld' }, dialled: '' },
  { type: 'boardMessageShown', at: 2, text: 'جلسه ساعت ۱۴ — 会议 «x»\n\t\u0001', level: 'critical', until: 9_007_199_254_740_991 },
  { type: 'counterSet', at: -5, name: 'email', value: -0 } as GatewayEvent,
  { type: 'callEnded', at: 3, callId: 'c1', cause: 'caller' },
];

describe('encodeStoredJson', () => {
  it('is the same text as encoding the parsed event, for every event', () => {
    EVENTS.forEach((ev, i) => {
      const seq = 1000 + i;
      const data = JSON.stringify(ev);
      const raw = encodeStoredJson('log1', seq, data);
      expect(raw).toBe(encodeEvent('log1', { ...(JSON.parse(data) as GatewayEvent), seq }));
      expect(JSON.parse(raw)).toMatchObject({ seq, id: `log1:${seq}`, type: ev.type });
    });
  });

  it('stays valid JSON for an empty object', () => {
    expect(JSON.parse(encodeStoredJson('L', 7, '{}'))).toEqual({ seq: 7, id: 'L:7' });
  });
});

describe('EventPublisher reading stored rows', () => {
  it('publishes byte for byte what it publishes from parsed events', () => {
    const store = new MemoryStore();
    for (const ev of EVENTS) store.appendEvent(ev);
    const payloads = (source: EventSource): string[] => {
      const link = new FakeLink();
      const pub = new EventPublisher({
        link,
        source,
        cursor: { name: 'cloud', get: () => 0, set: () => {} },
        committedSeq: EVENTS.length,
        topic: 'cc/v1/t/s/u/evt',
        unit: 't/s/u',
        log: 'L',
        clock: new FakeClock(),
        runInput: (_what, fn) => fn(),
        window: 8,
        batchEvents: 2,
      });
      pub.start();
      link.up();
      return link.published.map((p) => p.payload);
    };
    const rows = payloads(store);
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(payloads({ readEvents: (after, limit) => store.readEvents(after, limit) }));
  });
});
