import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { SCHEMA_VERSION } from '../../gateway/store/migrations.ts';
import { SqliteStore } from '../../gateway/store/SqliteStore.ts';
import { lockDatabase } from '../daemon/dbLock.ts';
import type { CompactReport } from '../store/compact.ts';
import type { DatabaseInfo } from '../store/inspect.ts';
import { digest, makeWornDatabase } from '../store/testing.ts';
import { storeSubcommand } from './commands.ts';
import { runCli } from './testing.ts';
import { UsageError } from './usage.ts';

const root = mkdtempSync(join(tmpdir(), 'ccgate-cli-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A site folder: the default database var/ccgate.db worn by pruning, and site.yaml naming data/site.db (also worn). */
function site(): { cwd: string; defaultDb: string; configDb: string } {
  const cwd = join(root, `site${++n}`);
  mkdirSync(join(cwd, 'var'), { recursive: true });
  mkdirSync(join(cwd, 'data'));
  writeFileSync(join(cwd, 'site.yaml'), 'store:\n  path: data/site.db\n');
  const defaultDb = join(cwd, 'var', 'ccgate.db');
  const configDb = join(cwd, 'data', 'site.db');
  makeWornDatabase(defaultDb, 400);
  makeWornDatabase(configDb, 600);
  return { cwd, defaultDb, configDb };
}

/**
 * `ccgate store …` as main() runs it: through the lazy loader in commands.ts (the real dynamic import), the
 * words after `store`, paths from `cwd`, and main()'s exit codes (2 usage error, 1 `error [CODE]: …`).
 * (main.ts's SUBCOMMANDS does not list `store` yet; see the report of this change.)
 */
async function store(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = {
    io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t), columns: undefined },
    path: (p: string) => resolve(cwd, p),
    client: () => {
      throw new Error('store commands do not talk to the daemon');
    },
  };
  try {
    return { code: await storeSubcommand(argv, env), out, err };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, out, err: `ccgate: ${e.message}\n` };
    if (isCcgateError(e)) return { code: 1, out, err: `error [${e.code}]: ${e.message}\n` };
    throw e;
  }
}

beforeEach(() => {
  expect.hasAssertions();
});

describe('ccgate store info', () => {
  it('shows size, pages, free pages, auto_vacuum, schema version and rows per table of the default database', async () => {
    const { cwd, defaultDb } = site();
    const rows = digest(defaultDb).rows;
    const r = await store(['info'], cwd);
    expect([r.code, r.err]).toEqual([0, '']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`database ${defaultDb}`);
    expect(lines[1]).toMatch(/^ {2}on disk: +\d+\.\d KiB \(database \d+\.\d KiB \+ WAL 0 B\)$/);
    expect(lines[2]).toMatch(/^ {2}pages: +\d+ of 512 B, \d+ free \(\d+\.\d KiB kept for new rows; `ccgate store compact` gives it back\)$/);
    expect(lines[3]).toMatch(/^ {2}auto_vacuum: +none$/);
    expect(lines[5]).toBe(`  schema:       version ${SCHEMA_VERSION} (this release writes ${SCHEMA_VERSION})`);
    // Names are padded to the longest table name.
    const width = Math.max(...Object.keys(rows).map((t) => t.length)) + 2;
    expect(lines).toContain(`    ${'events'.padEnd(width)}${String(rows.events).padStart(9)}`);
    expect(lines).toContain(`    ${'call_history'.padEnd(width)}${String(rows.call_history).padStart(9)}`);
  });

  it('--json gives the figures, read-only beside a running daemon (lock held, rows still in the WAL)', async () => {
    const { cwd, configDb } = site();
    const lock = lockDatabase(configDb)!;
    const daemon = new SqliteStore(configDb);
    try {
      const seq = daemon.lastEventSeq();
      daemon.appendEvent({ type: 'ivrMenuEntered', at: 1, callId: 'x', menu: 'main' });
      daemon.commit();
      const r = await store(['info', '--config', 'site.yaml', '--json'], cwd);
      expect(r.code).toBe(0);
      const info = JSON.parse(r.out) as DatabaseInfo;
      expect(info).toMatchObject({ path: configDb, pageSize: 512, autoVacuum: 'none', journalMode: 'wal', schemaVersion: SCHEMA_VERSION, releaseSchemaVersion: SCHEMA_VERSION });
      expect(info.tables.events).toBe(seq + 1);
      expect(info.walBytes).toBeGreaterThan(0);
      expect(info.freePages).toBeGreaterThan(50);
      expect(info.reusableBytes).toBe(info.freePages * 512);
      expect(info.bytes).toBe(statSync(configDb).size + info.walBytes);
    } finally {
      daemon.close();
      lock.release();
    }
  });

  it('says where it looked when there is no database', async () => {
    const cwd = join(root, 'empty');
    mkdirSync(cwd);
    const r = await store(['info'], cwd);
    expect(r).toEqual({ code: 1, out: '', err: `error [STORE_FAILED]: no database at ${join(cwd, 'var/ccgate.db')} (check store.path, or give --config FILE)\n` });
  });
});

