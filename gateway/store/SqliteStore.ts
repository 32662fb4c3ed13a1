import Database from 'better-sqlite3';
import type { GatewayEvent, StoredEvent } from '../events.ts';
import { silentLogger, type Logger } from '../core/Logger.ts';
import { StoreError } from '../core/errors.ts';
import { migrate, userVersion } from './migrations.ts';
import {
  AGENT_COLUMNS, CALLBACK_COLUMNS, CALL_COLUMNS, CAMPAIGN_COLUMNS, CLOUD_COMMAND_COLUMNS, CONTACT_COLUMNS, ENTRY_COLUMNS,
  SURVEY_COLUMNS, TARGET_COLUMNS, VIP_COLUMNS, SqlRepo, SqlTable, isThenable, prepareCore, toStored, toStoreError, type EventRow, type SqlGate,
} from './sqliteRepos.ts';
import { sqliteRetention } from './sqliteRetention.ts';
import { applySettings, checkpointPagesFor, WalCheckpointer, type StoreStats } from './sqliteSettings.ts';
import { sqliteHistory, sqliteOptOuts, sqliteSms } from './sqliteSmsHistory.ts';
import type { Store } from './Store.ts';
import type { StoreRetention } from './StoreRetention.ts';

/** Options for {@link SqliteStore}. */
export interface SqliteStoreOptions {
  logger?: Logger;
  /**
   * Cap on the database size in pages (`PRAGMA max_page_count`, per connection); writes beyond it fail with
   * `STORE_DISK_FULL`. Default: SQLite's own (effectively unlimited). Keeps the database from filling the SD
   * card; tests use it to provoke SQLITE_FULL without a tiny filesystem.
   */
  maxPageCount?: number;
  /** Checkpoint the WAL once it holds this many pages (default: {@link checkpointPagesFor} the file's page size); 0 leaves it to SQLite. */
  checkpointPages?: number;
  /** Milliseconds from any fixed point, to time checkpoints for {@link SqliteStore.stats} (firmware: performance.now). */
  stopwatch?: () => number;
}

/** Connection settings as SQLite reports them, for `ccgate status` and tests. */
export interface SqliteDiagnostics {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  synchronous: number;
  busyTimeoutMs: number;
  schemaVersion: number;
  pageCount: number;
  pageSize: number;
}

/** Busy timeout for a locked database, ms (a second process such as a report tool holding the write lock). */
const BUSY_TIMEOUT_MS = 5000;

/** One open batch(): whether its savepoint exists yet, in which transaction, and the dirty flag before it. */
interface BatchFrame {
  opened: boolean;
  epoch: number;
  pendingBefore: boolean;
  startedTx: boolean;
}

/**
 * {@link Store} on one better-sqlite3 connection (synchronous API, one process).
 *
 * Transactions are driven by explicit, once-prepared statements rather than `db.transaction()`, because the outer
 * transaction is opened lazily by the first write and stays open across calls until {@link commit}:
 * - first write: `BEGIN IMMEDIATE` (takes the write lock now, so COMMIT cannot fail on a lock);
 * - {@link batch}: `SAVEPOINT bN` … `RELEASE bN`, or `ROLLBACK TO bN` + `RELEASE bN` if fn throws; nests;
 * - {@link commit}: `COMMIT` (WAL + synchronous=FULL: durable when it returns).
 *
 * Failures: every SQLite error is rethrown as a {@link StoreError} with `context.op`. If SQLite rolled the whole
 * transaction back (it does on SQLITE_FULL, at a write or at COMMIT — verified on a full tmpfs with SQLite 3.53),
 * the error says so with `context.rolledBack = true`: the pending writes are gone and the caller must treat its
 * cache as stale; the store resyncs its own state (`dirty` false, event counter re-read). If SQLite kept the
 * transaction open (`db.inTransaction`; e.g. SQLITE_BUSY at COMMIT when WAL was unavailable and a reader held the
 * file), it stays open with its writes, `dirty` stays true and a later {@link commit} retries.
 */
export class SqliteStore implements Store {
  readonly agents: Store['agents'];
  readonly calls: Store['calls'];
  readonly entries: Store['entries'];
  readonly callbacks: Store['callbacks'];
  readonly contacts: Store['contacts'];
  readonly surveys: Store['surveys'];
  readonly campaigns: Store['campaigns'];
  readonly targets: Store['targets'];
  readonly sms: Store['sms'];
  readonly optOuts: Store['optOuts'];
  readonly history: Store['history'];
  readonly vips: Store['vips'];
  readonly cloudCommands: Store['cloudCommands'];
  readonly retention: StoreRetention;

