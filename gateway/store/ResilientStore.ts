import type { GatewayEvent, StoredEvent } from '../events.ts';
import type { Logger } from '../core/Logger.ts';
import { isCcgateError, StoreError } from '../core/errors.ts';
import type { Repo, Store } from './Store.ts';
import type { StoreRetention } from './StoreRetention.ts';

/** The medium failed (full, I/O error, transaction dropped) — not the caller's request. */
function isStorageFailure(e: unknown): boolean {
  if (!isCcgateError(e)) return false;
  const sqliteCode = typeof e.context.sqliteCode === 'string' ? e.context.sqliteCode : '';
  return e.code === 'STORE_DISK_FULL' || e.context.rolledBack === true || sqliteCode.startsWith('SQLITE_IOERR') || sqliteCode === 'SQLITE_FULL';
}

/**
 * A Store that survives its disk filling up. Every write since the last
 * commit is also kept in a redo journal. When the inner store fails a write
 * or a commit (SQLite gives up the whole transaction on SQLITE_FULL), the
 * wrapper keeps accepting writes into the journal — the core never sees the
 * failure mid-input — and each later commit() replays the journal into a
 * fresh transaction until the disk has room again. Nothing is lost unless the
 * process dies while the disk is full (then: what a power cut would lose).
 *
 * Reads go to the inner store and so miss journalled writes while failing;
 * the core keeps the state it reads during operation in memory.
 */
export class ResilientStore implements Store {
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

  private journal: Array<() => void> = [];
  private failing = false;
  private lastSeq: number;

  constructor(
    private readonly inner: Store,
    private readonly log: Logger,
  ) {
    this.lastSeq = inner.lastEventSeq();
    const i = inner;
    this.agents = this.repo(i.agents, 'agents');
    this.entries = this.repo(i.entries, 'entries');
    this.contacts = this.repo(i.contacts, 'contacts');
    this.calls = Object.assign(this.repo(i.calls, 'calls'), { open: () => i.calls.open() });
    this.callbacks = Object.assign(this.repo(i.callbacks, 'callbacks'), {
      active: () => i.callbacks.active(),
      activeFor: (q: string, n: string) => i.callbacks.activeFor(q, n),
    });
    this.campaigns = Object.assign(this.repo(i.campaigns, 'campaigns'), { active: () => i.campaigns.active() });
    this.targets = Object.assign(this.repo(i.targets, 'targets'), {
      forCampaign: (id: string) => i.targets.forCampaign(id),
      open: (id: string) => i.targets.open(id),
    });
    this.sms = Object.assign(this.repo(i.sms, 'sms', true), {
      open: (limit?: number) => i.sms.open(limit),
      due: (now: number, limit: number) => i.sms.due(now, limit),
      nextDueAfter: (now: number) => i.sms.nextDueAfter(now),
      toNumber: (n: string, since: number) => i.sms.toNumber(n, since),
      forCall: (id: string) => i.sms.forCall(id),
      sentSince: (since: number) => i.sms.sentSince(since),
      countsSince: (since: number) => i.sms.countsSince(since),
      prune: (before: number) => {
        let pruned = 0;
        this.write('sms.prune', () => {
          pruned = i.sms.prune(before);
        });
        return pruned;
      },
    });
    this.optOuts = this.repo(i.optOuts, 'optOuts');
    this.history = Object.assign(this.repo(i.history, 'history', true), {
      forNumber: (n: string) => i.history.forNumber(n),
      // While failing, the prune waits in the journal and reports 0: the rows go when it is replayed.
      prune: (before: number) => {
        let pruned = 0;
        this.write('history.prune', () => {
          pruned = i.history.prune(before);
        });
        return pruned;
      },
    });
    this.vips = this.repo(i.vips, 'vips');
    this.cloudCommands = {
      get: (id) => i.cloudCommands.get(id),
      put: (rec) => {
        const copy = { ...rec };
        this.write('cloudCommands.put', () => i.cloudCommands.put(copy));
      },
    };
    this.surveys = { insert: (r) => this.write('surveys.insert', () => i.surveys.insert({ ...r })), all: () => i.surveys.all() };
    // Pruning is optional work: while the store cannot write it is skipped (it reports nothing done), not queued.
    // Otherwise it is journalled like any write, so a later failure in the same transaction replays it too.
    this.retention = {
      firstEvent: () => i.retention.firstEvent(),
      usage: () => i.retention.usage(),
      pruneEvents: (maxSeq, beforeMs, limit) => {
        let cut: { from: number; to: number } | null = null;
        if (!this.failing) this.write('retention.pruneEvents', () => void (cut = i.retention.pruneEvents(maxSeq, beforeMs, limit)));
        return cut;
      },
      pruneRows: (table, beforeMs, limit) => {
        let n = 0;
        if (!this.failing) this.write(`retention.prune.${table}`, () => void (n = i.retention.pruneRows(table, beforeMs, limit)));
        return n;
      },
    };
  }

