import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../core/errors.ts';
import { rotatedIndices, rotationPlan, shouldRotate, validateRotateOptions, type RotateInput, type RotateReason } from './QueueLogRotation.ts';
import { replayedEvents } from './replayedEvents.ts';

describe('shouldRotate', () => {
  const base: RotateInput = { size: 100, incoming: 50, fileDay: '2026-01-05', today: '2026-01-05', maxBytes: 200, daily: true };
  const rows: { name: string; input: Partial<RotateInput>; want: RotateReason }[] = [
    { name: 'the event fits', input: {}, want: null },
    { name: 'the event fills the file exactly', input: { incoming: 100 }, want: null },
    { name: 'the event would take the file past maxBytes', input: { incoming: 101 }, want: 'size' },
    { name: 'no size limit', input: { incoming: 10_000, maxBytes: null }, want: null },
    { name: 'an empty file is never rotated, even for an event bigger than maxBytes', input: { size: 0, incoming: 10_000 }, want: null },
    { name: 'an event that writes nothing does not rotate', input: { size: 10_000, incoming: 0 }, want: null },
    { name: 'first write on a later site-local day', input: { today: '2026-01-06' }, want: 'daily' },
    { name: 'several days later', input: { today: '2026-02-01' }, want: 'daily' },
    { name: 'a later day but daily off', input: { today: '2026-01-06', daily: false }, want: null },
    { name: 'the clock went back a day (no RTC before NTP)', input: { today: '2026-01-04' }, want: null },
    { name: 'the day of the file is unknown', input: { today: '2026-01-06', fileDay: null }, want: null },
    { name: 'both due: size is named', input: { today: '2026-01-06', incoming: 101 }, want: 'size' },
  ];
  for (const r of rows) {
    it(`${r.name} → ${String(r.want)}`, () => {
      expect(shouldRotate({ ...base, ...r.input })).toBe(r.want);
    });
  }
});

describe('rotatedIndices', () => {
  it('finds only logrotate names of this file, newest first', () => {
    const names = ['queue_log', 'queue_log.10', 'queue_log.2', 'queue_log.1', 'queue_log.1.gz', 'queue_log.01', 'queue_log.x', 'other.3', 'queue_log.0'];
    expect(rotatedIndices('/var/ccgate/queue_log', names)).toEqual([1, 2, 10]);
  });
});

describe('rotationPlan', () => {
  const f = '/d/queue_log';
  const mv = (from: string, to: string): { from: string; to: string } => ({ from: from === '' ? f : `${f}.${from}`, to: `${f}.${to}` });
  const rows: { name: string; existing: number[]; keep: number; renames: { from: string; to: string }[]; unlinks?: string[] }[] = [
    { name: 'first rotation', existing: [], keep: 3, renames: [mv('', '1')] },
    { name: 'shifts the rotated files up, the highest first', existing: [1, 2], keep: 3, renames: [mv('2', '3'), mv('1', '2'), mv('', '1')] },
    { name: 'all kept files exist: the oldest is replaced by the next', existing: [1, 2, 3], keep: 3, renames: [mv('2', '3'), mv('1', '2'), mv('', '1')] },
    { name: 'keep 1: the current file replaces .1', existing: [1], keep: 1, renames: [mv('', '1')] },
    { name: 'a gap left by a crash after the first rename: only the current file moves', existing: [2, 3], keep: 3, renames: [mv('', '1')] },
    { name: 'a gap further up: shifts only below it', existing: [1, 3], keep: 3, renames: [mv('1', '2'), mv('', '1')] },
    { name: 'keep lowered: files beyond it are deleted', existing: [1, 2, 3, 4, 5], keep: 2, renames: [mv('1', '2'), mv('', '1')], unlinks: [`${f}.3`, `${f}.4`, `${f}.5`] },
  ];
  for (const r of rows) {
    it(r.name, () => {
      expect(rotationPlan(f, r.existing, r.keep)).toEqual({ renames: r.renames, unlinks: r.unlinks ?? [] });
    });
  }
});

describe('validateRotateOptions', () => {
  const ok = { maxBytes: 1024, daily: true, keep: 7, timeZone: 'Asia/Tehran', now: (): number => 0 };
  it('accepts whole keep ≥ 1 and maxBytes > 0 or null', () => {
    expect(() => validateRotateOptions(ok)).not.toThrow();
    expect(() => validateRotateOptions({ ...ok, maxBytes: null, keep: 1 })).not.toThrow();
  });
  it.each([
    ['rotate.keep', { keep: 0 }],
    ['rotate.keep', { keep: 1.5 }],
    ['rotate.maxBytes', { maxBytes: 0 }],
    ['rotate.maxBytes', { maxBytes: Number.NaN }],
  ] as const)('refuses %s = %o with CONFIG_INVALID', (option, bad) => {
    let err: unknown;
    try {
      validateRotateOptions({ ...ok, ...bad });
    } catch (e) {
      err = e;
    }
    expect(isCcgateError(err, 'CONFIG_INVALID')).toBe(true);
    expect(isCcgateError(err) && err.context.option).toBe(option);
  });
});

describe('replayedEvents', () => {
  const ev = (...lines: string[]): { lines: string[] } => ({ lines });
  it('skips the events whose lines end the tail', () => {
    expect(replayedEvents(['a', 'b', 'c'], [ev('b'), ev('c'), ev('d')])).toEqual({ events: 2, lines: 2 });
  });
  it('writes everything when nothing matches', () => {
    expect(replayedEvents(['a', 'b'], [ev('x')])).toEqual({ events: 0, lines: 0 });
  });
  it('holds when the lines so far occur before the end of the tail', () => {
    expect(replayedEvents(['a', 'b', 'c'], [ev('a')])).toBe('hold');
  });
});