  private readonly db: Database.Database;
  private readonly log: Logger;
  private readonly s: ReturnType<typeof prepareCore>;
  private readonly checkpointer: WalCheckpointer;
  private readonly typedReads = new Map<string, Database.Statement<Array<number | string>, EventRow>>();
  /** Savepoint statements per nesting depth, prepared on first use. */
  /** Open batch() calls, outermost first; their savepoints are opened by the first write. */
  private readonly frames: BatchFrame[] = [];
  private readonly savepoints: Array<{ open: Database.Statement; release: Database.Statement; undo: Database.Statement }> = [];
  /** Writes since the outer BEGIN that are still in the transaction. */
  private pending = false;
  /** Highest event seq in the connection's view (committed or not). */
  private lastSeq: number;
  private depth = 0;
  /** Incremented by each BEGIN, so a batch can tell its savepoint's transaction from a later one. */
  private epoch = 0;
  private readonly gate: SqlGate = {
    write: (op, fn) => this.write(op, fn),
    read: (op, fn) => this.guard(op, fn),
  };

  /**
   * Open (creating if needed) and migrate the database at `path`; `':memory:'` gives a private in-memory one.
   * @throws StoreError `STORE_FAILED` with `{op: 'open', path}` if it cannot be opened or migrated.
   */
  constructor(readonly path: string, opts: SqliteStoreOptions = {}) {
    this.log = (opts.logger ?? silentLogger).child({ component: 'store' });
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      // WAL + synchronous=FULL: a returned COMMIT survives power loss (sqliteSettings.ts has the rest and why).
      applySettings(db, opts.checkpointPages !== 0);
      // After applySettings: a new file's page size is set there; an older file keeps its own.
      const checkpointPages = opts.checkpointPages ?? checkpointPagesFor(db.pragma('page_size', { simple: true }) as number);
      const mode = db.pragma('journal_mode', { simple: true }); // ':memory:' stays 'memory': WAL needs a file
      if (mode !== 'wal' && !db.memory) this.log.warn({ path, mode }, 'WAL not available; commits less robust');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (opts.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`);
      migrate(db, this.log);
      this.db = db;
      this.s = prepareCore(db);
      this.checkpointer = new WalCheckpointer(db, checkpointPages, opts.stopwatch ?? null);
    } catch (e) {
      db?.close();
      throw toStoreError('open', e, { path });
    }
    this.lastSeq = this.s.maxSeq.get() as number;

    const { db: d, gate } = this;
    this.agents = new SqlRepo(d, gate, 'agents', 'id', AGENT_COLUMNS);
    this.entries = new SqlRepo(d, gate, 'entries', 'id', ENTRY_COLUMNS);
    this.contacts = new SqlRepo(d, gate, 'contacts', 'number', CONTACT_COLUMNS);
    this.surveys = new SqlTable(d, gate, 'surveys', SURVEY_COLUMNS);
    const calls = new SqlRepo(d, gate, 'calls', 'id', CALL_COLUMNS);
    this.calls = Object.assign(calls, { open: calls.many('endedAt IS NULL ORDER BY startedAt, id') });
    const cbs = new SqlRepo(d, gate, 'callbacks', 'id', CALLBACK_COLUMNS);
    const active = "status IN ('pending', 'dialling')"; // must match the partial UNIQUE index in migrations.ts
    this.callbacks = Object.assign(cbs, {
      active: cbs.many(`${active} ORDER BY priority DESC, joinedAt ASC, id`),
      activeFor: cbs.one(`${active} AND queue = ? AND number = ?`),
    });
    const camps = new SqlRepo(d, gate, 'campaigns', 'id', CAMPAIGN_COLUMNS);
    this.campaigns = Object.assign(camps, { active: camps.many("status = 'active' ORDER BY createdAt, id") });
    const targets = new SqlRepo(d, gate, 'targets', 'id', TARGET_COLUMNS);
    this.targets = Object.assign(targets, {
      forCampaign: targets.many('campaignId = ? ORDER BY ord, id'),
      open: targets.many("campaignId = ? AND status != 'done' ORDER BY ord, id"),
    });
    this.sms = sqliteSms(d, gate);
    this.optOuts = sqliteOptOuts(d, gate);
    this.history = sqliteHistory(d, gate);
    this.vips = new SqlRepo(d, gate, 'vips', 'number', VIP_COLUMNS);
    this.cloudCommands = new SqlRepo(d, gate, 'cloud_commands', 'id', CLOUD_COMMAND_COLUMNS);
    this.retention = sqliteRetention(d, gate, path);
  }

  get dirty(): boolean {
    return this.pending;
  }

  /** Connection settings as SQLite reports them. */
  diagnostics(): SqliteDiagnostics {
    return this.guard('diagnostics', () => ({
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
      busyTimeoutMs: this.db.pragma('busy_timeout', { simple: true }) as number,
      schemaVersion: userVersion(this.db),
      pageCount: this.db.pragma('page_count', { simple: true }) as number,
      pageSize: this.db.pragma('page_size', { simple: true }) as number,
    }));
  }

  batch<T>(fn: () => T): T {
    // The savepoint (and BEGIN) are opened lazily by the first write inside
    // the batch: most inputs (a hold prompt ending) write nothing, and must
    // not pay for a transaction.
    const frame: BatchFrame = { opened: false, epoch: -1, pendingBefore: this.pending, startedTx: false };
    const sp = this.savepoint(this.depth);
    this.frames.push(frame);
    this.depth++;
    let result: T;
    try {
      result = fn();
      if (isThenable(result)) {
        throw new StoreError('STORE_FAILED', 'batch fn must be synchronous', { op: 'batch' });
      }
    } catch (e) {
      this.depth--;
      this.frames.pop();
      if (frame.opened) this.rollbackTo(sp, frame.epoch, frame.pendingBefore, e);
      if (frame.startedTx) this.endIfClean();
      throw e;
    }
    this.depth--;
    this.frames.pop();
    // Skip RELEASE if fn swallowed an error that made SQLite drop the transaction: the savepoint went with it.
    if (frame.opened && this.db.inTransaction && this.epoch === frame.epoch) this.guard('batch', () => sp.release.run());
    if (frame.startedTx) this.endIfClean();
    return result;
  }

  commit(): void {
    if (this.depth > 0) throw new StoreError('STORE_FAILED', 'commit() inside batch()', { op: 'commit' });
    if (!this.db.open) throw new StoreError('STORE_FAILED', 'store is closed', { op: 'commit' });
    if (!this.db.inTransaction) return;
    try {
      this.s.commit.run();
    } catch (e) {
      throw this.failed('commit', e);
    }
    const wrote = this.pending;
    this.pending = false;
    // A failed checkpoint loses nothing (the pages stay in the WAL): log it and let the next commit try again.
    if (wrote) {
      try {
        this.checkpointer.committed();
      } catch (e) {
        this.log.warn({ err: String(e) }, 'WAL checkpoint failed; will retry');
      }
    }
  }

  /** Commits and WAL checkpoints since the store was opened (`ccgate status`, the bench). */
  stats(): StoreStats {
    return this.checkpointer.stats();
  }

  /** Close the connection. Uncommitted writes are rolled back by SQLite (logged). Idempotent. */
  close(): void {
    if (!this.db.open) return;
    if (this.pending) this.log.warn({ lastSeq: this.lastSeq }, 'closing with uncommitted writes; they are lost');
    this.db.close();
  }

  appendEvent(ev: GatewayEvent): StoredEvent {
    // Hot path (hundreds of thousands per run): no closure, counter instead of AUTOINCREMENT so that a rolled-back
    // batch leaves no gap (its seqs are reused after the counter is re-read).
    const seq = this.lastSeq + 1;
    this.begin('appendEvent');
    try {
      this.s.insertEvent.run(seq, ev.at, ev.type, JSON.stringify(ev));
    } catch (e) {
      throw this.failed('appendEvent', e);
    }
    this.pending = true;
    this.lastSeq = seq;
    return { ...ev, seq };
  }

  readEventRows(afterSeq: number, limit: number): EventRow[] {
    return this.guard('readEventRows', () => this.s.readEvents.all(afterSeq, limit));
  }

  readEvents(afterSeq: number, limit: number, types?: readonly GatewayEvent['type'][]): StoredEvent[] {
    if (!types) return this.guard('readEvents', () => this.s.readEvents.all(afterSeq, limit).map(toStored));
    return this.guard('readEvents', () => this.typed(types).all(afterSeq, ...types, limit).map(toStored));
  }

  /** The typed page query for a list of types, prepared once per list (the callers have one or two lists). */
  private typed(types: readonly string[]): Database.Statement<Array<number | string>, EventRow> {
    const key = types.join(',');
    let stmt = this.typedReads.get(key);
    if (!stmt) {
      // Along the primary key from afterSeq; the type column is checked without parsing the JSON.
      stmt = this.db.prepare<Array<number | string>, EventRow>(`SELECT seq, data FROM events WHERE seq > ? AND type IN (${types.map(() => '?').join(', ')}) ORDER BY seq LIMIT ?`);
      this.typedReads.set(key, stmt);
    }
    return stmt;
  }

  readEventsSince(fromMs: number): StoredEvent[] {
    return this.guard('readEventsSince', () => this.s.readSince.all(this.firstSeqSince(fromMs), fromMs).map(toStored));
  }

  firstSeqSince(fromMs: number): number {
    return this.guard('firstSeqSince', () => (this.s.firstSince.get(fromMs) as number | null) ?? this.lastSeq + 1);
  }

  lastEventSeq(): number {
    return this.lastSeq;
  }

  getMeta(key: string): string | undefined {
    return this.guard('getMeta', () => this.s.getMeta.get(key) as string | undefined);
  }

  setMeta(key: string, value: string): void {
    // The same value again (a cursor that did not move) is no change: no page, no transaction.
    if (this.getMeta(key) === value) return;
    this.write('setMeta', () => this.s.setMeta.run(key, value));
  }

  /** Run a write: lazily BEGIN, then mark dirty once it succeeded. */
  private write<T>(op: string, fn: () => T): T {
    this.begin(op);
    let r: T;
    try {
      r = fn();
    } catch (e) {
      throw this.failed(op, e);
    }
    this.pending = true;
    return r;
  }

  private guard<T>(op: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toStoreError(op, e);
    }
  }

  /**
   * Before a write: BEGIN IMMEDIATE unless a transaction is open, then open
   * the savepoints of the enclosing batches that have not written yet,
   * outermost first. True if this call opened the transaction.
   */
  private begin(op: string): boolean {
    let started = false;
    if (!(this.db.open && this.db.inTransaction)) {
      try {
        this.s.begin.run();
      } catch (e) {
        throw toStoreError(op, e);
      }
      this.epoch++;
      this.pending = false;
      started = true;
      // No batch could have written before: the outermost one owns this transaction.
      const outer = this.frames[0];
      if (outer) outer.startedTx = true;
    }
    for (let i = 0; i < this.frames.length; i++) {
      const f = this.frames[i]!;
      if (f.opened && f.epoch === this.epoch) continue;
      f.opened = true;
      f.epoch = this.epoch;
      const sp = this.savepoint(i);
      this.guard(op, () => sp.open.run());
    }
    return started;
  }

  /** Wrap a write/commit failure; if SQLite dropped the whole transaction, resync and say so. */
  private failed(op: string, e: unknown): StoreError {
    const rolledBack = this.db.open && !this.db.inTransaction && (this.pending || op === 'commit');
    if (this.db.open && !this.db.inTransaction) {
      this.pending = false;
      this.lastSeq = this.s.maxSeq.get() as number;
    }
    const err = toStoreError(op, e, rolledBack ? { rolledBack: true } : {});
    if (rolledBack) this.log.error({ op, code: err.code, lastSeq: this.lastSeq }, 'transaction rolled back by SQLite; uncommitted writes lost');
    return err;
  }

  private savepoint(depth: number): { open: Database.Statement; release: Database.Statement; undo: Database.Statement } {
    let sp = this.savepoints[depth];
    if (sp === undefined) {
      sp = {
        open: this.db.prepare(`SAVEPOINT b${depth}`),
        release: this.db.prepare(`RELEASE b${depth}`),
        undo: this.db.prepare(`ROLLBACK TO b${depth}`),
      };
      this.savepoints[depth] = sp;
    }
    return sp;
  }

  /** Undo a failed batch's writes, keeping the outer transaction; `cause` is what fn threw. */
  private rollbackTo(sp: { release: Database.Statement; undo: Database.Statement }, epoch: number, pendingBefore: boolean, cause: unknown): void {
    // If SQLite already dropped the transaction (SQLITE_FULL), the savepoint is gone with it: nothing to undo.
    if (this.db.open && this.db.inTransaction && this.epoch === epoch) {
      try {
        sp.undo.run();
        sp.release.run();
      } catch (e) {
        this.log.error({ op: 'batch', cause: String(cause) }, 'ROLLBACK TO savepoint failed');
        throw toStoreError('batch.rollback', e, { cause: String(cause) });
      }
      this.pending = pendingBefore;
    }
    if (this.db.open) this.lastSeq = this.s.maxSeq.get() as number;
  }

  /** A batch that opened the transaction and left no writes ends it, so the write lock is not held idle. */
  private endIfClean(): void {
    if (!this.pending && this.db.open && this.db.inTransaction) this.guard('batch', () => this.s.rollback.run());
  }
}
