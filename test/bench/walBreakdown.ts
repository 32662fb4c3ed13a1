import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RECORD_DAY_DEFAULTS, runRecordDay } from './recordDay.ts';
import { schemaDefaults } from './benchConfig.ts';
import { fsType, TMPFS } from './recordDayJob.ts';
import { round } from './rss.ts';

/** The record day's busiest hours end here; the WAL then holds the commits since the last checkpoint (up to STORE_SETTINGS.checkpointWalBytes). */
const AT_HOUR = 12;

/** Frames of the current WAL generation: page number of each, and how many frames end a commit. */
export function walFrames(wal: Buffer): { pageSize: number; pages: number[]; commits: number } {
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  const pages: number[] = [];
  let commits = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    // A reused WAL keeps older frames past the current ones: they carry the previous salts.
    if (wal.readUInt32BE(off + 8) !== salt[0] || wal.readUInt32BE(off + 12) !== salt[1]) break;
    pages.push(wal.readUInt32BE(off));
    if (wal.readUInt32BE(off + 4) !== 0) commits++;
  }
  return { pageSize, pages, commits };
}

/**
 * `walBreakdown`: which tables and indexes a commit writes. A record day on
 * tmpfs at the schema's default group commit to the end of its busiest
 * hours; there the WAL (frames since the last checkpoint) is copied with the
 * database, and every frame is attributed to the b-tree that owns its page
 * (SQLite's dbstat). Pages a commit writes, by b-tree: what a change of
 * schema or of what is written would save, per commit.
 */
export async function walBreakdownJob(err: (line: string) => void): Promise<Record<string, unknown>> {
  const groupCommitMs = schemaDefaults().store.groupCommitMs;
  const dir = fsType(TMPFS) === 'tmpfs' ? TMPFS : undefined;
  const copy = mkdtempSync(join(dir ?? process.env.BENCH_DIR ?? tmpdir(), 'ccgate-bench-wal-'));
  try {
    err(`walBreakdown: record day to ${AT_HOUR}:00, groupCommitMs=${groupCommitMs}, then the WAL by b-tree …`);
    const { artifacts } = await runRecordDay({
      ...RECORD_DAY_DEFAULTS,
      hours: AT_HOUR + 1,
      groupCommitMs,
      ...(dir ? { dir } : {}),
      atHour: {
        hour: AT_HOUR,
        fn: (path) => {
          copyFileSync(path, join(copy, 'day.db'));
          copyFileSync(`${path}-wal`, join(copy, 'day.db-wal'));
        },
      },
    });
    artifacts.cleanup();
    const { pageSize, pages, commits } = walFrames(readFileSync(join(copy, 'day.db-wal')));
    const db = new Database(join(copy, 'day.db'), { readonly: true });
    const owner = new Map<number, string>();
    try {
      for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>) owner.set(r.pageno, r.name);
    } finally {
      db.close();
    }
    const count: Record<string, number> = {};
    for (const p of pages) {
      const name = p === 1 ? 'page 1 (header: size, free list)' : (owner.get(p) ?? 'free list');
      count[name] = (count[name] ?? 0) + 1;
    }
    const perCommit = Object.fromEntries(Object.entries(count).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, round(n / Math.max(1, commits), 2)]));
    return { job: 'walBreakdown', groupCommitMs, atHour: AT_HOUR, pageSize, frames: pages.length, commits, pagesPerCommit: round(pages.length / Math.max(1, commits), 2), byBtreePagesPerCommit: perCommit };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
