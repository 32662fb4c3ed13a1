import type { GatewayEvent, StoredEvent } from '../events.ts';
import { StoreError } from '../core/errors.ts';
import type {
  AgentRecord, CallbackRecord, CallRecord, CallSummaryRecord, CampaignRecord, CloudCommandRecord, ContactRecord, EntryRecord,
  OptOutRecord, Repo, SmsRecord, SmsStatus, Store, SurveyRecord, TargetRecord, VipRecord,
} from './Store.ts';
import { memoryRetention } from './memoryRetention.ts';
import type { StoreRetention } from './StoreRetention.ts';

/**
 * {@link Store} in plain Maps, for tests and the demo: no durability, same semantics as {@link SqliteStore}
 * (the shared contract suite checks both). `commit()` only clears `dirty`. `batch(fn)` keeps an undo log while
 * it runs and replays it backwards if fn throws. Records and events are copied in and out (events through JSON,
 * as SQLite stores them), so callers can never mutate stored state by reference.
 */
export class MemoryStore implements Store {
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

  private readonly events: string[] = [];
  /** Sequence number of the event before events[0] (events older than the retention were dropped). */
  private base = 0;
  private readonly meta = new Map<string, string>();
  private readonly surveyRows: SurveyRecord[] = [];
  /** Inverse operations of the writes made inside the running batches, oldest first. */
  private readonly undo: Array<() => void> = [];
  private depth = 0;
  private pending = false;
  private closed = false;

