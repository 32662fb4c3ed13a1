/**
 * A technician's look at the database file: how much of the SD card it takes,
 * how it is laid out (page size, free pages) and what it holds (rows per
 * table). Read-only, so it works while the daemon runs: the connection sees
 * the last committed state, WAL included.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../gateway/core/errors.ts';
import { SCHEMA_VERSION, userVersion } from '../../gateway/store/migrations.ts';
import { exists, fileBytes } from './dbFiles.ts';

/** SQLite's `PRAGMA auto_vacuum` values. */
export type AutoVacuum = 'none' | 'full' | 'incremental';

/** Layout and contents of a database as one connection sees it. */
export interface DatabaseStats {
  /** Bytes per page (`PRAGMA page_size`). */
  pageSize: number;
  /** Pages in the database, WAL included (`PRAGMA page_count`). */
  pageCount: number;
  /** Pages on the free list: space the file keeps and SQLite reuses, given back only by a rebuild. */
  freePages: number;
  autoVacuum: AutoVacuum;
  /** `wal` while a ccgate store has it open or after it did; `delete` right after a compaction. */
  journalMode: string;
  /** `PRAGMA user_version`: the schema version of the last release that migrated it. */
  schemaVersion: number;
  /** Rows per table (SQLite's own `sqlite_*` tables left out), by table name in name order. */
  tables: Record<string, number>;
}

/** {@link DatabaseStats} plus what the files take on disk, for `ccgate store info`. */
export interface DatabaseInfo extends DatabaseStats {
  path: string;
  /** Size of the database file, bytes. */
  dbBytes: number;
  /** Size of its `-wal` file, bytes (0 when absent). */
  walBytes: number;
  /** `dbBytes + walBytes`: what the data takes on the card. */
  bytes: number;
  /** `freePages × pageSize`: what a compaction would give back at most, bytes. */
  reusableBytes: number;
  /** The schema version this release writes, to compare with {@link DatabaseStats.schemaVersion}. */
  releaseSchemaVersion: number;
}

const AUTO_VACUUM: readonly AutoVacuum[] = ['none', 'full', 'incremental'];

/** Read {@link DatabaseStats} on an open connection (read-only statements only). */
export function databaseStats(db: Database.Database): DatabaseStats {
  const pragma = (name: string): unknown => db.pragma(name, { simple: true });
  const tables: Record<string, number> = {};
  for (const name of tableNames(db)) {
    tables[name] = db.prepare(`SELECT count(*) FROM ${quoteId(name)}`).pluck().get() as number;
  }
  return {
    pageSize: pragma('page_size') as number,
    pageCount: pragma('page_count') as number,
    freePages: pragma('freelist_count') as number,
    autoVacuum: AUTO_VACUUM[pragma('auto_vacuum') as number] ?? 'none',
    journalMode: pragma('journal_mode') as string,
    schemaVersion: userVersion(db),
    tables,
  };
}

/** The user tables of a database, by name. */
export function tableNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY name")
    .pluck()
    .all() as string[];
}

/** Every schema object's definition, to compare a rebuilt copy with its original. */
export function schemaText(db: Database.Database): string {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').raw().all();
  return JSON.stringify(rows);
}

/** An SQL identifier in double quotes. */
export function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Open `path` read-only and describe it. Never writes to the database; SQLite
 * may create an empty `-wal`/`-shm` beside a WAL database when none exist
 * (a reader needs the shared index), which the next writer takes over.
 *
 * @throws StoreError `STORE_FAILED` with `{op: 'info', path}` if there is no database there or it cannot be read.
 */
export function inspectDatabase(path: string): DatabaseInfo {
  if (path === ':memory:') throw new StoreError('STORE_FAILED', 'store.path is :memory:: there is no database file to look at', { op: 'info', path });
  if (!exists(path)) throw new StoreError('STORE_FAILED', `no database at ${path} (check store.path, or give --config FILE)`, { op: 'info', path });
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const stats = databaseStats(db);
    const dbBytes = fileBytes(path);
    const walBytes = fileBytes(`${path}-wal`);
    return {
      path,
      ...stats,
      dbBytes,
      walBytes,
      bytes: dbBytes + walBytes,
      reusableBytes: stats.freePages * stats.pageSize,
      releaseSchemaVersion: SCHEMA_VERSION,
    };
  } catch (e) {
    if (e instanceof StoreError) throw e;
    const hint = (e as { code?: unknown }).code === 'SQLITE_CANTOPEN' ? ` (can this user write to ${dirname(path)}? a reader of a WAL database needs its -shm file)` : '';
    throw new StoreError('STORE_FAILED', `cannot read the database ${path}: ${(e as Error).message}${hint}`, { op: 'info', path }, e);
  } finally {
    db?.close();
  }
}
