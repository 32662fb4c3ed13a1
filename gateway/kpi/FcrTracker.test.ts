import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/Random.ts';
import { FcrTracker, type FcrRef } from './FcrTracker.ts';

const HOUR = 3_600_000;

/** The plain model: every undecided record in one list, each visited at every look. */
class ModelTracker {
  private open: Array<FcrRef & { endedAt: number; number: string }> = [];
  constructor(private readonly windowMs: number) {}
  callEnded(number: string, ref: FcrRef, endedAt: number): void {
    if (number !== '') this.open.push({ ...ref, endedAt, number });
  }
  entered(number: string, queue: string, at: number, out: string[]): void {
    const hit = this.open.filter((r) => r.number === number && r.queue === queue);
    this.open = this.open.filter((r) => !hit.includes(r));
    for (const r of hit) out.push(`${r.queue}@${r.hourStart}:${at - r.endedAt >= this.windowMs}`);
  }
  settle(now: number, out: string[]): void {
    const due = this.open.filter((r) => r.endedAt + this.windowMs <= now);
    this.open = this.open.filter((r) => !due.includes(r));
    for (const r of due) out.push(`${r.queue}@${r.hourStart}:true`);
  }
  prune(floor: number): void {
    this.open = this.open.filter((r) => r.hourStart >= floor);
  }
  peek(now: number): Record<string, [number, number]> {
    const out: Record<string, [number, number]> = {};
    for (const r of this.open) {
      const k = `${r.queue}@${r.hourStart}`;
      const c = (out[k] ??= [0, 0]);
      if (r.endedAt + this.windowMs <= now) c[1]++;
      else c[0]++;
    }
    return out;
  }
}

describe('FcrTracker', () => {
  it('decides and counts as the plain model does over random days of calls, repeats, hourly settles and prunes', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = new SeededRandom(seed);
      const windowMs = 6 * HOUR;
      const t = new FcrTracker(windowMs);
      const m = new ModelTracker(windowMs);
      const got: string[] = [];
      const want: string[] = [];
      let now = 0;
      let hour = 0;
      let decided = 0;
      for (let step = 0; step < 6_000; step++) {
        now += Math.floor(rnd.next() * 60_000);
        if (Math.floor(now / HOUR) !== hour) {
          hour = Math.floor(now / HOUR);
          t.settle(now, (r, ok) => got.push(`${r.queue}@${r.hourStart}:${ok}`));
          m.settle(now, want);
          const floor = (hour - 12) * HOUR;
          t.prune(floor);
          m.prune(floor);
        }
        const number = rnd.next() < 0.05 ? '' : `n${Math.floor(rnd.next() * 200)}`;
        const queue = rnd.next() < 0.5 ? 'sales' : 'support';
        if (rnd.next() < 0.6) {
          // Now and then a call's end is reported a little out of order.
          const endedAt = rnd.next() < 0.1 ? Math.max(0, now - Math.floor(rnd.next() * 120_000)) : now;
          const ref = { queue, hourStart: Math.floor(endedAt / HOUR) * HOUR };
          t.callEnded(number, ref, endedAt);
          m.callEnded(number, ref, endedAt);
        } else {
          t.entered(number, queue, now, (r, ok) => got.push(`${r.queue}@${r.hourStart}:${ok}`));
          m.entered(number, queue, now, want);
        }
        // The same decisions at the same step (a settle may take them in another order: the sums are the same).
        expect([...got].sort()).toEqual([...want].sort());
        decided += got.length;
        got.length = 0;
        want.length = 0;
        if (step % 97 === 0) {
          const seen: Record<string, [number, number]> = {};
          t.peek(now + Math.floor(rnd.next() * 2 * HOUR), () => {}); // a look ahead changes nothing
          const at = now + Math.floor(rnd.next() * HOUR);
          t.peek(at, (ref, pending, resolved) => {
            seen[`${ref.queue}@${ref.hourStart}`] = [pending, resolved];
          });
          expect(seen).toEqual(m.peek(at));
        }
      }
      expect(decided).toBeGreaterThan(1_000);
    }
  });
});