  /**
   * @param opts.retainEvents keep only about this many most recent events
   *   (simulations of long periods); reads before them return nothing.
   */
  constructor(private readonly opts: { retainEvents?: number } = {}) {
    const gate: MemGate = { write: (op) => this.writing(op), read: (op) => this.live(op), remember: (u) => this.remember(u) };
    this.agents = new MemRepo<AgentRecord, 'id'>(gate, 'agents', 'id');
    this.entries = new MemRepo<EntryRecord, 'id'>(gate, 'entries', 'id');
    this.contacts = new MemRepo<ContactRecord, 'number'>(gate, 'contacts', 'number');
    const calls = new MemRepo<CallRecord, 'id'>(gate, 'calls', 'id');
    this.calls = Object.assign(calls, {
      open: () => calls.where((c) => c.endedAt === null, (a, b) => a.startedAt - b.startedAt || cmp(a.id, b.id)),
    });
    // Mirrors the partial UNIQUE index callbacks_active_unique of the SQLite schema.
    const cbs = new MemRepo<CallbackRecord, 'id'>(gate, 'callbacks', 'id', (r, rows) => {
      if (!isActive(r)) return;
      for (const o of rows.values()) {
        if (o.id !== r.id && isActive(o) && o.queue === r.queue && o.number === r.number) {
          throw new StoreError('STORE_FAILED', `store callbacks.put failed: active callback ${o.id} exists for ${r.queue}/${r.number}`, {
            op: 'callbacks.put',
            constraint: 'callbacks_active_unique',
          });
        }
      }
    });
    this.callbacks = Object.assign(cbs, {
      active: () => cbs.where(isActive, (a, b) => b.priority - a.priority || a.joinedAt - b.joinedAt || cmp(a.id, b.id)),
      activeFor: (queue: string, number: string) =>
        cbs.where((c) => isActive(c) && c.queue === queue && c.number === number, () => 0)[0],
    });
    const camps = new MemRepo<CampaignRecord, 'id'>(gate, 'campaigns', 'id');
    this.campaigns = Object.assign(camps, {
      active: () => camps.where((c) => c.status === 'active', (a, b) => a.createdAt - b.createdAt || cmp(a.id, b.id)),
    });
    const targets = new MemRepo<TargetRecord, 'id'>(gate, 'targets', 'id');
    const byOrd = (a: TargetRecord, b: TargetRecord): number => a.ord - b.ord || cmp(a.id, b.id);
    this.targets = Object.assign(targets, {
      forCampaign: (id: string) => targets.where((t) => t.campaignId === id, byOrd),
      open: (id: string) => targets.where((t) => t.campaignId === id && t.status !== 'done', byOrd),
    });
    // Records with arrays inside are copied deeply, or a caller could change a stored array by reference.
    const sms = new MemRepo<SmsRecord, 'id'>(gate, 'sms', 'id', undefined, structuredClone);
    const byCreated = (a: SmsRecord, b: SmsRecord): number => a.createdAt - b.createdAt || cmp(a.id, b.id);
    const isOpen = (m: SmsRecord): boolean => m.status === 'pending' || m.status === 'held' || m.status === 'submitting';
    this.sms = Object.assign(sms, {
      open: (limit?: number) => sms.where(isOpen, byCreated).slice(0, limit),
      due: (nowMs: number, limit: number) => sms.where((m) => isOpen(m) && m.notBefore <= nowMs, byCreated).slice(0, limit),
      nextDueAfter: (nowMs: number) => {
        let next: number | null = null;
        for (const m of sms.where((r) => isOpen(r) && r.notBefore > nowMs, () => 0)) if (next === null || m.notBefore < next) next = m.notBefore;
        return next;
      },
      toNumber: (number: string, sinceMs: number) =>
        sms.where((m) => m.to === number && m.createdAt >= sinceMs, (a, b) => byCreated(b, a)),
      forCall: (callId: string) => sms.where((m) => m.callId === callId, byCreated),
      // updatedAt, not createdAt: an SMS held overnight counts against the day it went out.
      sentSince: (sinceMs: number) =>
        sms.where((m) => (m.status === 'sent' || m.status === 'unknown') && m.updatedAt >= sinceMs, () => 0).length,
      countsSince: (sinceMs: number) => {
        const counts: Partial<Record<SmsStatus, number>> = {};
        for (const m of sms.where((r) => r.createdAt >= sinceMs, () => 0)) counts[m.status] = (counts[m.status] ?? 0) + 1;
        return counts;
      },
      prune: (beforeMs: number) => {
        const old = sms.where((m) => m.status !== 'pending' && m.status !== 'held' && m.status !== 'submitting' && m.updatedAt < beforeMs, () => 0);
        for (const m of old) sms.delete(m.id);
        return old.length;
      },
    });
    this.optOuts = new MemRepo<OptOutRecord, 'number'>(gate, 'opt_outs', 'number');
    const history = new MemRepo<CallSummaryRecord, 'callId'>(gate, 'call_history', 'callId', undefined, structuredClone);
    this.history = Object.assign(history, {
      forNumber: (number: string) =>
        history.where((h) => h.number === number, (a, b) => a.startedAt - b.startedAt || cmp(a.callId, b.callId)),
      prune: (beforeMs: number) => {
        const old = history.where((h) => h.startedAt < beforeMs, () => 0);
        for (const h of old) history.delete(h.callId);
        return old.length;
      },
    });
    this.vips = new MemRepo<VipRecord, 'number'>(gate, 'vips', 'number');
    const cloudCommands = new MemRepo<CloudCommandRecord, 'id'>(gate, 'cloud_commands', 'id');
    this.cloudCommands = cloudCommands;
    this.retention = memoryRetention({
      events: () => ({ rows: this.events, base: this.base }),
      cutEvents: (n) => {
        this.writing('retention.pruneEvents');
        const cut = this.events.splice(0, n);
        this.base += n;
        this.remember(() => {
          this.events.unshift(...cut);
          this.base -= n;
        });
      },
      surveys: () => this.surveyRows,
      repos: { history, calls, callbacks: cbs, contacts: this.contacts as MemRepo<ContactRecord, 'number'>, campaigns: camps, targets, sms, cloudCommands },
      writing: (op) => this.writing(op),
      remember: (u) => this.remember(u),
    });
    this.surveys = {
      insert: (r) => {
        this.writing('surveys.insert');
        this.remember(() => this.surveyRows.pop());
        this.surveyRows.push({ ...r });
      },
      all: () => (this.live('surveys.all'), this.surveyRows.map((r) => ({ ...r }))),
    };
  }

  get dirty(): boolean {
    return this.pending;
  }

  batch<T>(fn: () => T): T {
    this.live('batch');
    const mark = this.undo.length;
    const pendingBefore = this.pending;
    this.depth++;
    try {
      const result = fn();
      if (typeof (result as { then?: unknown } | null)?.then === 'function') {
        throw new StoreError('STORE_FAILED', 'batch fn must be synchronous', { op: 'batch' });
      }
      return result;
    } catch (e) {
      while (this.undo.length > mark) this.undo.pop()?.();
      this.pending = pendingBefore;
      throw e;
    } finally {
      this.depth--;
      // Outside every batch nothing can be rolled back any more: drop the log.
      if (this.depth === 0) this.undo.length = 0;
    }
  }

  commit(): void {
    if (this.depth > 0) throw new StoreError('STORE_FAILED', 'commit() inside batch()', { op: 'commit' });
    this.live('commit');
    this.pending = false;
    const keep = this.opts.retainEvents;
    if (keep !== undefined && this.events.length > 2 * keep) {
      const drop = this.events.length - keep;
      this.events.splice(0, drop);
      this.base += drop;
    }
  }

  close(): void {
    this.closed = true;
  }

