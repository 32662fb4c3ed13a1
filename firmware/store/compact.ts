/**
 * `ccgate store compact`: rebuild the database file, with the daemon stopped.
 *
 * Why a separate step: schema migrations only ever add (gateway/store/migrations.ts), so that an older release
 * still opens a newer database after a rollback. A migration therefore never changes `page_size` or
 * `auto_vacuum`, nor gives back the pages freed by pruning (call history, SMS, events): SQLite keeps them on its
 * free list and reuses them, so the file levels off at its high-water mark. A rebuild is the only way to shrink
 * it or to change its page size, and it is an explicit maintenance step a technician runs.
 *
 * Steps (each reported to `onStep` when done):
 *   locked        the daemon's lock (firmware/daemon/dbLock.ts) is ours: refused while a daemon holds it;
 *   spaceChecked  the file system can hold the copy plus a margin (statfs), else refused, nothing changed;
 *   cleaned       files left by an interrupted compaction (`<db>.compact-tmp` and its side files) removed;
 *   checkpointed  `PRAGMA wal_checkpoint(TRUNCATE)`: every committed page is in the database file, the WAL empty;
 *   rebuilt       `VACUUM INTO` the temporary file beside the database, with the requested page size;
 *   verified      the copy passes `integrity_check` and has the same schema, `user_version` and rows per table;
 *   synced        the original closed, its emptied `-wal`/`-shm` removed, the copy given the original's mode and
 *                 owner and fsynced;
 *   renamed       the copy renamed over the database (atomic) and the directory fsynced.
 *
 * Crash safety: the original is only read (the checkpoint is SQLite's own crash-safe operation) until the
 * rename, which is atomic; whatever step a kill -9 or a power cut interrupts, the database is either the
 * original or the verified copy, and running again removes the leftovers and starts the rebuild over.
 */
import { renameSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CcgateError, isCcgateError, StoreError } from '../../gateway/core/errors.ts';
import { silentLogger, type Logger } from '../../gateway/core/Logger.ts';
import { lockDatabase, type DatabaseLock } from '../daemon/dbLock.ts';
import { copyOwnership, exists, fileBytes, formatBytes, freeBytesOn, fsyncDir, fsyncFile, removeIfPresent, SIDE_SUFFIXES } from './dbFiles.ts';
import { databaseStats, type DatabaseStats } from './inspect.ts';
import { verifyCopy } from './verifyCopy.ts';
import { STORE_SETTINGS } from '../../gateway/store/sqliteSettings.ts';

/** A finished step of a compaction, in order (see the file comment). */
export type CompactStep = 'locked' | 'spaceChecked' | 'cleaned' | 'checkpointed' | 'rebuilt' | 'verified' | 'synced' | 'renamed';

export interface CompactOptions {
  /** Page size of the rebuilt database, bytes: a power of two from 512 to 65536. Default {@link DEFAULT_PAGE_SIZE}. */
  pageSize?: number;
  /** Check and report only: lock, space and layout; nothing is written, leftovers are reported, not removed. */
  dryRun?: boolean;
  /** Free bytes on the file system holding a directory. Default: statfs(2). Test seam. */
  freeBytes?: (dir: string) => number;
  /** Bytes to leave free beyond the copy. Default: {@link defaultMargin}. */
  marginBytes?: number;
  /** How long to wait for a lock held by another connection, ms (SQLite busy_timeout). Default 5000, as the store's. */
  busyTimeoutMs?: number;
  /** Monotonic milliseconds, for the duration reported. Default `performance.now`. */
  now?: () => number;
  logger?: Logger;
  /** Called after each step. Test seam: the crash tests kill the process here. */
  onStep?: (step: CompactStep) => void;
}

/** Layout of the database file before or after. */
export interface FileLayout {
  /** Database file plus WAL, bytes. */
  bytes: number;
  pageSize: number;
  pageCount: number;
  freePages: number;
}

/** What a compaction did (or, dry run, would do). */
export interface CompactReport {
  path: string;
  dryRun: boolean;
  /** Requested page size, bytes. */
  pageSize: number;
  before: FileLayout & { dbBytes: number; walBytes: number };
  /** Null in a dry run. */
  after: FileLayout | null;
  /** Dry run: the pages in use × the current page size, bytes: about the size after, usually more (partly filled pages get packed). Null after a real run. */
  estimatedBytes: number | null;
  /** `user_version`, the same before and after. */
  schemaVersion: number;
  /** Rows per table, the same before and after (checked). */
  tables: Record<string, number>;
  space: { freeBytes: number; neededBytes: number };
  /** Files of an interrupted compaction found beside the database: removed (reported only in a dry run). */
  leftovers: string[];
  /** Wall time, milliseconds. */
  ms: number;
}

/** Wait for another connection's lock, ms: the store's own busy timeout (gateway/store/SqliteStore.ts). */
const BUSY_TIMEOUT_MS = 5000;

/** Default page size of the rebuilt database, bytes: the one the store gives a new database (why: sqliteSettings.ts). */
export const DEFAULT_PAGE_SIZE: number = STORE_SETTINGS.newDatabasePageSize;

