import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { walFrames } from './walBreakdown.ts';

describe('walFrames', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads the page of every frame and the commits of the current WAL generation only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccgate-walframes-'));
    dirs.push(dir);
    const path = join(dir, 'x.db');
    const db = new Database(path);
    db.pragma('page_size = 1024');
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run('v'.repeat(100) + i); // fills the WAL past the next generation's length
    db.pragma('wal_checkpoint(PASSIVE)');
    // A new generation starts at the WAL's beginning after a checkpoint; the older frames behind it remain.
    db.pragma('wal_checkpoint(RESTART)');
    for (let i = 0; i < 3; i++) insert.run(`row ${i}`);
    const owner = new Map((db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>).map((r) => [r.pageno, r.name]));
    const { pageSize, pages, commits } = walFrames(readFileSync(`${path}-wal`));
    db.close();
    expect(pageSize).toBe(1024);
    expect(commits).toBe(3);
    // Each one-row commit changes the table's last leaf and the index's leaf.
    expect(new Set(pages.map((p) => owner.get(p)))).toEqual(new Set(['t', 't_x']));
    expect(pages.length).toBeGreaterThanOrEqual(6);
    expect(pages.length).toBeLessThan(12);
  });
});
