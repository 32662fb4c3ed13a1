import type { Timer } from './Clock.ts';

/** One scheduled callback. */
export interface TimerEntry {
  /** Due time, epoch ms. */
  due: number;
  seq: number;
  name: string;
  fn: () => void;
  pending: boolean;
}

/**
 * Timers ordered by due time, ties by creation order, in a binary heap with
 * lazy deletion (a cleared timer is skipped when it reaches the top). The
 * virtual clocks share it: a simulated day holds millions of timers, so each
 * operation must be O(log n).
 */
export class TimerQueue {
  private heap: TimerEntry[] = [];
  private seq = 0;
  private live = 0;

  /** Schedule `fn` at `due`; the returned handle clears it. */
  add(due: number, name: string, fn: () => void): Timer {
    const entry: TimerEntry = { due, seq: this.seq++, name, fn, pending: true };
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

  /** The earliest pending timer, without removing it. */
  peek(): TimerEntry | undefined {
    while (this.heap.length > 0 && !this.heap[0]!.pending) this.pop();
    return this.heap[0];
  }

  /** Remove and return the earliest pending timer if it is due by `until`; it counts as fired. */
  takeDue(until: number): TimerEntry | undefined {
    const top = this.peek();
    if (!top || top.due > until) return undefined;
    this.pop();
    top.pending = false;
    this.live--;
    return top;
  }

  /** Names of pending timers, optionally only those called `name`. */
  pendingNames(name?: string): string[] {
    return this.heap.filter((e) => e.pending && (name === undefined || e.name === name)).map((e) => e.name);
  }

  get size(): number {
    return this.live;
  }

  /** Drop every timer; none will fire. */
  clear(): void {
    for (const e of this.heap) e.pending = false;
    this.heap = [];
    this.live = 0;
  }

  private push(e: TimerEntry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (earlier(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && earlier(h[l]!, h[m]!)) m = l;
      if (r < h.length && earlier(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}

function earlier(a: TimerEntry, b: TimerEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
