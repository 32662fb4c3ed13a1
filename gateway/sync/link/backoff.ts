/**
 * Delays between connection attempts: exponential back-off with
 * "decorrelated jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"). A fleet of units that lost the broker at the same moment (a cloud
 * restart, a branch's uplink coming back) must not reconnect in lock-step,
 * and, unlike full jitter, no delay is ever shorter than `initialMs`, so a
 * random source that returns 0 cannot turn the link into a busy loop.
 *
 * Pure: the random source is injected, so tests replay a seeded sequence.
 */
export interface BackoffConfig {
  initialMs: number;
  maxMs: number;
}

export interface RandomSource {
  /** A number in [0, 1). */
  next(): number;
}

/**
 * The delay after `previousMs` (null on the first failure since the link was
 * last up): uniform in [initialMs, 3 × previous], capped at maxMs.
 */
export function nextBackoffMs(previousMs: number | null, cfg: BackoffConfig, random: RandomSource): number {
  const initial = Math.max(0, cfg.initialMs);
  const max = Math.max(initial, cfg.maxMs);
  const prev = previousMs === null ? initial : Math.max(initial, previousMs);
  const upper = Math.min(max, prev * 3);
  const r = Math.min(Math.max(random.next(), 0), 1);
  return Math.min(max, Math.round(initial + r * (upper - initial)));
}

/** A small deterministic generator (mulberry32) for tests and simulations that need a seeded RandomSource. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
