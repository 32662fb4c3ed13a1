import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ScaledClock } from './ScaledClock.ts';

// ScaledClock is the real-time adapter, so these tests use real (very short)
// timers: at speed 1000 a virtual second is one real millisecond.
function waitFor(cond: () => boolean, limitMs = 2000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) return resolve();
      if (Date.now() - start > limitMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 1);
    };
    tick();
  });
}

describe('ScaledClock', () => {
  it('starts at the given instant and runs speed times faster', async () => {
    const clock = new ScaledClock({ speed: 1000, startMs: 1_000_000 });
    expect(clock.now()).toBeGreaterThanOrEqual(1_000_000);
    expect(clock.now()).toBeLessThan(1_000_000 + 1000 * 50);
    const before = clock.now();
    await new Promise((r) => setTimeout(r, 20));
    // 20 real ms ≥ 20 virtual seconds (timers never fire early).
    expect(clock.now() - before).toBeGreaterThanOrEqual(19_000);
  });

  it('fires timers in due order even when their real delays round to the same millisecond', async () => {
    // Hold real time still while creating: at speed 1000 each real
    // microsecond is a virtual millisecond, so a GC pause between calls would
    // otherwise change which timer is due first.
    let held: number | null = performance.now();
    const clock = new ScaledClock({ speed: 1000, realNow: () => held ?? performance.now() });
    const fired: string[] = [];
    // Created in reverse due order; 300/200/100 virtual ms are all < 1 real ms.
    clock.setTimer('c', 300, () => fired.push('c'));
    clock.setTimer('b', 200, () => fired.push('b'));
    clock.setTimer('a', 100, () => fired.push('a'));
    clock.setTimer('a2', 100, () => fired.push('a2'));
    held = null;
    await waitFor(() => fired.length === 4);
    expect(fired).toEqual(['a', 'a2', 'b', 'c']);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('does not fire before the virtual delay has elapsed', async () => {
    const clock = new ScaledClock({ speed: 1000 });
    const setAt = clock.now();
    let firedAt = 0;
    clock.setTimer('t', 5_000, () => (firedAt = clock.now()));
    await waitFor(() => firedAt > 0);
    expect(firedAt - setAt).toBeGreaterThanOrEqual(5_000);
  });

  it('clear() cancels, pending reflects state, and timers set from callbacks run later', async () => {
    const clock = new ScaledClock({ speed: 1000 });
    const fired: string[] = [];
    const t = clock.setTimer('cancelled', 50, () => fired.push('cancelled'));
    expect(t.pending).toBe(true);
    t.clear();
    expect(t.pending).toBe(false);
    const outer = clock.setTimer('outer', 100, () => {
      fired.push('outer');
      clock.setTimer('inner', 0, () => fired.push('inner'));
    });
    clock.setTimer('last', 3_000, () => fired.push('last'));
    await waitFor(() => fired.length === 3);
    expect(outer.pending).toBe(false);
    expect(fired).toEqual(['outer', 'inner', 'last']);
  });

  it('dispose() drops every timer', async () => {
    const clock = new ScaledClock({ speed: 1000 });
    let fired = false;
    clock.setTimer('t', 10, () => (fired = true));
    clock.dispose();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('rejects a non-positive speed', () => {
    expect(() => new ScaledClock({ speed: 0 })).toThrow(RangeError);
    expect(() => new ScaledClock({ speed: Number.NaN })).toThrow(/positive/);
  });
});
