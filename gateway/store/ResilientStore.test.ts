import { describe, expect, it } from 'vitest';
import { capturingLogger, silentLogger } from '../core/Logger.ts';
import { ResilientStore } from './ResilientStore.ts';
import { SqliteStore } from './SqliteStore.ts';
import { describeStoreContract, sample } from './storeContract.ts';
import { describeRetentionContract } from './retentionContract.ts';

describeStoreContract('ResilientStore over SqliteStore', () => new ResilientStore(new SqliteStore(':memory:'), silentLogger));
describeRetentionContract('ResilientStore over SqliteStore', () => new ResilientStore(new SqliteStore(':memory:'), silentLogger));

describe('ResilientStore', () => {
  it('keeps writing into its journal when the disk is full and commits it all once there is room', () => {
    const sqlite = new SqliteStore(':memory:');
    const db = (sqlite as unknown as { db: { pragma(s: string, o?: { simple: boolean }): unknown } }).db;
    const { logger, records } = capturingLogger('info');
    const store = new ResilientStore(sqlite, logger);
    store.appendEvent({ type: 'callAnswered', callId: 'c0', at: 1 });
    store.commit();
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    // Enough writes to need new pages: none of them throws.
    for (let i = 1; i <= 300; i++) {
      store.batch(() => {
        store.appendEvent({ type: 'callAnswered', callId: `c${i}`, at: i + 1 });
        store.calls.put(sample.call(`c${i}`));
      });
    }
    expect(store.degraded).toBe(true);
    expect(() => store.commit()).toThrow();
    expect(records.some((r) => r.level === 'error' && /cannot write/.test(r.msg))).toBe(true);
    db.pragma('max_page_count = 1000000');
    store.commit();
    expect(store.degraded).toBe(false);
    expect(sqlite.lastEventSeq()).toBe(301);
    expect(sqlite.readEvents(0, 1000).map((e) => e.seq)).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
    expect(sqlite.calls.all()).toHaveLength(300);
    store.close();
  });

  it('drops the journal entries of a batch that threw, in either mode', () => {
    const store = new ResilientStore(new SqliteStore(':memory:'), silentLogger);
    expect(() =>
      store.batch(() => {
        store.setMeta('x', '1');
        throw new Error('handler bug');
      }),
    ).toThrow('handler bug');
    store.setMeta('y', '1');
    store.commit();
    expect([store.getMeta('x'), store.getMeta('y')]).toEqual([undefined, '1']);
    store.close();
  });
});
