import { describe, expect, it } from 'vitest';
import { nextBackoffMs, seededRandom, type RandomSource } from './backoff.ts';

const cfg = { initialMs: 1_000, maxMs: 60_000 };
const fixed = (v: number): RandomSource => ({ next: () => v });

describe('nextBackoffMs (decorrelated jitter)', () => {
  it('starts at initialMs when the random source gives 0 and never goes below it', () => {
    let d: number | null = null;
    for (let i = 0; i < 20; i++) {
      d = nextBackoffMs(d, cfg, fixed(0));
      expect(d).toBe(1_000);
    }
  });

  it('grows by three per failure at the top of the range and stops at maxMs', () => {
    const seen: number[] = [];
    let d: number | null = null;
    for (let i = 0; i < 6; i++) seen.push((d = nextBackoffMs(d, cfg, fixed(1))));
    expect(seen).toEqual([3_000, 9_000, 27_000, 60_000, 60_000, 60_000]);
  });

  it('stays within [initialMs, min(maxMs, 3 × previous)] for a seeded sequence, and the sequence is reproducible', () => {
    const run = (seed: number): number[] => {
      const rnd = seededRandom(seed);
      const out: number[] = [];
      let d: number | null = null;
      for (let i = 0; i < 200; i++) {
        const next = nextBackoffMs(d, cfg, rnd);
        const prev = d ?? cfg.initialMs;
        expect(next).toBeGreaterThanOrEqual(cfg.initialMs);
        expect(next).toBeLessThanOrEqual(Math.min(cfg.maxMs, prev * 3));
        out.push((d = next));
      }
      return out;
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    // Jitter: the delays are spread, not one value repeated.
    expect(new Set(a).size).toBeGreaterThan(50);
    // It reaches the cap region at some point in 200 draws.
    expect(Math.max(...a)).toBeGreaterThan(30_000);
  });

  it('restarts from initialMs after a success (previous = null), whatever the last delay was', () => {
    expect(nextBackoffMs(null, cfg, fixed(0.5))).toBe(2_000);
    expect(nextBackoffMs(50_000, cfg, fixed(0.5))).toBe(30_500);
  });

  it('clamps a random source outside [0, 1) and a maxMs below initialMs', () => {
    expect(nextBackoffMs(null, cfg, fixed(-3))).toBe(1_000);
    expect(nextBackoffMs(null, cfg, fixed(7))).toBe(3_000);
    expect(nextBackoffMs(5_000, { initialMs: 200, maxMs: 100 }, fixed(0.9))).toBe(200);
  });

  it('seededRandom yields numbers in [0, 1)', () => {
    const r = seededRandom(1);
    for (let i = 0; i < 1_000; i++) {
      const v = r.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