/** The temporary copy beside `dbPath`; a fixed name, so a run after a crash finds the last one's. */
export function compactTempPath(dbPath: string): string {
  return `${dbPath}.compact-tmp`;
}

/** Space to leave free beyond the copy: 10 % of the database, at least 8 MiB (logs, queue_log, the OS). */
export function defaultMargin(dbBytes: number): number {
  return Math.max(8 * 1024 * 1024, Math.ceil(dbBytes / 10));
}

/** True for the page sizes SQLite accepts. */
export function validPageSize(n: number): boolean {
  return Number.isInteger(n) && n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/**
 * Compact the database at `dbPath` (see the file comment). Synchronous: SQLite's VACUUM blocks anyway.
 * @throws CcgateError `DAEMON_ALREADY_RUNNING` while a daemon holds the database's lock;
 *   StoreError `STORE_DISK_FULL` when the file system cannot hold the copy (nothing changed);
 *   StoreError `STORE_FAILED` for no database, a bad page size, another process writing, a copy that fails
 *   verification (removed; the original untouched), or an I/O error.
 */
export function compactDatabase(dbPath: string, opts: CompactOptions = {}): CompactReport {
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const now = opts.now ?? (() => performance.now());
  const step = opts.onStep ?? (() => {});
  const started = now();
  if (!validPageSize(pageSize)) throw fail('compact', `page size ${pageSize} is not a power of two from 512 to 65536`, { pageSize });
  if (dbPath === ':memory:') throw fail('compact', 'store.path is :memory:: there is no database file to compact', {});
  if (!exists(dbPath)) throw fail('compact', `no database at ${dbPath} (check store.path, or give --config FILE)`, { path: dbPath });
  const dir = dirname(dbPath);
  const tmp = compactTempPath(dbPath);
  const lock = takeLock(dbPath, opts.logger ?? silentLogger);
  let src: Database.Database | undefined;
  let tmpMine = false;
  try {
    step('locked');
    const leftovers = [tmp, ...SIDE_SUFFIXES.map((s) => tmp + s)].filter(exists);
    const dbBytes = fileBytes(dbPath);
    const walBytes = fileBytes(`${dbPath}-wal`);
    // The copy holds at most what the database and its WAL hold; the checkpoint may first grow the database by
    // up to the WAL's pages. The leftovers of an interrupted run count as free: they are removed before the copy.
    const neededBytes = dbBytes + 2 * walBytes + (opts.marginBytes ?? defaultMargin(dbBytes + walBytes));
    const freeBytes = (opts.freeBytes ?? freeBytesOn)(dir) + leftovers.reduce((n, f) => n + fileBytes(f), 0);
    if (freeBytes < neededBytes) {
      throw new StoreError(
        'STORE_DISK_FULL',
        `not enough free space to compact ${dbPath}: needs ${neededBytes} bytes (${formatBytes(neededBytes)}: the copy plus a margin), ` +
          `${freeBytes} bytes (${formatBytes(freeBytes)}) free in ${dir}; nothing was changed`,
        { op: 'compact.space', path: dbPath, neededBytes, freeBytes, dir },
      );
    }
    step('spaceChecked');
    if (!opts.dryRun) {
      for (const f of leftovers) removeIfPresent(f);
      if (leftovers.length > 0) (opts.logger ?? silentLogger).warn({ files: leftovers }, 'removed the leftovers of an interrupted compaction');
      step('cleaned');
    }

    const space = { freeBytes, neededBytes };
    const leftoverNames = leftovers.map((f) => basename(f));
    const sizes = { dbBytes, walBytes, bytes: dbBytes + walBytes };
    if (opts.dryRun) {
      const before = readOnlyStats(dbPath);
      return {
        path: dbPath, dryRun: true, pageSize, before: { ...sizes, ...layoutOf(before, sizes.bytes) }, after: null,
        estimatedBytes: (before.pageCount - before.freePages) * before.pageSize, schemaVersion: before.schemaVersion,
        tables: before.tables, space, leftovers: leftoverNames, ms: now() - started,
      };
    }

    src = open(dbPath, { timeoutMs: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
    const before = databaseStats(src);
    const ck = src.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    // busy: a reader or writer outside the lock kept the WAL from being emptied; copying now could miss writes.
    if (ck[0]?.busy !== 0) throw fail('compact.checkpoint', `another process has ${dbPath} open (the WAL could not be emptied); close it and run again`, { path: dbPath });
    const dataVersion = src.pragma('data_version', { simple: true }) as number;
    step('checkpointed');

    // VACUUM INTO takes the connection's pending page_size/auto_vacuum (SQLite's vacuum.c), even in WAL mode.
    // auto_vacuum NONE: free-list reuse already levels the size off, and FULL would move pages on every commit.
    src.pragma(`page_size = ${pageSize}`);
    src.pragma('auto_vacuum = NONE');
    tmpMine = true;
    tryStep('compact.rebuild', dbPath, () => src?.prepare('VACUUM INTO ?').run(tmp));
    step('rebuilt');

    const after = verifyCopy(src, tmp, before, pageSize);
    if (src.pragma('data_version', { simple: true }) !== dataVersion) {
      throw fail('compact.verify', `another process wrote to ${dbPath} during the compaction; the copy was dropped, run again with the daemon stopped`, { path: dbPath });
    }
    step('verified');

    src.close();
    src = undefined;
    removeEmptiedSideFiles(dbPath);
    tryStep('compact.sync', dbPath, () => {
      // A technician running this as root must not leave the daemon's user a database it cannot write.
      if (!copyOwnership(dbPath, tmp)) {
        const { uid, gid } = statSync(dbPath);
        throw fail('compact.sync', `cannot give the copy the owner of ${dbPath} (uid ${uid}, gid ${gid}): run as that user or as root; the database is unchanged`, { path: dbPath, uid, gid });
      }
      fsyncFile(tmp);
    });
    step('synced');

    tryStep('compact.rename', dbPath, () => renameSync(tmp, dbPath));
    tmpMine = false;
    try {
      fsyncDir(dir);
    } catch (e) {
      // The rename is done and visible; only its durability across a power cut is in doubt (then the original is back).
      throw fail('compact.fsyncDir', `${dbPath} was compacted but ${dir} could not be synced: ${(e as Error).message}`, { path: dbPath, dir }, e);
    }
    step('renamed');
    return {
      path: dbPath, dryRun: false, pageSize, before: { ...sizes, ...layoutOf(before, sizes.bytes) },
      after: layoutOf(after, fileBytes(dbPath) + fileBytes(`${dbPath}-wal`)), estimatedBytes: null,
      schemaVersion: after.schemaVersion, tables: after.tables, space, leftovers: leftoverNames, ms: now() - started,
    };
  } finally {
    src?.close();
    // A failed run leaves the original as it was; its half-made copy goes (a crashed one is removed next run).
    if (tmpMine) for (const f of [tmp, ...SIDE_SUFFIXES.map((s) => tmp + s)]) removeIfPresent(f);
    lock.release();
  }
}

function layoutOf(s: DatabaseStats, bytes: number): FileLayout {
  return { bytes, pageSize: s.pageSize, pageCount: s.pageCount, freePages: s.freePages };
}

function takeLock(dbPath: string, logger: Logger): DatabaseLock {
  try {
    const lock = lockDatabase(dbPath, { logger });
    if (lock === null) throw fail('compact', 'store.path is :memory:: there is no database file to compact', {});
    return lock;
  } catch (e) {
    if (!isCcgateError(e, 'DAEMON_ALREADY_RUNNING')) throw e;
    const pid = typeof e.context.pid === 'number' ? ` (pid ${e.context.pid})` : '';
    throw new CcgateError(
      'DAEMON_ALREADY_RUNNING',
      `cannot compact ${dbPath}: a ccgate daemon${pid} is using it; stop it first (systemctl stop ccgate) and run again`,
      { ...e.context, op: 'compact' },
      { cause: e },
    );
  }
}

function open(path: string, o: { readonly?: boolean; timeoutMs?: number }): Database.Database {
  try {
    return new Database(path, { fileMustExist: true, readonly: o.readonly === true, timeout: o.timeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (e) {
    throw fail('compact.open', `cannot open ${path}: ${(e as Error).message}`, { path }, e);
  }
}

function readOnlyStats(path: string): DatabaseStats {
  const db = open(path, { readonly: true });
  try {
    return databaseStats(db);
  } finally {
    db.close();
  }
}

/**
 * After the original's last connection closed: SQLite removed its emptied WAL and shared index. A WAL still
 * holding frames means another process has it open and wrote after our checkpoint: stop, those writes are not
 * in the copy. An empty one (left by a read-only reader such as `store info`) is removed, and so is the -shm,
 * so that nothing of the old file can be applied to the new one.
 */
function removeEmptiedSideFiles(dbPath: string): void {
  for (const suffix of ['-wal', '-journal']) {
    if (fileBytes(dbPath + suffix) > 0) {
      throw fail('compact.sync', `${dbPath}${suffix} is not empty: another process wrote to the database during the compaction; the copy was dropped, run again with the daemon stopped`, { path: dbPath });
    }
  }
  for (const suffix of SIDE_SUFFIXES) removeIfPresent(dbPath + suffix);
}

function tryStep(op: string, dbPath: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (isCcgateError(e)) throw e;
    const full = (e as { code?: unknown }).code === 'SQLITE_FULL' || (e as { code?: unknown }).code === 'ENOSPC';
    throw new StoreError(full ? 'STORE_DISK_FULL' : 'STORE_FAILED', `compaction of ${dbPath} failed at ${op}: ${(e as Error).message}; the database is unchanged`, { op, path: dbPath }, e);
  }
}

function fail(op: string, message: string, context: Record<string, unknown>, cause?: unknown): StoreError {
  return new StoreError('STORE_FAILED', message, { op, ...context }, cause);
}
