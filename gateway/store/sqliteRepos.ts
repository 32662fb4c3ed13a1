import Database from 'better-sqlite3';
import { StoreError } from '../core/errors.ts';
import type { GatewayEvent, StoredEvent } from '../events.ts';
import type {
  AgentRecord,
  CallbackRecord,
  CloudCommandRecord,
  CallRecord,
  CampaignRecord,
  ContactRecord,
  EntryRecord,
  OptOutRecord,
  Repo,
  CallSummaryRecord,
  SmsRecord,
  SurveyRecord,
  TargetRecord,
  VipRecord,
} from './Store.ts';

/**
 * How a record field is stored. Column names equal field names (camelCase) so rows map 1:1 to records and SQL
 * reports read naturally; booleans are stored as 0/1; `json` fields (small arrays) as JSON text; `optText` is a
 * field added to a record after rows existed (`channel?`): NULL is read back as an absent field, not null.
 */
export type ColumnKind = 'text' | 'int' | 'bool' | 'json' | 'optText';

/** One entry per field of R: the compiler rejects a spec that misses or invents a field. */
export type Columns<R> = { readonly [K in keyof R]-?: ColumnKind };

export const AGENT_COLUMNS: Columns<AgentRecord> = {
  id: 'text', state: 'text', pauseReason: 'text', loggedInAt: 'int', idleSince: 'int', callsToday: 'int',
  callsDay: 'text', missedInRow: 'int',
};
export const CALL_COLUMNS: Columns<CallRecord> = {
  id: 'text', direction: 'text', trunkId: 'text', legId: 'text', number: 'text', callerKind: 'text',
  dialled: 'text', startedAt: 'int', endedAt: 'int', phase: 'text', queue: 'text', agent: 'text',
  callbackId: 'text', campaignId: 'text', targetId: 'text',
};
export const ENTRY_COLUMNS: Columns<EntryRecord> = {
  id: 'text', queue: 'text', kind: 'text', callId: 'text', callbackId: 'text', priority: 'int', joinedAt: 'int',
  seq: 'int', enteredAt: 'int', origPosition: 'int', stickyAgent: 'text', stickyUntil: 'int',
};
export const CALLBACK_COLUMNS: Columns<CallbackRecord> = {
  id: 'text', queue: 'text', number: 'text', priority: 'int', joinedAt: 'int', requestedAt: 'int',
  expiresAt: 'int', status: 'text', attempts: 'int', notBefore: 'int', originCallId: 'text', origPosition: 'int',
  finishedAt: 'int',
};
export const CONTACT_COLUMNS: Columns<ContactRecord> = {
  number: 'text', agent: 'text', queue: 'text', endedAt: 'int', dropped: 'bool',
};
export const SURVEY_COLUMNS: Columns<SurveyRecord> = {
  callId: 'text', queue: 'text', agent: 'text', score: 'int', at: 'int', channel: 'optText',
};
export const SMS_COLUMNS: Columns<SmsRecord> = {
  id: 'text', to: 'text', text: 'text', purpose: 'text', language: 'text', status: 'text', attempts: 'int',
  notBefore: 'int', createdAt: 'int', updatedAt: 'int', trunkId: 'text', refs: 'json', error: 'text',
  delivery: 'text', callId: 'text', callbackId: 'text', campaignId: 'text', targetId: 'text',
};
export const OPT_OUT_COLUMNS: Columns<OptOutRecord> = { number: 'text', at: 'int', word: 'text' };
export const HISTORY_COLUMNS: Columns<CallSummaryRecord> = {
  callId: 'text', number: 'text', direction: 'text', kind: 'text', startedAt: 'int', endedAt: 'int',
  language: 'text', ivrPath: 'json', queue: 'text', waitMs: 'int', agent: 'text', talkMs: 'int', outcome: 'text',
  callbacks: 'json', surveyScore: 'int', surveyChannel: 'text', sms: 'json',
};
export const CAMPAIGN_COLUMNS: Columns<CampaignRecord> = {
  id: 'text', name: 'text', prompt: 'text', status: 'text', createdAt: 'int', maxConcurrent: 'int',
  callsPerMinute: 'int', schedule: 'text', attempts: 'int', retryGapMs: 'int', ringTimeoutMs: 'int',
  agentQueue: 'text',
};
export const TARGET_COLUMNS: Columns<TargetRecord> = {
  id: 'text', campaignId: 'text', number: 'text', ord: 'int', status: 'text', attempts: 'int', notBefore: 'int',
  result: 'text', message: 'text',
};

