import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { SCHEMA_VERSION } from '../../gateway/store/migrations.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { sample } from '../../gateway/store/storeContract.ts';
import { lockDatabase, lockPathFor } from '../daemon/dbLock.ts';
import { compactDatabase, compactTempPath, DEFAULT_PAGE_SIZE, type CompactReport, type CompactStep } from './compact.ts';
import { formatBytes } from './dbFiles.ts';
import { databaseStats } from './inspect.ts';
import { digest, makeWornDatabase } from './testing.ts';
import { verifyCopy } from './verifyCopy.ts';

const root = mkdtempSync(join(tmpdir(), 'ccgate-compact-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./compactChild.fixture.ts', import.meta.url));

let n = 0;
/** A worn database (free pages after pruning) in its own folder, with its digest. */
function worn(calls?: number): { db: string; dir: string; before: ReturnType<typeof digest> } {
  const dir = join(root, `d${++n}`);
  const db = join(dir, 'ccgate.db');
  mkdirSync(dir);
  makeWornDatabase(db, calls);
  return { db, dir, before: digest(db) };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** Only the database itself is left in its folder: no copy, no side file, no lock. */
function expectClean(dir: string): void {
  expect(readdirSync(dir).sort()).toEqual(['ccgate.db']);
}

const pageSizeOf = (db: string): number => {
  const d = new Database(db, { readonly: true });
  try {
    return d.pragma('page_size', { simple: true }) as number;
  } finally {
    d.close();
  }
};

beforeEach(() => {
  expect.hasAssertions();
});

describe('compactDatabase', () => {
  it('shrinks a worn database, keeps every row, and the store opens it and goes on', () => {
    const { db, dir, before } = worn();
    const sizeBefore = statSync(db).size;
    const steps: CompactStep[] = [];
    const r = compactDatabase(db, { onStep: (s) => steps.push(s) });
    expect(steps).toEqual(['locked', 'spaceChecked', 'cleaned', 'checkpointed', 'rebuilt', 'verified', 'synced', 'renamed']);
    expect(r.before).toMatchObject({ bytes: sizeBefore, pageSize: DEFAULT_PAGE_SIZE });
    expect(r.before.freePages).toBeGreaterThan(100);
    expect(r.after).toMatchObject({ pageSize: DEFAULT_PAGE_SIZE, freePages: 0, bytes: statSync(db).size });
    expect(r.after!.bytes).toBeLessThan(sizeBefore * 0.6);
    expect(r.after!.pageCount).toBeLessThanOrEqual(r.before.pageCount - r.before.freePages);
    expect(r).toMatchObject({ dryRun: false, pageSize: DEFAULT_PAGE_SIZE, schemaVersion: SCHEMA_VERSION, leftovers: [], tables: before.rows });
    expect(digest(db)).toEqual(before);
    expectClean(dir);

    const store = new SqliteStore(db);
    try {
      expect(store.lastEventSeq()).toBe(before.rows.events);
      expect(store.appendEvent({ type: 'ivrMenuEntered', at: 1, callId: 'x', menu: 'main' }).seq).toBe(before.rows.events! + 1);
      store.commit();
      expect(store.diagnostics()).toMatchObject({ journalMode: 'wal', pageSize: DEFAULT_PAGE_SIZE, schemaVersion: SCHEMA_VERSION });
    } finally {
      store.close();
    }
  });

  it('changes the page size from the default to 4096 and back, keeping every row', () => {
    const { db, before } = worn();
    expect(pageSizeOf(db)).toBe(DEFAULT_PAGE_SIZE);
    const r = compactDatabase(db, { pageSize: 4096 });
    expect(r.after).toMatchObject({ pageSize: 4096, freePages: 0 });
    expect(pageSizeOf(db)).toBe(4096);
    expect(digest(db)).toEqual(before);
    // The store keeps the page size a database has.
    const store = new SqliteStore(db);
    expect(store.diagnostics().pageSize).toBe(4096);
    store.close();
    expect(compactDatabase(db).after?.pageSize).toBe(DEFAULT_PAGE_SIZE);
    expect(digest(db)).toEqual(before);
  });

  it('refuses while a daemon holds the database lock, naming it, and changes nothing', () => {
    const { db, dir, before } = worn(200);
    const lock = lockDatabase(db)!;
    try {
      const mtime = statSync(db).mtimeMs;
      const e = thrown(() => compactDatabase(db));
      expect(isCcgateError(e, 'DAEMON_ALREADY_RUNNING')).toBe(true);
      expect((e as Error).message).toBe(`cannot compact ${db}: a ccgate daemon (pid ${process.pid}) is using it; stop it first (systemctl stop ccgate) and run again`);
      expect(statSync(db).mtimeMs).toBe(mtime);
      expect(existsSync(compactTempPath(db))).toBe(false);
    } finally {
      lock.release();
    }
    expect(digest(db)).toEqual(before);
    compactDatabase(db);
    expectClean(dir);
  });

  it('holds the lock itself while it works: a daemon starting meanwhile is refused', () => {
    const { db } = worn(200);
    let refused: unknown;
    compactDatabase(db, {
      onStep: (s) => {
        if (s === 'rebuilt') refused = thrown(() => lockDatabase(db));
      },
    });
    expect(isCcgateError(refused, 'DAEMON_ALREADY_RUNNING')).toBe(true);
    expect(existsSync(lockPathFor(db))).toBe(false);
  });

  it('refuses when the file system cannot hold the copy, naming the bytes needed and free, and changes nothing', () => {
    const { db, dir, before } = worn(300);
    const size = statSync(db).size;
    // A leftover of an interrupted run counts as free space: it is removed before the copy is made.
    writeFileSync(compactTempPath(db), 'x'.repeat(100));
    const dirs: string[] = [];
    const e = thrown(() => compactDatabase(db, { freeBytes: (d) => (dirs.push(d), size - 101), marginBytes: 0 }));
    expect(dirs).toEqual([dir]);
    expect(isCcgateError(e, 'STORE_DISK_FULL')).toBe(true);
    expect((e as Error).message).toContain(`needs ${size} bytes`);
    expect((e as Error).message).toContain(`${size - 1} bytes (${formatBytes(size - 1)}) free in ${dir}`);
    expect((e as Error).message).toContain('nothing was changed');
    expect(e).toMatchObject({ context: { neededBytes: size, freeBytes: size - 1 } });
    expect(readdirSync(dir).sort()).toEqual(['ccgate.db', 'ccgate.db.compact-tmp']);
    expect(digest(db)).toEqual(before);
    // Exactly enough is enough; the default margin asks for 8 MiB more.
    expect(compactDatabase(db, { freeBytes: () => size - 100, marginBytes: 0 }).space).toEqual({ freeBytes: size, neededBytes: size });
    expectClean(dir);
    expect(isCcgateError(thrown(() => compactDatabase(db, { freeBytes: () => 4 * 1024 * 1024 })), 'STORE_DISK_FULL')).toBe(true);
  });

  it('removes the partial copy an interrupted run left (killed mid-VACUUM) and compacts', () => {
    const { db, dir, before } = worn();
    // What a kill during VACUUM INTO leaves: the start of a copy, and maybe its journal.
    const scratch = join(root, `partial${n}.db`);
    const reader = new Database(db, { readonly: true });
    reader.exec(`VACUUM INTO '${scratch}'`);
    reader.close();
    copyFileSync(scratch, compactTempPath(db));
    truncateSync(compactTempPath(db), Math.floor(statSync(scratch).size / 3));
    writeFileSync(`${compactTempPath(db)}-journal`, 'partial');
    const r = compactDatabase(db);
    expect(r.leftovers).toEqual(['ccgate.db.compact-tmp', 'ccgate.db.compact-tmp-journal']);
    expect(r.after?.freePages).toBe(0);
    expect(digest(db)).toEqual(before);
    expectClean(dir);
  });

  it('a dry run reports and changes nothing, leftovers included', () => {
    const { db, dir, before } = worn();
    writeFileSync(compactTempPath(db), 'left by a crash');
    const mtime = statSync(db).mtimeMs;
    const r: CompactReport = compactDatabase(db, { dryRun: true, pageSize: 4096 });
    expect(r).toMatchObject({ dryRun: true, after: null, pageSize: 4096, leftovers: ['ccgate.db.compact-tmp'], tables: before.rows });
    expect(r.estimatedBytes).toBe((r.before.pageCount - r.before.freePages) * DEFAULT_PAGE_SIZE);
    expect(r.estimatedBytes!).toBeLessThan(r.before.bytes);
    expect(statSync(db).mtimeMs).toBe(mtime);
    expect(readFileSync(compactTempPath(db), 'utf8')).toBe('left by a crash');
    expect(pageSizeOf(db)).toBe(DEFAULT_PAGE_SIZE);
    expect(digest(db)).toEqual(before);
    expect(existsSync(lockPathFor(db))).toBe(false);
    expect(readdirSync(dir)).toContain('ccgate.db.compact-tmp');
    expect(isCcgateError(thrown(() => compactDatabase(db, { dryRun: true, freeBytes: () => 0 })), 'STORE_DISK_FULL')).toBe(true);
  });

  it('after a daemon died (power cut): takes over its stale lock and keeps the rows only its WAL held', () => {
    const { db, dir } = worn(300);
    // The crash image: the files as they are while the daemon runs, with committed rows still in the WAL only.
    const daemon = new SqliteStore(db);
    const image = join(root, `crash${n}`);
    mkdirSync(image);
    const crashed = join(image, 'ccgate.db');
    try {
      for (let i = 0; i < 50; i++) daemon.agents.put(sample.agent(`late${i}`));
      daemon.commit();
      copyFileSync(db, crashed);
      copyFileSync(`${db}-wal`, `${crashed}-wal`);
    } finally {
      daemon.close();
    }
    expect(statSync(`${crashed}-wal`).size).toBeGreaterThan(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockPathFor(crashed), JSON.stringify({ pid: Number(dead.stdout) }));
    const expected = digest(db);
    expect(expected.rows.agents).toBe(55);
    const r = compactDatabase(crashed);
    expect(r.before.walBytes).toBeGreaterThan(0);
    expect(r.tables.agents).toBe(55);
    expect(digest(crashed)).toEqual(expected);
    expectClean(image);
    expectClean(dir);
  });

  it('keeps the database file mode', () => {
    const { db } = worn(100);
    chmodSync(db, 0o600);
    compactDatabase(db);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('refuses when another process has the database open outside the lock, and drops its copy', () => {
    const { db, dir, before } = worn(200);
    // A writer that took no lock, with committed pages still in its WAL, and a reader on an old snapshot.
    const writer = new SqliteStore(db);
    writer.appendEvent({ type: 'ivrMenuEntered', at: 1, callId: 'x', menu: 'main' });
    writer.commit();
    const reader = new Database(db, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM events').get();
    writer.appendEvent({ type: 'ivrMenuEntered', at: 2, callId: 'x', menu: 'main' });
    writer.commit();
    try {
      const e = thrown(() => compactDatabase(db, { busyTimeoutMs: 50 }));
      expect(e).toMatchObject({ code: 'STORE_FAILED', context: { op: 'compact.checkpoint' } });
      expect((e as Error).message).toContain('another process has');
      expect(existsSync(compactTempPath(db))).toBe(false);
    } finally {
      reader.exec('COMMIT');
      reader.close();
      writer.close();
    }
    expectClean(dir);
    expect(digest(db).rows.events).toBe(before.rows.events! + 2);
  });

  it('refuses what is not a database file it can compact', () => {
    const e1 = thrown(() => compactDatabase(join(root, 'nothing-here.db')));
    expect(e1).toMatchObject({ code: 'STORE_FAILED' });
    expect((e1 as Error).message).toMatch(/^no database at .*nothing-here\.db/);
    expect(thrown(() => compactDatabase(':memory:'))).toMatchObject({ code: 'STORE_FAILED' });
    expect((thrown(() => compactDatabase(worn(10).db, { pageSize: 3000 })) as Error).message).toContain('page size 3000');
  });
});

describe('compactDatabase killed at each step (kill -9 in a child process)', () => {
  const steps: CompactStep[] = ['checkpointed', 'rebuilt', 'verified', 'synced', 'renamed'];
  it.each(steps)('after %s: the database is whole at once, and running again finishes', (step) => {
    const { db, dir, before } = worn(600);
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, db, step], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect([r.signal, r.stdout]).toEqual(['SIGKILL', '']);
    // Whatever was interrupted, the database is the original or the verified copy: every row is there.
    expect(digest(db)).toEqual(before);
    const again = compactDatabase(db);
    expect(again.after?.freePages).toBe(0);
    // A copy exists from the VACUUM until the rename.
    expect(again.leftovers).toEqual(['rebuilt', 'verified', 'synced'].includes(step) ? ['ccgate.db.compact-tmp'] : []);
    expect(digest(db)).toEqual(before);
    expectClean(dir);
  });
});

describe('verifyCopy', () => {
  it('refuses a copy that lost a row, naming the table', () => {
    const { db } = worn(50);
    const copy = join(root, `copy${n}.db`);
    const src = new Database(db, { readonly: true });
    try {
      src.exec(`VACUUM INTO '${copy}'`);
      const c = new Database(copy);
      c.exec('DELETE FROM agents WHERE id = (SELECT min(id) FROM agents)');
      c.close();
      const e = thrown(() => verifyCopy(src, copy, databaseStats(src), DEFAULT_PAGE_SIZE));
      expect(e).toMatchObject({ code: 'STORE_FAILED', context: { op: 'compact.verify', problems: ['table agents: 4 rows, expected 5'] } });
    } finally {
      src.close();
    }
  });
});
