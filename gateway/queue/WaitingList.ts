import type { Timer } from '../core/Clock.ts';
import type { Call } from '../calls/Call.ts';
import type { EntryRecord } from '../store/Store.ts';

/** A place in a queue at run time: the durable record plus what only lives in memory. */
export interface Entry {
  rec: EntryRecord;
  /** The caller's leg for live entries. */
  call: Call | null;
  /** Agent currently ringing for (or reserved by) this entry. */
  ringing: string | null;
  ringStartedAt: number;
  /** Agents that did not answer this entry; skipped until every ready agent has been tried. */
  tried: Set<string>;
  /** Busy with something that must not be interrupted (confirming a callback). */
  locked: boolean;
  timers: Timer[];
}

/**
 * One queue's waiting list, live callers and kept-place callbacks together,
 * ordered by priority (higher first), then original join time, then a global
 * sequence. A callback inherits its live entry's joinedAt and seq, so it keeps
 * exactly its place and never jumps anyone who was waiting before it.
 */
export class WaitingList {
  private readonly items: Entry[] = [];
  private live = 0;

  constructor(readonly queue: string) {}

  insert(e: Entry): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.items[mid]!.rec, e.rec)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, e);
    if (e.rec.kind === 'live') this.live++;
    return lo + 1;
  }

  remove(e: Entry): void {
    const i = this.items.indexOf(e);
    if (i < 0) return;
    this.items.splice(i, 1);
    if (e.rec.kind === 'live') this.live--;
  }

  /** Replace an entry in place (live → callback keeps the same spot). */
  replace(old: Entry, next: Entry): void {
    const i = this.items.indexOf(old);
    if (i < 0) {
      this.insert(next);
      return;
    }
    this.items[i] = next;
    if (old.rec.kind === 'live') this.live--;
    if (next.rec.kind === 'live') this.live++;
  }

  /** 1-based position, counting live and virtual entries ahead. */
  position(e: Entry): number {
    return this.items.indexOf(e) + 1;
  }

  /** Position a new entry with these keys would take. */
  positionFor(rec: Pick<EntryRecord, 'priority' | 'joinedAt' | 'seq'>): number {
    let n = 0;
    for (const it of this.items) if (before(it.rec, rec)) n++;
    return n + 1;
  }

  get length(): number {
    return this.items.length;
  }

  get liveCount(): number {
    return this.live;
  }

  entries(): readonly Entry[] {
    return this.items;
  }
}

/** Strict order: does `a` wait ahead of `b`? */
export function before(a: Pick<EntryRecord, 'priority' | 'joinedAt' | 'seq'>, b: Pick<EntryRecord, 'priority' | 'joinedAt' | 'seq'>): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.joinedAt !== b.joinedAt) return a.joinedAt < b.joinedAt;
  return a.seq < b.seq;
}