export const VIP_COLUMNS: Columns<VipRecord> = {
  number: 'text', given: 'text', priority: 'int', name: 'text', source: 'text', updatedAt: 'int', removed: 'bool',
};
export const CLOUD_COMMAND_COLUMNS: Columns<CloudCommandRecord> = { id: 'text', kind: 'text', receivedAt: 'int', ack: 'text' };

/** A value better-sqlite3 can bind. */
export type SqlValue = string | number | bigint | null;

/**
 * The store's transaction discipline, handed to every table: `write` opens the lazy transaction first and marks
 * the store dirty after; both wrap failures as {@link StoreError} with `{op}`.
 */
export interface SqlGate {
  write<T>(op: string, fn: () => T): T;
  read<T>(op: string, fn: () => T): T;
}

/**
 * Map a better-sqlite3 failure to a {@link StoreError}. `SQLITE_FULL` (the disk, or `max_page_count`, is full;
 * the Linux VFS reports ENOSPC this way) becomes `STORE_DISK_FULL`; everything else, including `SQLITE_IOERR_*`
 * (a failing SD card rather than a full one), is `STORE_FAILED`. The SQLite code is kept in `context.sqliteCode`.
 */
export function toStoreError(op: string, e: unknown, extra: Record<string, unknown> = {}): StoreError {
  if (e instanceof StoreError) return e;
  const sqliteCode = e instanceof Database.SqliteError ? e.code : undefined;
  const code = sqliteCode?.startsWith('SQLITE_FULL') ? 'STORE_DISK_FULL' : 'STORE_FAILED';
  const text = e instanceof Error ? e.message : String(e);
  const context: Record<string, unknown> = { op, ...extra };
  if (sqliteCode !== undefined) context['sqliteCode'] = sqliteCode;
  return new StoreError(code, `store ${op} failed: ${text}`, context, e);
}

/** Append-only table of records (surveys); the rowid gives insertion order. */
export class SqlTable<R extends object> {
  protected readonly cols: readonly string[];
  private readonly bools: readonly string[];
  private readonly jsons: readonly string[];
  private readonly optionals: readonly string[];
  protected readonly sInsert: Database.Statement<SqlValue[]>;
  private readonly sAll: Database.Statement<[], Record<string, unknown>>;
  protected readonly ops: { readonly insert: string; readonly all: string; readonly query: string };

  constructor(
    protected readonly db: Database.Database,
    protected readonly gate: SqlGate,
    protected readonly table: string,
    spec: Columns<R>,
  ) {
    this.cols = Object.keys(spec);
    const kind = spec as Record<string, ColumnKind>;
    this.bools = this.cols.filter((c) => kind[c] === 'bool');
    this.jsons = this.cols.filter((c) => kind[c] === 'json');
    this.optionals = this.cols.filter((c) => kind[c] === 'optText');
    this.ops = { insert: `${table}.insert`, all: `${table}.all`, query: `${table}.query` };
    // Explicit column lists everywhere: columns added by a newer release are neither read nor clobbered.
    this.sInsert = db.prepare<SqlValue[]>(`INSERT INTO ${table} (${this.list()}) VALUES (${this.cols.map(() => '?').join(', ')})`);
    this.sAll = db.prepare<[], Record<string, unknown>>(`SELECT ${this.list()} FROM ${table} ORDER BY rowid`);
  }

  /** Append a record. */
  insert(record: R): void {
    const params = this.params(record);
    this.gate.write(this.ops.insert, () => this.sInsert.run(...params));
  }

  /** Every row in insertion order. */
  all(): R[] {
    return this.gate.read(this.ops.all, () => this.sAll.all().map((row) => this.record(row)));
  }

  /** A reusable query `SELECT … WHERE <where>`, prepared once (through `index` when named); returns matching records. */
  many(where: string, index?: string): (...params: SqlValue[]) => R[] {
    const stmt = this.db.prepare<SqlValue[], Record<string, unknown>>(`SELECT ${this.list()} FROM ${this.from(index)} WHERE ${where}`);
    return (...params) => this.gate.read(this.ops.query, () => stmt.all(...params).map((row) => this.record(row)));
  }