describe('ccgate store compact', () => {
  it('compacts the database of --config, prints before/after, and keeps every row', async () => {
    const { cwd, configDb, defaultDb } = site();
    const before = digest(configDb);
    const other = digest(defaultDb);
    const sizeBefore = statSync(configDb).size;
    const r = await store(['compact', '--config', 'site.yaml'], cwd);
    expect([r.code, r.err]).toEqual([0, '']);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^compacted ${configDb} in \\d+\\.\\d s$`));
    expect(lines[1]).toMatch(/^ {2}before: +\d+\.\d KiB, \d+ pages of 512 B, \d+ free \(database \d+\.\d KiB \+ WAL 0 B\)$/);
    expect(lines[2]).toMatch(/^ {2}after: +\d+\.\d KiB, \d+ pages of 512 B, 0 free$/);
    expect(lines[3]).toMatch(/^ {2}freed: +\d+\.\d KiB \(\d+ %\)$/);
    expect(lines[4]).toMatch(new RegExp(`^ {2}checked: schema version ${SCHEMA_VERSION}, \\d+ rows in 15 tables, integrity ok, every table the same row count$`));
    expect(statSync(configDb).size).toBeLessThan(sizeBefore * 0.6);
    expect(digest(configDb)).toEqual(before);
    expect(digest(defaultDb)).toEqual(other);

    const info = (await store(['info', '--config', 'site.yaml'], cwd)).out;
    expect(info).toMatch(/ {2}pages: +\d+ of 512 B, 0 free\n/);
    expect(info).toContain('  journal:      delete (the daemon turns WAL on when it opens it)\n');
  });

  it('--page-size 4096 --json reports the new layout', async () => {
    const { cwd, defaultDb } = site();
    const before = digest(defaultDb);
    const r = await store(['compact', '--page-size', '4096', '--json'], cwd);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as CompactReport;
    expect(report).toMatchObject({ path: defaultDb, dryRun: false, pageSize: 4096, before: { pageSize: 512 }, after: { pageSize: 4096, freePages: 0 }, tables: before.rows });
    expect(digest(defaultDb)).toEqual(before);
  });

  it('--dry-run shows what it would do and changes nothing', async () => {
    const { cwd, defaultDb } = site();
    writeFileSync(`${defaultDb}.compact-tmp`, 'left by a power cut');
    const mtime = statSync(defaultDb).mtimeMs;
    const r = await store(['compact', '--dry-run'], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`dry run: ${defaultDb} would be compacted (nothing was changed)`);
    expect(r.out).toMatch(/ {2}after: +about \d+\.\d KiB or less \(the pages in use now; partly filled ones get packed\), pages of 512 B\n/);
    expect(r.out).toContain('would remove the leftovers of an interrupted compaction: ccgate.db.compact-tmp');
    expect(statSync(defaultDb).mtimeMs).toBe(mtime);
    expect(existsSync(`${defaultDb}.compact-tmp`)).toBe(true);
  });

  it('refuses while the daemon runs (exit 1, a clear error), and the database is untouched', async () => {
    const { cwd, defaultDb } = site();
    const before = digest(defaultDb);
    const lock = lockDatabase(defaultDb)!;
    try {
      const r = await store(['compact'], cwd);
      expect(r).toEqual({ code: 1, out: '', err: `error [DAEMON_ALREADY_RUNNING]: cannot compact ${defaultDb}: a ccgate daemon (pid ${process.pid}) is using it; stop it first (systemctl stop ccgate) and run again\n` });
    } finally {
      lock.release();
    }
    expect(digest(defaultDb)).toEqual(before);
  });

  it('bad arguments exit 2 before anything is opened', async () => {
    const { cwd } = site();
    for (const [argv, msg] of [
      [[], /expected an action \(info, compact\), got ""/],
      [['shrink'], /expected an action \(info, compact\), got "shrink"/],
      [['compact', '--page-size', '1000'], /--page-size: expected a power of two from 512 to 65536, got "1000"/],
      [['compact', '--page-size', '131072'], /--page-size: expected a power of two/],
      [['compact', '--page-size', 'big'], /--page-size: expected an integer >= 1, got "big"/],
      [['info', '--dry-run'], /--dry-run only applies to `store compact`/],
      [['compact', 'now'], /unexpected argument "now"/],
      [['compact', '--socket', 'x'], /unknown option --socket/],
    ] as const) {
      const r = await store([...argv], cwd);
      expect([r.code, r.err]).toEqual([2, expect.stringMatching(msg)]);
    }
  });
});

describe('ccgate help store', () => {
  it('is in the help, through main()', async () => {
    const cli = (argv: string[]) => runCli(argv, { cwd: root, socket: join(root, 'none.sock') });
    expect((await cli(['help'])).out).toContain('store compact [--page-size N] [--dry-run]');
    expect((await cli(['help', 'store'])).out).toContain('--page-size N   page size of the rebuilt file');
    expect((await cli(['store', '--help'])).out).toContain('Usage: ccgate store info [--config FILE] [--json]');
  });
});
