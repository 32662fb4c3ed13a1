import type { Clock, Timer } from './Clock.ts';

interface Entry {
  due: number;
  seq: number;
  name: string;
  fn: () => void;
  pending: boolean;
}

/**
 * Virtual clock: timers fire only when the test (or simulator) advances time,
 * in due-time order, ties broken by creation order. A binary heap keeps
 * `advance` O(log n) per timer so a simulated day with millions of timers
 * stays fast.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private heap: Entry[] = [];
  private live = 0;

  constructor(startMs = Date.UTC(2026, 0, 5, 6, 0, 0)) {
    this.time = Math.round(startMs);
  }

  now(): number {
    return this.time;
  }

  setTimer(name: string, ms: number, fn: () => void): Timer {
    // Virtual time has whole-millisecond resolution, like every timestamp the core writes.
    const entry: Entry = { due: this.time + Math.max(0, Math.round(ms)), seq: this.seq++, name, fn, pending: true };
    this.push(entry);
    this.live++;
    const self = this;
    return {
      clear() {
        if (entry.pending) {
          entry.pending = false;
          self.live--;
        }
      },
      get pending() {
        return entry.pending;
      },
    };
  }

  /** Advance virtual time by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Advance to the absolute time `target`, firing due timers in order. */
  advanceTo(target: number): void {
    for (;;) {
      const top = this.peek();
      if (!top || top.due > target) break;
      this.pop();
      if (!top.pending) continue;
      top.pending = false;
      this.live--;
      if (top.due > this.time) this.time = top.due;
      top.fn();
    }
    if (target > this.time) this.time = Math.round(target);
  }

  /** Fire the next pending timer (jumping time to it); false when none is left. */
  step(): boolean {
    const top = this.peek();
    if (!top) return false;
    this.advanceTo(top.due);
    return true;
  }

  /** Due time of the next pending timer, or undefined. */
  nextDue(): number | undefined {
    return this.peek()?.due;
  }

  /** Names of pending timers, optionally only those with `name`. */
  pendingTimers(name?: string): string[] {
    return this.heap.filter((e) => e.pending && (name === undefined || e.name === name)).map((e) => e.name);
  }

  get pendingCount(): number {
    return this.live;
  }

  private peek(): Entry | undefined {
    while (this.heap.length > 0 && !this.heap[0]!.pending) this.pop();
    return this.heap[0];
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
