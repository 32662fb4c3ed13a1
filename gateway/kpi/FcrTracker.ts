/** Where an FCR outcome is counted: the answered call's queue and entry hour. */
export interface FcrRef {
  queue: string;
  hourStart: number;
}

interface FcrRecord extends FcrRef {
  /** When the answered call ended (epoch ms); the window starts here. */
  endedAt: number;
  /** `${queue}\n${number}`: its list in `open`. */
  key: string;
  /** Decided (a repeat, its window passed) or forgotten: out of every count, skipped where still listed. */
  done: boolean;
}

/** Undecided records counted in one queue and hour. */
interface FcrGroup {
  ref: FcrRef;
  undecided: number;
}

/** Receives a decided FCR outcome to add to the counters. */
export type FcrSink = (ref: FcrRef, resolved: boolean) => void;

/**
 * First-contact-resolution proxy (queue-kpis.md section 5): an answered call
 * from number N in queue Q is resolved if no new inbound entry from N into Q
 * occurs within the window after it ended.
 *
 * A record is decided either by a repeat call (not resolved) or, once the
 * window has passed, as resolved. Decisions depend only on event times, never
 * on when they are evaluated, so a rebuilt aggregator decides the same way.
 * Records whose counting hour has been dropped are forgotten: memory stays
 * bounded by the calls of the retained hours.
 */
export class FcrTracker {
  /** `${queue}\n${number}` → undecided records, oldest first. */
  private readonly open = new Map<string, FcrRecord[]>();
  /** Undecided records per queue and counting hour: what a snapshot adds up, without visiting each record. */
  private readonly groups = new Map<string, FcrGroup>();
  /** Every record by `endedAt` (decided ones skipped), from `head`: the windows pass in this order. */
  private byEnd: FcrRecord[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** An answered call from a presented number ended. Withheld numbers ('') are not tracked. */
  callEnded(number: string, ref: FcrRef, endedAt: number): void {
    if (number === '') return;
    const key = `${ref.queue}\n${number}`;
    const r: FcrRecord = { queue: ref.queue, hourStart: ref.hourStart, endedAt, key, done: false };
    const list = this.open.get(key) ?? [];
    list.push(r);
    this.open.set(key, list);
    const g = groupKey(ref);
    const group = this.groups.get(g) ?? { ref: { queue: ref.queue, hourStart: ref.hourStart }, undecided: 0 };
    group.undecided++;
    this.groups.set(g, group);
    // Calls end in time order; one that does not is put in its place, so the windows pass in order.
    let i = this.byEnd.length;
    while (i > this.head && this.byEnd[i - 1]!.endedAt > endedAt) i--;
    this.byEnd.splice(i, 0, r);
  }

  /** A new inbound entry from `number` into `queue` at `at`: decides the earlier calls of that pair. */
  entered(number: string, queue: string, at: number, sink: FcrSink): void {
    if (number === '') return;
    const key = `${queue}\n${number}`;
    const list = this.open.get(key);
    if (!list) return;
    this.open.delete(key);
    // A repeat within [endedAt, endedAt + window) means the first call did
    // not resolve the matter; a call after the window leaves it resolved.
    for (const r of list) {
      this.close(r);
      sink(r, at - r.endedAt >= this.windowMs);
    }
  }

  /** Decide as resolved every record whose window has fully passed by `now`. */
  settle(now: number, sink: FcrSink): void {
    for (; this.head < this.byEnd.length; this.head++) {
      const r = this.byEnd[this.head]!;
      if (r.endedAt + this.windowMs > now) break;
      if (r.done) continue;
      this.close(r);
      this.unlist(r);
      sink(r, true);
    }
    this.compact();
  }

  /** Forget records counted in hours before `floor` (their bucket is gone). */
  prune(floor: number): void {
    for (const [key, list] of this.open) {
      const keep: FcrRecord[] = [];
      for (const r of list) {
        if (r.hourStart >= floor) keep.push(r);
        else this.close(r);
      }
      if (keep.length === 0) this.open.delete(key);
      else if (keep.length !== list.length) this.open.set(key, keep);
    }
    this.compact();
  }

  /**
   * Read-only view at `now` for a snapshot: per queue and counting hour, how
   * many undecided records are pending and how many would be resolved
   * (window passed) if decided now, without changing state, so taking a
   * snapshot never alters what later events decide. Costs the groups plus the
   * records whose window passed since the last settle (an hour's at most).
   */
  peek(now: number, visit: (ref: FcrRef, pending: number, resolved: number) => void): void {
    const passed = new Map<string, number>();
    for (let i = this.head; i < this.byEnd.length; i++) {
      const r = this.byEnd[i]!;
      if (r.endedAt + this.windowMs > now) break;
      if (!r.done) passed.set(groupKey(r), (passed.get(groupKey(r)) ?? 0) + 1);
    }
    for (const [k, g] of this.groups) {
      const resolved = passed.get(k) ?? 0;
      visit(g.ref, g.undecided - resolved, resolved);
    }
  }

  private close(r: FcrRecord): void {
    if (r.done) return;
    r.done = true;
    const k = groupKey(r);
    const g = this.groups.get(k);
    if (g && --g.undecided === 0) this.groups.delete(k);
  }

  /** Take a decided record out of its pair's list. */
  private unlist(r: FcrRecord): void {
    const list = this.open.get(r.key);
    if (!list) return;
    const keep = list.filter((x) => x !== r);
    if (keep.length === 0) this.open.delete(r.key);
    else this.open.set(r.key, keep);
  }

  /** Drop the decided head of `byEnd` once it is most of the array. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.byEnd.length) {
      this.byEnd = this.byEnd.slice(this.head);
      this.head = 0;
    }
    // Records decided out of order (a repeat, a prune) stay until the head passes them; bound them too.
    if (this.byEnd.length - this.head > 4 * (this.countUndecided() + 1024)) {
      this.byEnd = this.byEnd.slice(this.head).filter((r) => !r.done);
      this.head = 0;
    }
  }

  private countUndecided(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.undecided;
    return n;
  }
}

function groupKey(ref: FcrRef): string {
  return `${ref.queue}\n${ref.hourStart}`;
}
