import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../events.ts';
import { MemoryStore } from '../store/MemoryStore.ts';
import { FakeClock } from './FakeClock.ts';
import { capturingLogger } from './Logger.ts';
import { Transactor } from './Transactor.ts';

function setup(groupCommitMs = 0) {
  const store = new MemoryStore();
  const clock = new FakeClock(0);
  const { logger, records } = capturingLogger('info');
  const tx = new Transactor(store, clock, logger, groupCommitMs);
  const seen: StoredEvent[] = [];
  const order: string[] = [];
  const commit = store.commit.bind(store);
  store.commit = () => {
    order.push('commit');
    commit();
  };
  tx.addConsumer({ name: 'test', consume: (e) => seen.push(e) });
  return { store, clock, tx, seen, order, records };
}

describe('Transactor', () => {
  it('commits each input and hands its events to consumers only after the commit', () => {
    const { tx, seen, order, store } = setup();
    tx.run('input', () => {
      tx.emit({ type: 'callAnswered', callId: 'c1' });
      expect(seen).toEqual([]);
    });
    expect(order).toEqual(['commit']);
    expect(seen.map((e) => [e.type, e.seq])).toEqual([['callAnswered', 1]]);
    expect(store.dirty).toBe(false);
  });

  it('runs a durable effect right after the commit that makes its promise safe, in the same turn', () => {
    const { tx, order } = setup(60_000);
    tx.run('callback accepted', () => {
      tx.emit({ type: 'callbackOfferDeclined', callId: 'c1', queue: 'q', reason: 'declined' });
      tx.durable(() => order.push('speak promise'));
      order.push('handler done');
    });
    expect(order).toEqual(['handler done', 'commit', 'speak promise']);
  });

  it('rolls back a failing input: its events and its pending effects are dropped', () => {
    const { tx, seen, store, records } = setup();
    expect(() =>
      tx.run('buggy', () => {
        tx.emit({ type: 'callAnswered', callId: 'c1' });
        tx.durable(() => seen.push({ type: 'callAnswered', callId: 'never', at: 0, seq: -1 }));
        throw new Error('bug');
      }),
    ).toThrow('bug');
    expect(seen).toEqual([]);
    expect(store.lastEventSeq()).toBe(0);
    expect(records.some((r) => r.level === 'error' && r.input === 'buggy')).toBe(true);
    tx.run('next', () => tx.emit({ type: 'callAnswered', callId: 'c2' }));
    expect(seen.map((e) => e.seq)).toEqual([1]);
  });

  it('groups plain inputs into one commit within groupCommitMs', () => {
    const { tx, clock, order, seen } = setup(1_000);
    tx.run('a', () => tx.emit({ type: 'callAnswered', callId: 'a' }));
    clock.advance(300);
    tx.run('b', () => tx.emit({ type: 'callAnswered', callId: 'b' }));
    expect(order).toEqual([]);
    expect(seen).toEqual([]);
    clock.advance(700);
    expect(order).toEqual(['commit']);
    expect(seen.map((e) => ('callId' in e ? e.callId : ''))).toEqual(['a', 'b']);
  });

  it('reports a failing commit, keeps the events, and delivers them when a retry succeeds', () => {
    const { tx, clock, store, seen, records } = setup();
    let fail = true;
    const commit = store.commit.bind(store);
    store.commit = () => {
      if (fail) throw new Error('disk full');
      commit();
    };
    tx.run('a', () => tx.emit({ type: 'callAnswered', callId: 'a' }));
    expect(tx.health.ok).toBe(false);
    expect(seen).toEqual([]);
    expect(records.some((r) => r.level === 'error' && /commit failed/.test(r.msg))).toBe(true);
    fail = false;
    clock.advance(5_000);
    expect(tx.health).toEqual({ ok: true, detail: 'ok' });
    expect(seen.map((e) => ('callId' in e ? e.callId : ''))).toEqual(['a']);
  });
});
