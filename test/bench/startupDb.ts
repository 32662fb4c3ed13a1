import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RECORD_DAY_DEFAULTS, runRecordDay } from './recordDay.ts';
import { QUEUE_LOG_CURSOR } from './recordDayWorld.ts';
import { TMPFS, fsType } from './recordDayJob.ts';
import { round } from './rss.ts';

const DAY_MS = 86_400_000;
/** Tables copied per day; live state (agents, queue entries, contacts, opt-outs, meta) is kept once, as the day left it. */
const PER_DAY_TABLES = ['calls', 'callbacks', 'surveys', 'campaigns', 'targets', 'sms', 'call_history'] as const;
const TIME_COLUMN = /^(at|.*At|notBefore|stickyUntil)$/;
/** Rows of the per-day tables that are live state rather than history: copied once, not per day. */
const LIVE_ROWS: Readonly<Record<string, string>> = {
  callbacks: "status NOT IN ('pending', 'dialling')",
  sms: "status NOT IN ('pending', 'held', 'submitting')",
};
const ID_COLUMN = /^(id|.*Id)$/;

/**
 * A record day's database, for the startup and idle jobs: the default record
 * day of this run (BENCH_SHARE_DIR/recordDay.db) when there is one, otherwise
 * a record day replayed here on tmpfs with a long group commit (same calls,
 * fewer fsyncs: only the content matters).
 */
export async function seedDay(err: (line: string) => void): Promise<{ path: string; source: string; cleanup(): void }> {
  const shared = process.env.BENCH_SHARE_DIR ? join(process.env.BENCH_SHARE_DIR, 'recordDay.db') : null;
  if (shared && existsSync(shared)) return { path: shared, source: 'recordDay-default of this run', cleanup: () => {} };
  const hours = Number(process.env.BENCH_HOURS ?? 24);
  err(`  replaying a record day${hours !== 24 ? ` (${hours} h, BENCH_HOURS)` : ''} for the seed database …`);
  const dir = fsType(TMPFS) === 'tmpfs' ? TMPFS : undefined;
  const { artifacts } = await runRecordDay({ ...RECORD_DAY_DEFAULTS, hours, groupCommitMs: 60_000, ...(dir ? { dir } : {}) });
  return { path: artifacts.storePath, source: `record day replayed for this job (${hours} h)`, cleanup: () => artifacts.cleanup() };
}

export interface ThirtyDays {
  path: string;
  dir: string;
  days: number;
  events: number;
  usedMB: number;
  fileMB: number;
  buildSec: number;
  /** Events of a copy stamped after the next copy's midnight (the drain past midnight): `at` is not monotonic in seq there. */
  overlapEventsPerDay: number;
  cleanup(): void;
}

/**
 * `days` days of traffic from one record day: the day's events copied with
 * seq shifted so the log stays gap-free and `at` shifted by whole days, so
 * the last copy ends a few minutes before `now` (a daemon restarted mid-day
 * reads today's traffic); the per-call tables likewise, with ids suffixed
 * ~k. The queue_log cursor is left at the last event, as a caught-up daemon
 * leaves it. Event JSON keeps its `at` in step; other times inside the JSON
 * (joinedAt …) are not shifted.
 */
