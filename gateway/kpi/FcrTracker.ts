/** Where an FCR outcome is counted: the answered call's queue and entry hour. */
export interface FcrRef {
  queue: string;
  hourStart: number;
}

interface FcrRecord extends FcrRef {
  /** When the answered call ended (epoch ms); the window starts here. */
  endedAt: number;
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

  constructor(private readonly windowMs: number) {}

  /** An answered call from a presented number ended. Withheld numbers ('') are not tracked. */
  callEnded(number: string, ref: FcrRef, endedAt: number): void {
    if (number === '') return;
    const key = `${ref.queue}\n${number}`;
    const list = this.open.get(key) ?? [];
    list.push({ queue: ref.queue, hourStart: ref.hourStart, endedAt });
    this.open.set(key, list);
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
    for (const r of list) sink(r, at - r.endedAt >= this.windowMs);
  }

  /** Decide as resolved every record whose window has fully passed by `now`. */
  settle(now: number, sink: FcrSink): void {
    for (const [key, list] of this.open) {
      const keep = list.filter((r) => {
        if (r.endedAt + this.windowMs > now) return true;
        sink(r, true);
        return false;
      });
      if (keep.length === 0) this.open.delete(key);
      else if (keep.length !== list.length) this.open.set(key, keep);
    }
  }

  /** Forget records counted in hours before `floor` (their bucket is gone). */
  prune(floor: number): void {
    for (const [key, list] of this.open) {
      const keep = list.filter((r) => r.hourStart >= floor);
      if (keep.length === 0) this.open.delete(key);
      else if (keep.length !== list.length) this.open.set(key, keep);
    }
  }

  /**
   * Read-only view at `now` for a snapshot: each undecided record is reported
   * as resolved (window passed) or pending, without changing state, so taking
   * a snapshot never alters what later events decide.
   */
  peek(now: number, visit: (ref: FcrRef, state: 'resolved' | 'pending') => void): void {
    for (const list of this.open.values()) {
      for (const r of list) visit(r, r.endedAt + this.windowMs <= now ? 'resolved' : 'pending');
    }
  }
}
