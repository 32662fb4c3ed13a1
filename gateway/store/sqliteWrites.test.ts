import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './SqliteStore.ts';
import { STORE_SETTINGS, type WalCheckpointer } from './sqliteSettings.ts';
import { sample } from './storeContract.ts';

/** What a commit writes: the settings behind the bytes per call, and the checkpoints the store runs itself. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccgate-writes-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => path.join(dir, `w${++n}.db`);

/** Frames in the WAL now, read by a second connection (as `ccgate store info` would). */
function walFrames(p: string): number {
  const db = new Database(p);
  try {
    return (db.pragma('wal_checkpoint(NOOP)') as Array<{ log: number }>)[0]!.log;
  } finally {
    db.close();
  }
}

/** A database made by an earlier release, with its own page size. */
function olderDatabase(pageSize: number): string {
  const p = freshPath();
  const db = new Database(p);
  db.pragma(`page_size = ${pageSize}`);
  db.exec('CREATE TABLE x (a)');
  db.close();
  return p;
}

function pragmas(s: SqliteStore): Record<string, unknown> {
  const db = (s as unknown as { db: Database.Database }).db;
  const p = (name: string): unknown => db.pragma(name, { simple: true });
  return { pageSize: p('page_size'), tempStore: p('temp_store'), cacheSize: p('cache_size'), autoCheckpoint: p('wal_autocheckpoint'), synchronous: p('synchronous') };
}

describe('SqliteStore writes', () => {
  beforeEach(() => {
    expect.hasAssertions();
  });

  it('creates a new database with small pages, temp data in RAM, a small cache, FULL sync and its own checkpoints', () => {
    const s = new SqliteStore(freshPath());
    expect(pragmas(s)).toEqual({ pageSize: STORE_SETTINGS.newDatabasePageSize, tempStore: 2, cacheSize: -STORE_SETTINGS.cacheKiB, autoCheckpoint: 0, synchronous: 2 });
    s.close();
  });

  it('keeps the page size of an existing database (only compact rebuilds it)', () => {
    const p = olderDatabase(4096);
    const s = new SqliteStore(p);
    expect(s.diagnostics().pageSize).toBe(4096);
    s.close();
  });

  it('checkpoints after the same WAL bytes whatever the page size (64 MB: 131 072 pages of 512 B, 16 384 of 4 KB)', () => {
    const at = (s: SqliteStore): number => (s as unknown as { checkpointer: WalCheckpointer }).checkpointer.pages;
    const fresh = new SqliteStore(freshPath());
    expect(at(fresh)).toBe(STORE_SETTINGS.checkpointWalBytes / STORE_SETTINGS.newDatabasePageSize);
    expect(at(fresh)).toBe(131072);
    fresh.close();
    const p = olderDatabase(4096);
    const old = new SqliteStore(p);
    expect(at(old)).toBe(16384);
    old.close();
  });

  it('writes nothing for a put that changes nothing, and one page for a put that changes an unindexed column', () => {
    const p = freshPath();
    const s = new SqliteStore(p);
    for (let i = 0; i < 200; i++) s.calls.put(sample.call(`c${i}`, { number: `+4416329${String(i).padStart(5, '0')}` }));
    s.commit();
    const before = walFrames(p);
    s.calls.put(sample.call('c50', { number: '+441632900050' }));
    expect(s.dirty).toBe(false);
    s.commit();
    expect(walFrames(p)).toBe(before);
    s.calls.put(sample.call('c50', { number: '+441632900050', phase: 'connected', agent: 'a1' }));
    expect(s.dirty).toBe(true);
    s.commit();
    expect(walFrames(p) - before).toBe(1);
    expect(s.calls.get('c50')).toEqual(sample.call('c50', { number: '+441632900050', phase: 'connected', agent: 'a1' }));
    s.close();
  });

  it('checkpoints the WAL itself once it holds the set number of pages, and counts commits, checkpoints and pages', () => {
    const p = freshPath();
    let ms = 0;
    // A stopwatch that moves 3 ms each time it is read: every checkpoint costs 3 ms.
    const s = new SqliteStore(p, { checkpointPages: 40, stopwatch: () => (ms += 3) });
    expect(s.stats()).toEqual({ commits: 0, checkpoints: 0, checkpointMs: 0, checkpointPages: 0 });
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 20; j++) s.appendEvent({ type: 'ivrMenuEntered', at: i * 100 + j, callId: `c${i}`, menu: 'main'.repeat(20) });
      s.commit();
    }
    const st = s.stats();
    expect(st.commits).toBe(30);
    expect(st.checkpoints).toBeGreaterThan(0);
    expect(st.checkpointPages).toBeGreaterThanOrEqual(40 * st.checkpoints);
    expect(st.checkpointMs).toBe(3 * st.checkpoints);
    // Never far past the mark: each checkpoint let the WAL start over.
    expect(walFrames(p)).toBeLessThan(40 + 20);
    // A commit of nothing is not a commit.
    s.commit();
    expect(s.stats().commits).toBe(30);
    s.close();
    const again = new SqliteStore(p);
    expect(again.readEvents(0, 1000)).toHaveLength(600);
    again.close();
  });

  it('leaves checkpoints to SQLite when asked (checkpointPages 0)', () => {
    const s = new SqliteStore(freshPath(), { checkpointPages: 0 });
    expect(pragmas(s).autoCheckpoint).toBe(1000);
    s.appendEvent({ type: 'ivrMenuEntered', at: 1, callId: 'c1', menu: 'main' });
    s.commit();
    expect(s.stats()).toEqual({ commits: 1, checkpoints: 0, checkpointMs: null, checkpointPages: 0 });
    s.close();
  });
});