  /** A reusable `SELECT COUNT(*) … WHERE <where>`. */
  count(where: string): (...params: SqlValue[]) => number {
    const stmt = this.db.prepare<SqlValue[], number>(`SELECT COUNT(*) FROM ${this.table} WHERE ${where}`).pluck();
    return (...params) => this.gate.read(this.ops.query, () => stmt.get(...params) ?? 0);
  }

  /** A reusable `SELECT MIN(<column>) … WHERE <where>`: null when no row matches. */
  min(column: string, where: string, index?: string): (...params: SqlValue[]) => number | null {
    const stmt = this.db.prepare<SqlValue[], number | null>(`SELECT MIN(${quote(column)}) FROM ${this.from(index)} WHERE ${where}`).pluck();
    return (...params) => this.gate.read(this.ops.query, () => stmt.get(...params) ?? null);
  }

  /** A reusable count of rows per value of `column` among those matching `where`. */
  countBy(column: string, where: string): (...params: SqlValue[]) => Record<string, number> {
    const stmt = this.db.prepare<SqlValue[], { k: string; n: number }>(
      `SELECT ${quote(column)} AS k, COUNT(*) AS n FROM ${this.table} WHERE ${where} GROUP BY ${quote(column)}`,
    );
    return (...params) => this.gate.read(this.ops.query, () => Object.fromEntries(stmt.all(...params).map((r) => [r.k, r.n])));
  }

  /** A reusable `DELETE … WHERE <where>` (a write); returns how many rows went. */
  deleteWhere(where: string): (...params: SqlValue[]) => number {
    const stmt = this.db.prepare<SqlValue[]>(`DELETE FROM ${this.table} WHERE ${where}`);
    return (...params) => this.gate.write(`${this.table}.delete`, () => stmt.run(...params).changes);
  }

  /** Like {@link many}, returning the first match. */
  one(where: string): (...params: SqlValue[]) => R | undefined {
    const stmt = this.db.prepare<SqlValue[], Record<string, unknown>>(`SELECT ${this.list()} FROM ${this.table} WHERE ${where} LIMIT 1`);
    return (...params) => this.gate.read(this.ops.query, () => {
      const row = stmt.get(...params);
      return row === undefined ? undefined : this.record(row);
    });
  }

  private from(index: string | undefined): string {
    return index === undefined ? this.table : `${this.table} INDEXED BY ${index}`;
  }

  /** The quoted column list: some field names are SQL keywords (`to`). */
  protected list(): string {
    return this.cols.map(quote).join(', ');
  }

  /** Record → positional parameters in column order. */
  protected params(record: R): SqlValue[] {
    const r = record as Record<string, unknown>;
    return this.cols.map((c) => {
      const v = r[c];
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (this.jsons.includes(c)) return JSON.stringify(v);
      // undefined → NULL so a record built from a partial object fails on NOT NULL rather than binding garbage.
      return v === undefined ? null : (v as SqlValue);
    });
  }

  /** Row → record: 0/1 back to booleans, JSON text back to values, NULL optionals dropped. */
  protected record(row: Record<string, unknown>): R {
    for (const b of this.bools) row[b] = row[b] === 1;
    for (const j of this.jsons) row[j] = JSON.parse(row[j] as string) as unknown;
    for (const o of this.optionals) if (row[o] === null) delete row[o];
    return row as R;
  }
}

/**
 * Keyed table implementing {@link Repo}: `put` inserts a new key, and for a
 * known key updates only the columns whose value changed, or writes nothing.
 * Not an `ON CONFLICT DO UPDATE` of every column: SQLite then rewrites the
 * row and the entries of every index on a SET column even when the values
 * are the same (measured: 2 WAL pages for an identical upsert, 3 for one
 * changed unindexed column, 8 when the row grows, against 0 and 1 and 1),
 * and the core puts a record at every step of a call. Not INSERT OR REPLACE
 * either: that would resolve a clash on another UNIQUE index by deleting the
 * other row (silently dropping an active callback); an UPDATE throws on it.
 * Both keep values in columns a newer release added (see migrations.ts).
 */
