import { describe, expect, it } from 'vitest';
import type { Strategy } from '../config/types.ts';
import { SeededRandom, type Random } from '../core/Random.ts';
import { pickAgent, type Candidate } from './strategies.ts';

const agents: Candidate[] = [
  { id: 'a1', penalty: 0, idleSince: 500, callsToday: 9, order: 0 },
  { id: 'a2', penalty: 0, idleSince: 100, callsToday: 4, order: 1 },
  { id: 'a3', penalty: 0, idleSince: 300, callsToday: 2, order: 2 },
  { id: 'a4', penalty: 1, idleSince: 0, callsToday: 0, order: 3 },
];
const rnd = new SeededRandom(3);

/** A Random that returns the given values in turn (to hit the ends of [0, 1)). */
function scripted(...values: number[]): Random {
  let i = 0;
  return { next: () => values[i++ % values.length]! };
}

describe('pickAgent', () => {
  it('longestIdle picks the agent free the longest within the lowest penalty tier', () => {
    expect(pickAgent('longestIdle', agents, { lastOrder: -1 }, rnd)?.id).toBe('a2');
  });
  it('fewestCalls ignores higher penalty tiers', () => {
    expect(pickAgent('fewestCalls', agents, { lastOrder: -1 }, rnd)?.id).toBe('a3');
  });
  it('ringAllInOrder hunts in configured order', () => {
    expect(pickAgent('ringAllInOrder', agents, { lastOrder: -1 }, rnd)?.id).toBe('a1');
  });
  it('roundRobin continues after the last agent and wraps', () => {
    expect(pickAgent('roundRobin', agents, { lastOrder: 0 }, rnd)?.id).toBe('a2');
    expect(pickAgent('roundRobin', agents, { lastOrder: 2 }, rnd)?.id).toBe('a1');
  });
  it('no candidate, no pick', () => {
    expect(pickAgent('random', [], { lastOrder: -1 }, rnd)).toBeUndefined();
  });
});

/**
 * Three tiers, listed out of order. Every agent of a higher tier is the one
 * the strategy would prefer if penalties were ignored: idle longer, fewer
 * calls today, earlier in the configuration, next after the round-robin mark.
 * So each pick shows the tier rule, not a lucky key.
 */
const tiered: Candidate[] = [
  { id: 'p2-x', penalty: 2, idleSince: 5, callsToday: 0, order: 0 },
  { id: 'p1-x', penalty: 1, idleSince: 10, callsToday: 1, order: 1 },
  { id: 'p1-y', penalty: 1, idleSince: 20, callsToday: 2, order: 2 },
  { id: 'p0-x', penalty: 0, idleSince: 400, callsToday: 7, order: 4 },
  { id: 'p2-y', penalty: 2, idleSince: 0, callsToday: 1, order: 3 },
  { id: 'p0-y', penalty: 0, idleSince: 300, callsToday: 8, order: 5 },
];

const STRATEGIES: Strategy[] = ['longestIdle', 'fewestCalls', 'ringAllInOrder', 'roundRobin', 'random'];

describe('penalty tiers', () => {
  it.each([
    // strategy, pick from all, pick once tier 0 is busy, pick once tiers 0 and 1 are busy
    ['longestIdle', 'p0-y', 'p1-x', 'p2-y'],
    ['fewestCalls', 'p0-x', 'p1-x', 'p2-x'],
    ['ringAllInOrder', 'p0-x', 'p1-x', 'p2-x'],
  ] as const)('%s uses a higher penalty only when no lower tier agent is ready', (strategy, all, noTier0, onlyTier2) => {
    const ready = (maxBusyTier: number) => tiered.filter((c) => c.penalty > maxBusyTier);
    expect(pickAgent(strategy, tiered, { lastOrder: -1 }, rnd)?.id).toBe(all);
    expect(pickAgent(strategy, ready(0), { lastOrder: -1 }, rnd)?.id).toBe(noTier0);
    expect(pickAgent(strategy, ready(1), { lastOrder: -1 }, rnd)?.id).toBe(onlyTier2);
  });

  it('roundRobin turns within the lowest tier only, skipping higher-tier agents next in order', () => {
    // After p0-x (order 4) the next in order is p0-y; after p0-y it wraps to p0-x, not to p2-x (order 0).
    expect(pickAgent('roundRobin', tiered, { lastOrder: 4 }, rnd)?.id).toBe('p0-y');
    expect(pickAgent('roundRobin', tiered, { lastOrder: 5 }, rnd)?.id).toBe('p0-x');
    // Before any turn, p2-x (order 0) and p1-x (order 1) come first in order but are not in the tier.
    expect(pickAgent('roundRobin', tiered, { lastOrder: -1 }, rnd)?.id).toBe('p0-x');
  });

  it.each(STRATEGIES)('%s never picks outside the lowest ready tier, whatever the input order', (strategy) => {
    const r = new SeededRandom(11);
    for (let i = 0; i < 200; i++) {
      const shuffled = [...tiered].sort(() => r.next() - 0.5);
      const pick = pickAgent(strategy, shuffled, { lastOrder: i % 6 }, r);
      expect(pick?.penalty).toBe(0);
    }
  });
});

describe('random', () => {
  const tier0 = tiered.filter((c) => c.penalty === 0).map((c) => c.id);
  const wide: Candidate[] = [
    ...tiered,
    { id: 'p0-z', penalty: 0, idleSince: 50, callsToday: 3, order: 6 },
    { id: 'p0-w', penalty: 0, idleSince: 60, callsToday: 3, order: 7 },
  ];

  it('maps the random draw onto the tier in configured order, both ends included', () => {
    // Tier 0 in order: p0-x (4), p0-y (5), p0-z (6), p0-w (7).
    expect(pickAgent('random', wide, { lastOrder: -1 }, scripted(0))?.id).toBe('p0-x');
    expect(pickAgent('random', wide, { lastOrder: -1 }, scripted(0.26))?.id).toBe('p0-y');
    expect(pickAgent('random', wide, { lastOrder: -1 }, scripted(0.5))?.id).toBe('p0-z');
    expect(pickAgent('random', wide, { lastOrder: -1 }, scripted(1 - 2 ** -53))?.id).toBe('p0-w');
  });

  it('spreads calls evenly over the lowest tier and never rings a higher one (seeded, 8,000 picks)', () => {
    const r = new SeededRandom(2026);
    const counts = new Map<string, number>();
    const n = 8000;
    for (let i = 0; i < n; i++) {
      const id = pickAgent('random', wide, { lastOrder: -1 }, r)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...tier0, 'p0-z', 'p0-w'].sort());
    // Each of 4 agents: binomial(8000, 1/4), SD ≈ 39; allow 5 SD.
    for (const c of counts.values()) expect(Math.abs(c - n / 4)).toBeLessThanOrEqual(5 * Math.sqrt(n * 0.25 * 0.75));
  });

  it('falls to the next tier, and reaches all of it, when the lowest tier is busy', () => {
    const r = new SeededRandom(5);
    const seen = new Set<string>();
    const noTier0 = tiered.filter((c) => c.penalty > 0);
    for (let i = 0; i < 200; i++) seen.add(pickAgent('random', noTier0, { lastOrder: -1 }, r)!.id);
    expect([...seen].sort()).toEqual(['p1-x', 'p1-y']);
  });
});
