import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { floorProcessRss } from './floorProcess.ts';
import { timeSqlite } from './sqliteTime.ts';

describe('bench floors', () => {
  it('timeSqlite counts every statement and pragma call while on, and nothing once restored', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const t = timeSqlite();
    try {
      for (let i = 0; i < 100; i++) insert.run(i);
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 100 });
      expect(db.prepare('SELECT x FROM t WHERE x < 3 ORDER BY x').all()).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
      db.pragma('user_version = 7');
      db.exec('DELETE FROM t WHERE x > 50');
    } finally {
      t.restore();
    }
    // 100 runs, get, all, the pragma and the exec (prepare itself is not timed).
    expect(t.calls()).toBe(104);
    expect(t.ms()).toBeGreaterThan(0);
    insert.run(1);
    db.pragma('user_version', { simple: true });
    expect(t.calls()).toBe(104);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 52 });
    db.close();
  });

  it('the floor process reports its own VmRSS: node, better-sqlite3, Intl and an HTTP server, no ccgate', async () => {
    const f = await floorProcessRss(0);
    expect(f.vmRssMB).toBeGreaterThan(20);
    expect(f.vmHwmMB).toBeGreaterThanOrEqual(f.vmRssMB);
    expect(f.what).toContain('none of ccgate');
  });
});