export class SqlRepo<R extends object, K extends keyof R & string> extends SqlTable<R> implements Repo<R, K> {
  private readonly sGet: Database.Statement<[SqlValue], Record<string, unknown>>;
  /** The same row as positional values in column order, to compare with a put's parameters. */
  private readonly sGetRaw: Database.Statement<[SqlValue], SqlValue[]>;
  private readonly sDelete: Database.Statement<[SqlValue]>;
  /** UPDATE statements by the set of changed columns ('2,5'): a repo's records change in a few ways only. */
  private readonly updates = new Map<string, Database.Statement<SqlValue[]>>();
  private readonly keyIndex: number;
  private readonly keyOps: { readonly get: string; readonly put: string; readonly delete: string };

  constructor(db: Database.Database, gate: SqlGate, table: string, private readonly key: K, spec: Columns<R>) {
    super(db, gate, table, spec);
    this.keyOps = { get: `${table}.get`, put: `${table}.put`, delete: `${table}.delete` };
    this.sGet = db.prepare<[SqlValue], Record<string, unknown>>(`SELECT ${this.list()} FROM ${table} WHERE ${quote(key)} = ?`);
    this.sGetRaw = db.prepare<[SqlValue], SqlValue[]>(`SELECT ${this.list()} FROM ${table} WHERE ${quote(key)} = ?`).raw();
    this.keyIndex = this.cols.indexOf(key);
    this.sDelete = db.prepare<[SqlValue]>(`DELETE FROM ${table} WHERE ${quote(key)} = ?`);
  }

  get(key: R[K]): R | undefined {
    return this.gate.read(this.keyOps.get, () => {
      const row = this.sGet.get(key as SqlValue);
      return row === undefined ? undefined : this.record(row);
    });
  }

  put(record: R): void {
    const params = this.params(record);
    const keyValue = params[this.keyIndex]!;
    const old = this.gate.read(this.keyOps.get, () => this.sGetRaw.get(keyValue));
    if (old === undefined) {
      this.gate.write(this.keyOps.put, () => this.sInsert.run(...params));
      return;
    }
    const changed: number[] = [];
    for (let i = 0; i < params.length; i++) if (params[i] !== old[i]) changed.push(i);
    if (changed.length === 0) return; // nothing to write, and no transaction opened for it
    const stmt = this.update(changed);
    this.gate.write(this.keyOps.put, () => stmt.run(...changed.map((i) => params[i]!), keyValue));
  }

  private update(changed: readonly number[]): Database.Statement<SqlValue[]> {
    const id = changed.join(',');
    let stmt = this.updates.get(id);
    if (!stmt) {
      const sets = changed.map((i) => `${quote(this.cols[i]!)} = ?`).join(', ');
      stmt = this.db.prepare<SqlValue[]>(`UPDATE ${this.table} SET ${sets} WHERE ${quote(this.key)} = ?`);
      this.updates.set(id, stmt);
    }
    return stmt;
  }

  delete(key: R[K]): void {
    this.gate.write(this.keyOps.delete, () => this.sDelete.run(key as SqlValue));
  }
}

/** The store's own statements (transactions, events, meta), prepared once per connection. */
export function prepareCore(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    insertEvent: db.prepare<[number, number, string, string]>('INSERT INTO events (seq, at, type, data) VALUES (?, ?, ?, ?)'),
    readEvents: db.prepare<[number, number], EventRow>('SELECT seq, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    // The lowest seq at or after a time, from the index on `at` alone (`+seq`: min(seq) would walk the whole
    // table in seq order from the oldest event instead).
    firstSince: db.prepare<[number]>('SELECT min(+seq) FROM events WHERE at >= ?').pluck(),
    // From that seq on, in log order along the primary key: no sort, no temporary b-tree (`+at`: not the index).
    readSince: db.prepare<[number, number], EventRow>('SELECT seq, data FROM events WHERE seq >= ? AND +at >= ? ORDER BY seq'),
    maxSeq: db.prepare<[]>('SELECT COALESCE(MAX(seq), 0) FROM events').pluck(),
    getMeta: db.prepare<[string]>('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };
}

/** A row of the events table as read. */
export interface EventRow {
  seq: number;
  data: string;
}

/** Events row → the stored event: the JSON data with the row's seq. */
export function toStored(row: EventRow): StoredEvent {
  return { ...(JSON.parse(row.data) as GatewayEvent), seq: row.seq };
}

/** A column name as an SQL identifier (our own field names: no quotes inside). */
export function quote(column: string): string {
  return `"${column}"`;
}

/** Whether a batch fn returned a promise (its writes would land outside the savepoint). */
export function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
