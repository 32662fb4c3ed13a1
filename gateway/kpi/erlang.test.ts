import { describe, expect, it } from 'vitest';
import { agentsNeeded, asa, erlangB, erlangC, serviceLevel } from './erlang.ts';

/**
 * Erlang C from the summation form, independent of the recursion under test:
 * Pw = [A^N/N! · N/(N−A)] / [Σ_{k=0}^{N−1} A^k/k! + A^N/N! · N/(N−A)].
 * Terms are kept as logarithms and summed with log-sum-exp, so A^N and N!
 * (each beyond a double for N > 170) never appear on their own.
 */
function erlangCBySummation(n: number, a: number): number {
  const logTerm = (k: number): number => {
    let lf = 0;
    for (let i = 2; i <= k; i++) lf += Math.log(i);
    return k * Math.log(a) - lf;
  };
  const logs: number[] = [];
  for (let k = 0; k < n; k++) logs.push(logTerm(k));
  const logWait = logTerm(n) + Math.log(n / (n - a));
  const max = Math.max(logWait, ...logs);
  const sumBelow = logs.reduce((s, l) => s + Math.exp(l - max), 0);
  const wait = Math.exp(logWait - max);
  return wait / (sumBelow + wait);
}

describe('erlangB (recursion)', () => {
  it('matches small hand values: B(1,1) = 1/2, B(2,1) = 1/5, B(0,A) = 1', () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 15);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 15);
    expect(erlangB(0, 7)).toBe(1);
  });
});

describe('erlangC', () => {
  it('A = 2, N = 3 gives exactly 4/9 (Σ = 1 + 2 + 2 = 5, wait term = 8/6 · 3 = 4)', () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 14);
  });

  it('A = 10, N = 12 agrees with the summation form to 1e-9', () => {
    const expected = erlangCBySummation(12, 10);
    expect(expected).toBeCloseTo(0.449388, 6);
    expect(Math.abs(erlangC(12, 10) - expected)).toBeLessThan(1e-9);
  });

  it.each([
    [1, 0.5],
    [5, 4.2],
    [30, 25],
    [120, 110],
    [200, 180],
    [520, 500],
    [560, 500],
  ])('N = %d, A = %d agrees with the summation form to 1e-9 (stable up to A = 500)', (n, a) => {
    const got = erlangC(n, a);
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got - erlangCBySummation(n, a))).toBeLessThan(1e-9);
  });

  it('is 1 when N ≤ A (every call waits) and 0 without load', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(5, 8)).toBe(1);
    expect(erlangC(3, 0)).toBe(0);
  });
});

describe('serviceLevel and asa', () => {
  it('follow SL = 1 − Pw·e^{−(N−A)t/h} and ASA = Pw·h/(N−A)', () => {
    const pw = erlangCBySummation(12, 10);
    expect(serviceLevel(12, 10, 20, 180)).toBeCloseTo(1 - pw * Math.exp((-2 * 20) / 180), 12);
    expect(asa(12, 10, 180)).toBeCloseTo((pw * 180) / 2, 9);
    expect(serviceLevel(10, 10, 20, 180)).toBe(0);
    expect(asa(9, 10, 180)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('agentsNeeded', () => {
  it.each([
    [5, 180, 20, 0.8],
    [48, 240, 20, 0.8],
    [10, 300, 30, 0.9],
    [0.3, 120, 20, 0.8],
    [480, 200, 20, 0.95],
  ])('A = %d, h = %d s, T = %d s, target %d: the smallest N > A that meets the target', (a, h, t, target) => {
    const n = agentsNeeded(a, h, t, target);
    expect(n).toBeGreaterThan(a);
    expect(serviceLevel(n, a, t, h)).toBeGreaterThanOrEqual(target);
    if (n - 1 > a) expect(serviceLevel(n - 1, a, t, h)).toBeLessThan(target);
  });

  it('A = 5 Erlangs at 80/20 with 180 s handle time needs 8 agents (7 give 74 %)', () => {
    expect(agentsNeeded(5, 180, 20, 0.8)).toBe(8);
    expect(serviceLevel(7, 5, 20, 180)).toBeCloseTo(0.7404, 4);
  });

  it('needs no agents without load and ends for a target of 1', () => {
    expect(agentsNeeded(0, 180, 20, 0.8)).toBe(0);
    expect(agentsNeeded(3, 180, 20, 1)).toBeGreaterThan(3);
  });
});
