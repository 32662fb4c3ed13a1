import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['  45s ', 45_000],
    ['1.5s', 1_500],
    ['1.1s', 1_100], // 1100.0000000000002 in floating point
    ['0s', 0],
    ['1m500ms', 60_500],
    ['2d4h', 187_200_000],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'empty'],
    ['15', 'no unit: ambiguous'],
    ['5x', 'unknown unit'],
    ['5M', 'upper case (month?)'],
    ['-5s', 'negative'],
    ['30m1h', 'units out of order'],
    ['5m5m', 'repeated unit'],
    ['0.5ms', 'sub-millisecond'],
    ['1h30', 'trailing number without unit'],
    ['s', 'unit without number'],
    ['1,5s', 'decimal comma'],
  ])('rejects %s (%s)', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [86_400_000 + 1, '1d1ms'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1_000, 61_001, 3_600_000, 7 * 86_400_000 + 5]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