  /** True while the inner store cannot commit (writes wait in the journal). */
  get degraded(): boolean {
    return this.failing;
  }

  get dirty(): boolean {
    return this.failing || this.inner.dirty;
  }

  batch<T>(fn: () => T): T {
    const mark = this.journal.length;
    const seqMark = this.lastSeq;
    try {
      return this.failing ? fn() : this.inner.batch(fn);
    } catch (e) {
      this.journal.length = mark;
      this.lastSeq = seqMark;
      throw e;
    }
  }

  commit(): void {
    if (!this.failing) {
      try {
        this.inner.commit();
        this.journal = [];
        return;
      } catch (e) {
        if (!isStorageFailure(e)) throw e; // a usage error (commit inside a batch, closed store) is the caller's
        this.enterFailing('commit', e);
        // Not "rolled back" for the caller: the journal still holds every change.
        throw new StoreError(isCcgateError(e) && e.code === 'STORE_DISK_FULL' ? 'STORE_DISK_FULL' : 'STORE_FAILED', 'commit failed; changes kept in memory until the store can write', { journalled: this.journal.length }, e);
      }
    }
    // Replay everything since the last good commit into a fresh transaction.
    const journal = this.journal;
    try {
      this.inner.batch(() => {
        for (const w of journal) w();
      });
      this.inner.commit();
    } catch (e) {
      throw isCcgateError(e) ? e : new StoreError('STORE_FAILED', 'replaying the journal failed', { entries: journal.length }, e);
    }
    this.failing = false;
    this.journal = [];
    this.log.info({ replayed: journal.length, lastSeq: this.lastSeq }, 'store writable again; journal committed');
  }

  close(): void {
    if (this.failing) this.log.error({ lost: this.journal.length }, 'closing while the store could not commit; journalled writes are lost');
    this.inner.close();
  }

  appendEvent(ev: GatewayEvent): StoredEvent {
    const seq = this.lastSeq + 1;
    this.write('appendEvent', () => {
      const stored = this.inner.appendEvent(ev);
      if (stored.seq !== seq) throw new StoreError('STORE_FAILED', `event sequence out of step: store gave ${stored.seq}, expected ${seq}`, { seq });
    });
    this.lastSeq = seq;
    return { ...ev, seq };
  }

  readEvents(afterSeq: number, limit: number, types?: readonly GatewayEvent['type'][]): StoredEvent[] {
    return this.inner.readEvents(afterSeq, limit, types);
  }

  readEventRows(afterSeq: number, limit: number): Array<{ seq: number; data: string }> {
    return this.inner.readEventRows(afterSeq, limit);
  }

  readEventsSince(fromMs: number): StoredEvent[] {
    return this.inner.readEventsSince(fromMs);
  }

  firstSeqSince(fromMs: number): number {
    return this.inner.firstSeqSince(fromMs);
  }

  lastEventSeq(): number {
    return this.lastSeq;
  }

  getMeta(key: string): string | undefined {
    return this.inner.getMeta(key);
  }

  setMeta(key: string, value: string): void {
    this.write('setMeta', () => this.inner.setMeta(key, value));
  }

  /** Journal a write and, unless failing, run it; a failure switches to journalling only. */
  private write(op: string, w: () => void): void {
    this.journal.push(w);
    if (this.failing) return;
    try {
      w();
    } catch (e) {
      // Only storage failures are absorbed; a constraint violation is a bug the caller must see.
      if (!isStorageFailure(e)) {
        this.journal.pop();
        throw e;
      }
      this.enterFailing(op, e);
    }
  }

  private enterFailing(op: string, e: unknown): void {
    if (!this.failing) this.log.error({ op, err: String(e), journal: this.journal.length }, 'store cannot write (disk full?); keeping changes in memory until it can');
    this.failing = true;
  }

  /** `deep`: the records hold arrays (SMS refs, a call's IVR path), which must not change in the journal by reference. */
  private repo<R, K extends keyof R>(r: Repo<R, K>, name: string, deep = false): Repo<R, K> {
    return {
      get: (k) => r.get(k),
      all: () => r.all(),
      put: (rec) => {
        const copy = deep ? structuredClone(rec) : { ...rec };
        this.write(`${name}.put`, () => r.put(copy));
      },
      delete: (k) => this.write(`${name}.delete`, () => r.delete(k)),
    };
  }
}
