import type Database from 'better-sqlite3';

/**
 * How the store's connection talks to the SD card. Each choice is about the
 * bytes a commit writes, never about durability: every commit is still
 * fsync'd in the WAL before it returns (synchronous=FULL).
 */
export const STORE_SETTINGS = {
  /**
   * Page size of a database this release creates. A commit appends every
   * page it changed to the WAL, whole, and the gateway's commits change a
   * row or two in some twenty tables and indexes: the bytes a commit writes
   * follow the page size, not the data (about 120 bytes of JSON an event,
   * ~300 a history row). Measured on the record day (docs/storage.md):
   * 4096 → 1024 → 512 bytes cut a call's writes 264 → 42 → 34 KB at equal
   * settings, for 8 % more file (rows above ~480 bytes, an SMS's text,
   * spill to overflow pages). Set only on an empty file: an existing
   * database keeps its page size until `ccgate store compact --page-size`
   * rebuilds it.
   */
  newDatabasePageSize: 512,
  /**
   * Page cache, KiB. better-sqlite3 builds SQLite with a 16 MB default, which
   * a scan (start-up, `ccgate history`) fills and the process keeps. The
   * writes touch the right-most pages of a few tables and their interior
   * pages, a few dozen pages; 2 MB holds those and the small live tables
   * (agents, queue entries, meta) many times over.
   */
  cacheKiB: 2048,
  /**
   * Bytes of pages in the WAL after which the store checkpoints (see
   * {@link WalCheckpointer}; {@link checkpointPagesFor} turns it into pages).
   * A checkpoint copies each page once however many commits changed it, so
   * the longer the WAL, the fewer copies of the hot pages (the right-most
   * leaves of the logs, the random leaves of the indexes): with 512-byte
   * pages, 8 → 64 MB of WAL cut a record day's checkpoint writes from 374 to
   * 252 MB (docs/storage.md). The cost:
   * up to 64 MB of WAL on the card, and after a power cut the next start reads
   * it whole to rebuild SQLite's index of it.
   */
  checkpointWalBytes: 64 * 1024 * 1024,
  /**
   * After a checkpoint the WAL file is cut back to this many bytes: above its
   * usual high mark (the pages above plus a 24-byte header a frame), so the
   * file is reused from its start rather than trimmed and regrown every
   * cycle, but a burst (a long reader holding the checkpoint back) does not
   * stay on the card.
   */
  journalSizeLimitBytes: 72 * 1024 * 1024,
} as const;

/** WAL pages worth {@link STORE_SETTINGS.checkpointWalBytes} at a database's page size. */
export function checkpointPagesFor(pageSize: number): number {
  return Math.max(1, Math.floor(STORE_SETTINGS.checkpointWalBytes / pageSize));
}

/**
 * Apply the connection settings. `synchronous=FULL` with WAL: a COMMIT that
 * returned survives a power cut. `temp_store=MEMORY`: statement and savepoint
 * journals and sort trees stay in RAM rather than in temporary files that
 * are written and deleted (they are small: the gateway's statements touch a
 * few rows). The automatic checkpoint is off because {@link WalCheckpointer}
 * runs it, timed and counted.
 */
export function applySettings(db: Database.Database, ownCheckpoints: boolean): void {
  const fresh = (db.pragma('page_count', { simple: true }) as number) === 0;
  // page_size takes effect only before the first page is written, and only outside WAL: a new file.
  if (fresh && !db.memory) db.pragma(`page_size = ${STORE_SETTINGS.newDatabasePageSize}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${STORE_SETTINGS.cacheKiB}`);
  db.pragma(`wal_autocheckpoint = ${ownCheckpoints ? 0 : 1000}`);
  db.pragma(`journal_size_limit = ${STORE_SETTINGS.journalSizeLimitBytes}`);
}

/** What the store wrote: commits and the checkpoints that moved WAL pages into the database file. */
export interface StoreStats {
  /** Transactions committed (COMMIT of a transaction that wrote). */
  commits: number;
  checkpoints: number;
  /** Wall time spent in checkpoints, ms; null when the store was given no stopwatch (the core reads no clock itself). */
  checkpointMs: number | null;
  /** WAL frames those checkpoints copied into the database (a page changed in several commits is written once). */
  checkpointPages: number;
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Checkpoints the WAL once it holds `pages` pages, right after the commit
 * that crossed the line, and counts what that costs. SQLite's own automatic
 * checkpoint does the same work at the same moment, but invisibly; this one
 * is reported by `stats()` and by the bench. A passive checkpoint never
 * waits for readers (`ccgate store info` may be reading); if one holds part
 * of the WAL back, the next try waits for another quarter of `pages`, so a
 * long reader does not turn every commit into a checkpoint.
 */
export class WalCheckpointer {
  private readonly counts = { commits: 0, checkpoints: 0, checkpointMs: 0, checkpointPages: 0 };
  private readonly probe: Database.Statement<[], CheckpointRow> | null;
  private readonly run: Database.Statement<[], CheckpointRow> | null;
  private nextAt: number;
  /** Frames of the current WAL already copied by an earlier, partial checkpoint. */
  private backfilled = 0;
  private lastLog = 0;

  constructor(
    db: Database.Database,
    /** WAL pages that start a checkpoint. */
    readonly pages: number,
    /** Milliseconds from any fixed point (firmware passes performance.now), to time the checkpoints. */
    private readonly stopwatch: (() => number) | null = null,
  ) {
    const wal = !db.memory && pages > 0 && db.pragma('journal_mode', { simple: true }) === 'wal';
    // NOOP (SQLite ≥ 3.51) reads the WAL's frame count from the shared index without copying anything.
    this.probe = wal ? db.prepare<[], CheckpointRow>('PRAGMA wal_checkpoint(NOOP)') : null;
    this.run = wal ? db.prepare<[], CheckpointRow>('PRAGMA wal_checkpoint(PASSIVE)') : null;
    this.nextAt = pages;
  }

  /** After each COMMIT that wrote. */
  committed(): void {
    this.counts.commits++;
    if (!this.probe || !this.run) return;
    const { log } = this.probe.get()!;
    // Fewer frames than last time: the WAL was restarted from its beginning (after a full checkpoint).
    if (log < this.lastLog) {
      this.backfilled = 0;
      this.nextAt = this.pages;
    }
    this.lastLog = log;
    if (log < this.nextAt) return;
    const t0 = this.stopwatch?.() ?? 0;
    const r = this.run.get()!;
    this.counts.checkpointMs += (this.stopwatch?.() ?? 0) - t0;
    this.counts.checkpoints++;
    // `checkpointed` counts every frame copied so far in this WAL, by this checkpoint or an earlier partial one.
    this.counts.checkpointPages += Math.max(0, r.checkpointed - this.backfilled);
    this.backfilled = Math.max(0, r.checkpointed);
    this.nextAt = r.checkpointed >= r.log ? this.pages : r.log + Math.ceil(this.pages / 4);
  }

  stats(): StoreStats {
    return { ...this.counts, checkpointMs: this.stopwatch ? Math.round(this.counts.checkpointMs * 10) / 10 : null };
  }
}
