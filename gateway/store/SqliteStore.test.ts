import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { capturingLogger, silentLogger } from '../core/Logger.ts';
import type { GatewayEvent } from '../events.ts';
import { MIGRATIONS, SCHEMA_VERSION, migrate, userVersion, type Migration } from './migrations.ts';
import { SqliteStore } from './SqliteStore.ts';
import { describeStoreContract, expectStoreError, sample } from './storeContract.ts';
import { describeRetentionContract } from './retentionContract.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccgate-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A fresh database file path in the temp dir. */
const freshPath = (): string => path.join(dir, `t${++n}.db`);

describeStoreContract('SqliteStore :memory:', () => new SqliteStore(':memory:'));
// Again on a file: WAL and the journal only exist there.
describeStoreContract('SqliteStore file', () => new SqliteStore(freshPath()));
describeRetentionContract('SqliteStore file', () => new SqliteStore(freshPath()));

const ev = (at: number, data = ''): GatewayEvent => ({ type: 'ivrMenuEntered', at, callId: 'c1', menu: 'main' + data });

/** A raw second connection, for what the store must not expose (schema, pragmas of the file). */
function raw(p: string, fn: (db: Database.Database) => void): void {
  const db = new Database(p);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

describe('SqliteStore', () => {
  beforeEach(() => {
    expect.hasAssertions();
  });

  it('keeps committed data across close and reopen, and continues the event sequence', () => {
    const p = freshPath();
    const s1 = new SqliteStore(p);
    s1.appendEvent(ev(1));
    s1.appendEvent(ev(2));
    s1.calls.put(sample.call('c1'));
    s1.contacts.put(sample.contact('+441632960001'));
    s1.setMeta('cursor', '2');
    s1.commit();
    s1.close();
    const s2 = new SqliteStore(p);
    expect(s2.lastEventSeq()).toBe(2);
    expect(s2.calls.get('c1')).toEqual(sample.call('c1'));
    expect(s2.contacts.get('+441632960001')?.dropped).toBe(true);
    expect(s2.getMeta('cursor')).toBe('2');
    expect(s2.appendEvent(ev(3)).seq).toBe(3);
    s2.close();
  });

  it('loses uncommitted writes when closed without commit (as in a crash), and warns', () => {
    const p = freshPath();
    const { logger, records } = capturingLogger('warn');
    const s1 = new SqliteStore(p, { logger });
    s1.appendEvent(ev(1));
    s1.agents.put(sample.agent('kept'));
    s1.commit();
    s1.appendEvent(ev(2));
    s1.agents.put(sample.agent('lost'));
    s1.close();
    expect(records.map((r) => r.msg)).toContainEqual(expect.stringContaining('uncommitted'));
    const s2 = new SqliteStore(p);
    expect(s2.lastEventSeq()).toBe(1);
    expect(s2.agents.all().map((a) => a.id)).toEqual(['kept']);
    s2.close();
  });

  it('opens no transaction for a batch that writes nothing, and lazily for nested batches that do', () => {
    const s = new SqliteStore(freshPath());
    const raw = (s as unknown as { db: { inTransaction: boolean } }).db;
    s.batch(() => s.batch(() => s.getMeta('x')));
    expect(raw.inTransaction).toBe(false);
    expect(s.dirty).toBe(false);
    // The inner batch writes, the outer throws after it: both writes go, the earlier committed state stays.
    s.setMeta('keep', '1');
    s.commit();
    expect(() =>
      s.batch(() => {
        s.batch(() => s.setMeta('inner', '1'));
        s.setMeta('outer', '1');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect([s.getMeta('inner'), s.getMeta('outer'), s.getMeta('keep')]).toEqual([undefined, undefined, '1']);
    // A failing inner batch keeps what the outer one wrote before it.
    s.batch(() => {
      s.setMeta('a', '1');
      expect(() => s.batch(() => { s.setMeta('b', '1'); throw new Error('inner'); })).toThrow('inner');
    });
    s.commit();
    expect([s.getMeta('a'), s.getMeta('b')]).toEqual(['1', undefined]);
    s.close();
  });

  it('runs with WAL, synchronous=FULL and a 5 s busy timeout', () => {
    const s = new SqliteStore(freshPath());
    expect(s.diagnostics()).toMatchObject({ journalMode: 'wal', synchronous: 2, busyTimeoutMs: 5000, schemaVersion: SCHEMA_VERSION });
    s.close();
  });

  it('stores records in explicit columns, booleans as 0/1, so SQL reports work', () => {
    const p = freshPath();
    const s = new SqliteStore(p);
    s.contacts.put(sample.contact('1', { dropped: true }));
    s.contacts.put(sample.contact('2', { dropped: false }));
    s.calls.put(sample.call('c1'));
    s.calls.put(sample.call('c2', { endedAt: 3 }));
    s.commit();
    raw(p, (db) => {
      expect(db.prepare('SELECT number, dropped FROM contacts ORDER BY number').all()).toEqual([
        { number: '1', dropped: 1 }, { number: '2', dropped: 0 },
      ]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM calls WHERE endedAt IS NULL').get()).toEqual({ n: 1 });
    });
    s.close();
  });

  it('enforces one active callback per (queue, number) in the database itself', () => {
    const p = freshPath();
    new SqliteStore(p).close();
    raw(p, (db) => {
      const ins = db.prepare("INSERT INTO callbacks VALUES (?, 'q', 'n', 0, 0, 0, 0, ?, 0, 0, 'c', 0, NULL)");
      ins.run('a', 'pending');
      ins.run('b', 'completed'); // finished rows are outside the partial index
      expect(() => ins.run('c', 'dialling')).toThrow(/UNIQUE/);
    });
  });

  describe('migrations', () => {
    it('are idempotent: reopening and re-running change nothing', () => {
      const p = freshPath();
      new SqliteStore(p).close();
      new SqliteStore(p).close();
      raw(p, (db) => {
        expect(userVersion(db)).toBe(SCHEMA_VERSION);
        const tables = db.prepare("SELECT name FROM sqlite_master ORDER BY name").pluck().all();
        expect(migrate(db, silentLogger)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, newer: false });
        expect(db.prepare("SELECT name FROM sqlite_master ORDER BY name").pluck().all()).toEqual(tables);
      });
    });

    it('version 2 adds the SMS, opt-out and history tables to a version-1 database and keeps its surveys', () => {
      const p = freshPath();
      raw(p, (db) => {
        migrate(db, silentLogger, MIGRATIONS.slice(0, 1));
        db.prepare("INSERT INTO surveys (callId, queue, agent, score, at) VALUES ('c1', 'sales', 'a1', 4, 1)").run();
      });
      const s = new SqliteStore(p);
      expect(s.surveys.all()).toStrictEqual([{ callId: 'c1', queue: 'sales', agent: 'a1', score: 4, at: 1 }]);
      s.history.put(sample.summary('c1'));
      s.sms.put(sample.sms('s1'));
      s.optOuts.put(sample.optOut('+989121234567'));
      s.commit();
      expect(s.diagnostics().schemaVersion).toBe(SCHEMA_VERSION);
      s.close();
      raw(p, (db) => {
        const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
        expect(indexes).toEqual(expect.arrayContaining(['call_history_number', 'call_history_started', 'sms_call', 'sms_status', 'sms_to_created']));
      });
    });

    it('version 3 adds the VIP list and the cloud command ledger to a version-2 database, keeping its rows', () => {
      const p = freshPath();
      raw(p, (db) => {
        migrate(db, silentLogger, MIGRATIONS.slice(0, 2));
        db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
      });
      const s = new SqliteStore(p);
      expect(s.getMeta('k')).toBe('v');
      expect(s.vips.all()).toEqual([]);
      s.vips.put(sample.vip('+989121111111', { removed: true }));
      s.cloudCommands.put(sample.cloudCommand('cmd1'));
      s.commit();
      s.close();
      const again = new SqliteStore(p);
      expect(again.vips.get('+989121111111')).toEqual(sample.vip('+989121111111', { removed: true }));
      expect(again.cloudCommands.get('cmd1')).toEqual(sample.cloudCommand('cmd1'));
      expect(again.diagnostics().schemaVersion).toBe(SCHEMA_VERSION);
      again.close();
      raw(p, (db) => {
        const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
        expect(indexes).toContain('cloud_commands_received');
      });
    });

    it('version 4 indexes the waiting SMS by due time: due() and nextDueAfter() read no held SMS that is not due', () => {
      const p = freshPath();
      raw(p, (db) => {
        migrate(db, silentLogger, MIGRATIONS.slice(0, 3));
        db.prepare(
          "INSERT INTO sms (id, \"to\", text, purpose, language, status, attempts, notBefore, createdAt, updatedAt, refs) VALUES ('s1', '+989121234567', 'hi', 'survey', 'en', 'held', 0, 500, 1, 1, '[]')",
        ).run();
      });
      const s = new SqliteStore(p);
      expect(s.sms.due(100, 10)).toEqual([]);
      expect(s.sms.nextDueAfter(100)).toBe(500);
      expect(s.sms.due(500, 10).map((m) => m.id)).toEqual(['s1']);
      s.close();
      raw(p, (db) => {
        const plan = (sql: string): string =>
          (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
        const open = "status IN ('pending', 'held', 'submitting')";
        // The store names the index (INDEXED BY): SQLite refuses such a query if the index cannot serve it.
        expect(plan(`SELECT id FROM sms INDEXED BY sms_open_due WHERE ${open} AND notBefore <= 100 ORDER BY createdAt, id`)).toContain('USING INDEX sms_open_due (notBefore<?)');
        expect(plan(`SELECT MIN(notBefore) FROM sms INDEXED BY sms_open_due WHERE ${open} AND notBefore > 100`)).toContain('sms_open_due (notBefore>?)');
      });
    });

    it('apply only the pending ones, in order, each with its version', () => {
      const list: Migration[] = [
        { version: 1, up: 'CREATE TABLE a (x INTEGER)' },
        { version: 2, up: 'ALTER TABLE a ADD COLUMN y TEXT' },
      ];
      raw(':memory:', (db) => {
        expect(migrate(db, silentLogger, list.slice(0, 1))).toEqual({ from: 0, to: 1, newer: false });
        expect(migrate(db, silentLogger, list)).toEqual({ from: 1, to: 2, newer: false });
        expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('a')).toEqual(['x', 'y']);
      });
    });

    it('reject a list that is not numbered 1, 2, 3, …', () => {
      raw(':memory:', (db) => {
        expectStoreError(() => migrate(db, silentLogger, [{ version: 2, up: '' }]), 'STORE_FAILED', { op: 'migrate' });
        expect(userVersion(db)).toBe(0);
      });
    });

    it('leave no trace of a failed migration and report it', () => {
      raw(':memory:', (db) => {
        const list = [...MIGRATIONS, { version: MIGRATIONS.length + 1, up: 'CREATE TABLE z (x); SELECT nonsense()' }];
        expectStoreError(() => migrate(db, silentLogger, list), 'STORE_FAILED', { version: MIGRATIONS.length + 1 });
        expect(userVersion(db)).toBe(SCHEMA_VERSION);
        expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'z'").pluck().get()).toBe(0);
      });
    });

    it('open a database written by a newer release (rollback), warn, and keep its added columns', () => {
      const p = freshPath();
      const s1 = new SqliteStore(p);
      s1.calls.put(sample.call('c1'));
      s1.commit();
      s1.close();
      // What a future release might do: add a column and a table, bump user_version.
      raw(p, (db) => {
        db.exec("ALTER TABLE calls ADD COLUMN recording TEXT; CREATE TABLE future (x INTEGER); UPDATE calls SET recording = 'r.wav'");
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      });
      const { logger, records } = capturingLogger('warn');
      const s2 = new SqliteStore(p, { logger });
      expect(records).toContainEqual(expect.objectContaining({ level: 'warn', found: SCHEMA_VERSION + 1, known: SCHEMA_VERSION }));
      expect(s2.calls.get('c1')).toEqual(sample.call('c1')); // the unknown column is not read
      s2.calls.put(sample.call('c1', { phase: 'ended', endedAt: 5 }));
      s2.commit();
      s2.close();
      raw(p, (db) => {
        expect(userVersion(db)).toBe(SCHEMA_VERSION + 1); // never lowered
        expect(db.prepare("SELECT phase, recording FROM calls WHERE id = 'c1'").get()).toEqual({ phase: 'ended', recording: 'r.wav' });
      });
    });
  });

  describe('failures', () => {
    it('reports a full database as STORE_DISK_FULL, says the transaction was lost, and recovers', () => {
      const p = freshPath();
      const { logger, records } = capturingLogger('error');
      const setup = new SqliteStore(p);
      const pages = setup.diagnostics().pageCount;
      setup.appendEvent(ev(1));
      setup.commit();
      setup.close();
      // A few pages of headroom: the big events below fill them within the transaction.
      const s = new SqliteStore(p, { logger, maxPageCount: pages + 4 });
      const big = 'x'.repeat(2000);
      let thrown: unknown;
      try {
        for (let i = 0; i < 100; i++) s.appendEvent(ev(2 + i, big));
      } catch (e) {
        thrown = e;
      }
      expectStoreError(() => { throw thrown; }, 'STORE_DISK_FULL', { op: 'appendEvent', sqliteCode: 'SQLITE_FULL', rolledBack: true });
      expect(records.map((r) => r.msg)).toContainEqual(expect.stringContaining('rolled back'));
      // SQLite dropped the whole transaction: the store says so instead of pretending the writes are pending.
      expect(s.dirty).toBe(false);
      expect(s.lastEventSeq()).toBe(1);
      expect(s.appendEvent(ev(500)).seq).toBe(2);
      s.commit();
      s.close();
      const again = new SqliteStore(p);
      expect(again.readEvents(0, 10).map((e) => e.at)).toEqual([1, 500]);
      again.close();
    });

    it('a disk-full inside a batch propagates and leaves no half-open transaction behind', () => {
      const p = freshPath();
      const probe = new SqliteStore(p);
      const pages = probe.diagnostics().pageCount;
      probe.close();
      const s = new SqliteStore(p, { maxPageCount: pages + 2 });
      s.setMeta('before', '1');
      expectStoreError(() => s.batch(() => {
        for (let i = 0; i < 100; i++) s.appendEvent(ev(i, 'x'.repeat(2000)));
      }), 'STORE_DISK_FULL', { op: 'appendEvent' });
      // SQLite dropped the outer transaction too (the meta write with it): nothing pretends to be pending.
      expect(s.dirty).toBe(false);
      expect(s.getMeta('before')).toBeUndefined();
      expect(s.lastEventSeq()).toBe(0);
      s.batch(() => s.setMeta('after', '1'));
      s.commit();
      expect(s.getMeta('after')).toBe('1');
      s.close();
    });

    it('a batch that leaves nothing to commit releases the write lock', () => {
      const p = freshPath();
      const s = new SqliteStore(p);
      expect(() => s.batch(() => {
        s.setMeta('k', 'v');
        throw new Error('boom');
      })).toThrow('boom');
      s.batch(() => s.getMeta('k'));
      // Another writer (a maintenance tool) must not wait on an idle lock.
      raw(p, (db) => {
        db.pragma('busy_timeout = 0');
        expect(() => db.exec("BEGIN IMMEDIATE; INSERT INTO meta VALUES ('other', '1'); COMMIT")).not.toThrow();
      });
      expect(s.getMeta('other')).toBe('1');
      s.close();
    });

    it('wraps an unopenable path as STORE_FAILED with the path', () => {
      const p = path.join(dir, 'no', 'such', 'dir', 'x.db');
      expectStoreError(() => new SqliteStore(p), 'STORE_FAILED', { op: 'open', path: p });
    });
  });
});