  appendEvent(ev: GatewayEvent): StoredEvent {
    this.writing('appendEvent');
    this.remember(() => this.events.pop());
    this.events.push(JSON.stringify(ev));
    return { ...ev, seq: this.base + this.events.length };
  }

  readEvents(afterSeq: number, limit: number, types?: readonly GatewayEvent['type'][]): StoredEvent[] {
    this.live('readEvents');
    const from = Math.max(0, afterSeq - this.base);
    if (!types) return this.events.slice(from, from + Math.max(0, limit)).map((d, i) => stored(d, this.base + from + i + 1));
    const out: StoredEvent[] = [];
    for (let i = from; i < this.events.length && out.length < limit; i++) {
      const e = stored(this.events[i]!, this.base + i + 1);
      if (types.includes(e.type)) out.push(e);
    }
    return out;
  }

  readEventRows(afterSeq: number, limit: number): Array<{ seq: number; data: string }> {
    this.live('readEventRows');
    const from = Math.max(0, afterSeq - this.base);
    return this.events.slice(from, from + Math.max(0, limit)).map((data, i) => ({ seq: this.base + from + i + 1, data }));
  }

  readEventsSince(fromMs: number): StoredEvent[] {
    this.live('readEventsSince');
    return this.events.map((d, i) => stored(d, this.base + i + 1)).filter((e) => e.at >= fromMs);
  }

  firstSeqSince(fromMs: number): number {
    this.live('firstSeqSince');
    const i = this.events.findIndex((d) => (JSON.parse(d) as { at: number }).at >= fromMs);
    return this.base + (i < 0 ? this.events.length : i) + 1;
  }

  lastEventSeq(): number {
    return this.base + this.events.length;
  }

  getMeta(key: string): string | undefined {
    this.live('getMeta');
    return this.meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.writing('setMeta');
    this.remember(restoreEntry(this.meta, key));
    this.meta.set(key, value);
  }

  private live(op: string): void {
    if (this.closed) throw new StoreError('STORE_FAILED', 'store is closed', { op });
  }

  private writing(op: string): void {
    this.live(op);
    this.pending = true;
  }

  private remember(undo: () => void): void {
    if (this.depth > 0) this.undo.push(undo);
  }
}

/** What a {@link MemRepo} needs from its store. */
interface MemGate {
  write(op: string): void;
  read(op: string): void;
  remember(undo: () => void): void;
}

/** Keyed Map repository; `check` may veto a put (unique constraints); `copy` copies records in and out. */
export class MemRepo<R extends object, K extends keyof R & string> implements Repo<R, K> {
  private readonly rows = new Map<R[K], R>();

  constructor(
    private readonly gate: MemGate,
    private readonly table: string,
    private readonly key: K,
    private readonly check?: (r: R, rows: ReadonlyMap<R[K], R>) => void,
    private readonly copy: (r: R) => R = (r) => ({ ...r }),
  ) {}

  get(key: R[K]): R | undefined {
    this.gate.read(`${this.table}.get`);
    const r = this.rows.get(key);
    return r === undefined ? undefined : this.copy(r);
  }

  put(record: R): void {
    this.gate.read(`${this.table}.put`);
    this.check?.(record, this.rows);
    this.gate.write(`${this.table}.put`);
    this.gate.remember(restoreEntry(this.rows, record[this.key]));
    this.rows.set(record[this.key], this.copy(record));
  }

  delete(key: R[K]): void {
    this.gate.write(`${this.table}.delete`);
    this.gate.remember(restoreEntry(this.rows, key));
    this.rows.delete(key);
  }

  all(): R[] {
    this.gate.read(`${this.table}.all`);
    return [...this.rows.values()].map((r) => this.copy(r));
  }

  /** Copies of the rows matching `pred`, sorted by `order`. */
  where(pred: (r: R) => boolean, order: (a: R, b: R) => number): R[] {
    this.gate.read(`${this.table}.query`);
    return [...this.rows.values()].filter(pred).sort(order).map((r) => this.copy(r));
  }
}

/** An undo step putting `map[key]` back as it is now (or absent). */
function restoreEntry<K, V>(map: Map<K, V>, key: K): () => void {
  if (!map.has(key)) return () => map.delete(key);
  const prev = map.get(key) as V;
  return () => map.set(key, prev);
}

function isActive(c: CallbackRecord): boolean {
  return c.status === 'pending' || c.status === 'dialling';
}

function stored(data: string, seq: number): StoredEvent {
  return { ...(JSON.parse(data) as GatewayEvent), seq };
}

/** Code-unit order, as SQLite's BINARY collation gives for ASCII ids. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
