import { describe, expect, it } from 'vitest';
import type { EntryRecord } from '../store/Store.ts';
import { before, WaitingList, type Entry } from './WaitingList.ts';

function entry(id: string, priority: number, joinedAt: number, seq: number, kind: 'live' | 'callback' = 'live'): Entry {
  const rec: EntryRecord = { id, queue: 'q', kind, callId: kind === 'live' ? id : null, callbackId: kind === 'callback' ? id : null, priority, joinedAt, seq, enteredAt: joinedAt, origPosition: 0, stickyAgent: null, stickyUntil: null };
  return { rec, call: null, ringing: null, ringStartedAt: 0, tried: new Set(), locked: false, timers: [] };
}

describe('WaitingList', () => {
  it('orders by priority, then original join time, then sequence', () => {
    const l = new WaitingList('q');
    expect(l.insert(entry('a', 0, 100, 1))).toBe(1);
    expect(l.insert(entry('b', 0, 200, 2))).toBe(2);
    expect(l.insert(entry('vip', 5, 300, 3))).toBe(1);
    expect(l.insert(entry('vip2', 5, 350, 4))).toBe(2);
    expect(l.insert(entry('tie', 0, 200, 5))).toBe(5);
    expect(l.entries().map((e) => e.rec.id)).toEqual(['vip', 'vip2', 'a', 'b', 'tie']);
  });

  it('a callback taking a live entry’s place keeps exactly that place', () => {
    const l = new WaitingList('q');
    const es = [entry('a', 0, 100, 1), entry('b', 0, 200, 2), entry('c', 0, 300, 3)];
    for (const e of es) l.insert(e);
    const cb = entry('cb', 0, 200, 2, 'callback');
    l.replace(es[1]!, cb);
    expect(l.position(cb)).toBe(2);
    // A caller arriving later queues behind the virtual entry.
    const late = entry('d', 0, 400, 4);
    expect(l.insert(late)).toBe(4);
    expect(l.liveCount).toBe(3);
    expect(l.positionFor({ priority: 0, joinedAt: 150, seq: 9 })).toBe(2);
  });

  it('before() is a strict order', () => {
    const a = { priority: 0, joinedAt: 1, seq: 1 };
    expect(before(a, a)).toBe(false);
    expect(before({ priority: 1, joinedAt: 9, seq: 9 }, a)).toBe(true);
    expect(before(a, { priority: 0, joinedAt: 1, seq: 2 })).toBe(true);
  });
});
