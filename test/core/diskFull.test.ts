import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../gateway/core/Logger.ts';
import { ResilientStore } from '../../gateway/store/ResilientStore.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { caller, makeWorld, siteYaml } from '../support/world.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a full disk', () => {
  it('is reported, calls keep flowing, and commits resume once there is room', () => {
    const sqlite = new SqliteStore(join(dir, 'full.db'));
    const db = (sqlite as unknown as { db: { pragma(s: string, o?: { simple: boolean }): unknown } }).db;
    const store = new ResilientStore(sqlite, silentLogger);
    const w = makeWorld(siteYaml({ agents: `  - { id: a1, endpoint: '+989120000001', queues: [flights] }` }), { store });
    w.login('a1');
    const pages = Number(db.pragma('page_count', { simple: true }));
    // Freeze the database at its current size: the next growth fails as SQLITE_FULL does on a full card.
    db.pragma(`max_page_count = ${pages}`);
    const calls = Array.from({ length: 6 }, (_, i) => w.call(caller(`+98912555000${i}`, { keys: { 'ivr-main': '1' }, talkMs: 20_000 })));
    w.run(10 * 60_000);
    expect(w.gw.snapshot().store.ok).toBe(false);
    expect(w.logs.some((r) => r.level === 'error' && /commit failed|rolled back/.test(r.msg))).toBe(true);
    // The callers were still served from memory.
    expect(calls.every((c) => c.outcome === 'completed')).toBe(true);
    // Room again (a log rotated away): the next commit succeeds and the failure clears.
    db.pragma('max_page_count = 1000000');
    w.call(caller('+989125559999', { keys: { 'ivr-main': '1' }, talkMs: 20_000 }));
    w.run(5 * 60_000);
    expect(w.gw.snapshot().store).toEqual({ ok: true, detail: 'ok' });
    expect(store.degraded).toBe(false);
    // Everything done while the disk was full reached the database: the event log has no gap.
    const inDb = sqlite.readEvents(0, 1_000_000);
    expect(inDb.length).toBe(store.lastEventSeq());
    expect(inDb.map((e) => e.seq)).toEqual(inDb.map((_, i) => i + 1));
    expect(inDb.filter((e) => e.type === 'queueCompleted')).toHaveLength(7);
    // The errors above were the point of this test.
    w.logs.length = 0;
    store.close();
  });
});