export function buildThirtyDays(seedPath: string, parentDir: string, now: number, days = 30): ThirtyDays {
  const t0 = performance.now();
  const dir = mkdtempSync(join(parentDir, 'ccgate-bench-30d-'));
  const path = join(dir, 'ccgate.db');
  // A consistent copy of the seed, WAL folded in.
  const src = new Database(seedPath, { readonly: true });
  src.exec(`VACUUM INTO '${path.replaceAll("'", "''")}'`);
  src.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a fixture: the daemon's own settings apply when it opens it
  const n = db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
  const first = db.prepare('SELECT min(at) FROM events').pluck().get() as number;
  const last = db.prepare('SELECT max(at) FROM events').pluck().get() as number;
  // Copy k (0 = oldest) is shifted by base + k days; the newest ends 5 min before now.
  const base = now - 5 * 60_000 - last - (days - 1) * DAY_MS;
  const overlap = db.prepare('SELECT count(*) FROM events WHERE at >= ?').pluck().get(first + DAY_MS) as number;
  const maxRow = Object.fromEntries(PER_DAY_TABLES.map((t) => [t, db.prepare(`SELECT coalesce(max(rowid), 0) FROM ${t}`).pluck().get() as number]));
  const columns = (t: string) => db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string; type: string; pk: number }>;
  const copyTable = (t: string, k: number, delta: number): void => {
    const cols = columns(t).filter((c) => !(c.pk && c.type === 'INTEGER'));
    const expr = cols.map((c) => {
      const q = `"${c.name}"`;
      if (TIME_COLUMN.test(c.name) && c.type === 'INTEGER') return `CASE WHEN ${q} IS NULL OR ${q} = 0 THEN ${q} ELSE ${q} + ${delta} END`;
      if (ID_COLUMN.test(c.name) && c.type === 'TEXT') return `CASE WHEN ${q} IS NULL THEN NULL ELSE ${q} || '~${k}' END`;
      return q;
    });
    const names = cols.map((c) => `"${c.name}"`).join(', ');
    // Active callbacks and SMS not yet sent are live state, kept once: a unit sends a held SMS when quiet
    // hours end, or drops it as stale, so thirty days never leave thirty days of them open.
    const live = LIVE_ROWS[t];
    const where = `rowid <= ${maxRow[t]!}` + (live ? ` AND ${live}` : '');
    db.exec(`INSERT INTO ${t} (${names}) SELECT ${expr.join(', ')} FROM ${t} WHERE ${where}`);
  };
  const shiftOriginal = (t: string, delta: number): void => {
    const sets = columns(t).filter((c) => TIME_COLUMN.test(c.name) && c.type === 'INTEGER').map((c) => `"${c.name}" = CASE WHEN "${c.name}" IS NULL OR "${c.name}" = 0 THEN "${c.name}" ELSE "${c.name}" + ${delta} END`);
    if (sets.length > 0) db.exec(`UPDATE ${t} SET ${sets.join(', ')} WHERE rowid <= ${maxRow[t]!}`);
  };
  for (let k = 1; k < days; k++) {
    const delta = base + k * DAY_MS;
    db.transaction(() => {
      db.exec(`INSERT INTO events (seq, at, type, data) SELECT seq + ${k * n}, at + ${delta}, type, json_set(data, '$.at', at + ${delta}) FROM events WHERE seq <= ${n}`);
      for (const t of PER_DAY_TABLES) copyTable(t, k, delta);
    })();
  }
  db.transaction(() => {
    db.exec(`UPDATE events SET at = at + ${base}, data = json_set(data, '$.at', at + ${base}) WHERE seq <= ${n}`);
    for (const t of PER_DAY_TABLES) shiftOriginal(t, base);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(QUEUE_LOG_CURSOR, String(days * n));
  })();
  const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const maxSeq = db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
  if (events !== maxSeq || events !== days * n) throw new Error(`30-day database: ${events} events, max seq ${maxSeq}, expected ${days * n} gap-free`);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const used = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close(); // the last connection: SQLite folds the WAL in and removes it
  // Written with synchronous=OFF: flush the 1.7 GB now, or the daemon's first
  // commit waits for the kernel to write the fixture back (ext4 orders data
  // before the journal commit an fsync forces), which a unit never meets.
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return {
    path,
    dir,
    days,
    events,
    usedMB: round((used * pageSize) / 1048576, 1),
    fileMB: round(statSync(path).size / 1048576, 1),
    buildSec: round((performance.now() - t0) / 1000, 1),
    overlapEventsPerDay: overlap,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
