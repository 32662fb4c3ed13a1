import { describe, expect, it } from 'vitest';
import type { Schedule } from '../config/types.ts';
import { closesAt, isOpen, nextOpening, parseInterval } from './schedule.ts';

const TEHRAN = 'Asia/Tehran'; // UTC+03:30, no DST since 2022
const SHANGHAI = 'Asia/Shanghai'; // UTC+08:00, no DST

/** Epoch ms of a local wall-clock time given with its UTC offset, e.g. `at('2025-06-14 08:00', '+03:30')`. */
function at(local: string, offset: string): number {
  const ms = Date.parse(`${local.replace(' ', 'T')}${local.length === 16 ? ':00' : ''}${offset}`);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${local}`);
  return ms;
}
const teh = (local: string): number => at(local, '+03:30');
const sha = (local: string): number => at(local, '+08:00');

/** Iranian week: Sat–Wed 08:00–20:00, Thu 08:00–14:00, Friday closed; Nowruz 1405 and Sizdah Bedar. */
const tehranOffice: Schedule = {
  weekly: {
    sat: ['08:00-20:00'],
    sun: ['08:00-20:00'],
    mon: ['08:00-20:00'],
    tue: ['08:00-20:00'],
    wed: ['08:00-20:00'],
    thu: ['08:00-14:00'],
  },
  holidays: ['2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-04-02'],
};

describe('parseInterval', () => {
  it.each([
    ['08:00-20:00', { start: 480, end: 1200 }],
    ['00:00-24:00', { start: 0, end: 1440 }],
    ['22:00-02:00', { start: 1320, end: 120 }],
    ['23:59-00:00', { start: 1439, end: 0 }],
  ])('accepts %s', (text, want) => {
    expect(parseInterval(text)).toEqual(want);
  });

  it.each(['8:00-20:00', '08:00-20:60', '24:00-24:00', '08:00-24:30', '25:00-26:00', '10:00-10:00', '08:00 - 20:00', '08:00'])(
    'rejects %s',
    (text) => {
      expect(parseInterval(text)).toBeNull();
    },
  );
});

describe('isOpen in Asia/Tehran (Iranian week)', () => {
  it.each([
    ['Sat before opening', '2025-06-14 07:59', false],
    ['Sat at opening', '2025-06-14 08:00', true],
    ['Sat last open minute', '2025-06-14 19:59', true],
    ['Sat at closing (end is exclusive)', '2025-06-14 20:00', false],
    ['Thu short day, open', '2025-06-19 13:59', true],
    ['Thu short day, closed', '2025-06-19 14:00', false],
    ['Friday closed all day', '2025-06-20 10:00', false],
    ['Nowruz holiday on a Saturday', '2026-03-21 10:00', false],
    ['Sizdah Bedar holiday on a Thursday', '2026-04-02 09:00', false],
    ['first working day after Nowruz', '2026-03-25 10:00', true],
  ])('%s (%s) → %s', (_what, local, want) => {
    expect(isOpen(tehranOffice, teh(local), TEHRAN)).toBe(want);
  });

  it('uses site time, not UTC: 04:30 UTC is 08:00 in Tehran', () => {
    expect(isOpen(tehranOffice, Date.parse('2025-06-14T04:29:00Z'), TEHRAN)).toBe(false);
    expect(isOpen(tehranOffice, Date.parse('2025-06-14T04:30:00Z'), TEHRAN)).toBe(true);
  });
});

describe('nextOpening', () => {
  it('returns fromMs itself when already open', () => {
    const t = teh('2025-06-14 10:00:17');
    expect(nextOpening(tehranOffice, t, TEHRAN)).toBe(t);
  });

  it('returns the exact minute boundary from mid-minute', () => {
    expect(nextOpening(tehranOffice, teh('2025-06-14 07:59:30'), TEHRAN)).toBe(teh('2025-06-14 08:00'));
  });

  it('skips the Friday weekend: Thu 14:00 → Sat 08:00', () => {
    expect(nextOpening(tehranOffice, teh('2025-06-19 14:00'), TEHRAN)).toBe(teh('2025-06-21 08:00'));
  });

  it('skips Nowruz holidays: Fri 20 March → Wed 25 March 08:00', () => {
    expect(nextOpening(tehranOffice, teh('2026-03-20 10:00'), TEHRAN)).toBe(teh('2026-03-25 08:00'));
  });

  it('returns null when the schedule never opens within 14 days', () => {
    expect(nextOpening({ weekly: {}, holidays: [] }, teh('2025-06-14 10:00'), TEHRAN)).toBeNull();
    const allHolidays: Schedule = {
      weekly: { mon: ['09:00-17:00'] },
      holidays: Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2025, 5, 14 + i)).toISOString().slice(0, 10)),
    };
    expect(nextOpening(allHolidays, teh('2025-06-14 10:00'), TEHRAN)).toBeNull();
  });

  it('finds an opening 13 days ahead (within the horizon)', () => {
    const s: Schedule = { weekly: { mon: ['09:00-17:00'] }, holidays: ['2025-06-16'] };
    expect(nextOpening(s, teh('2025-06-14 10:00'), TEHRAN)).toBe(teh('2025-06-23 09:00'));
  });

  it('lands on the first wall-clock minute after a DST gap (Europe/Berlin, 30 March 2025)', () => {
    // Clocks jump 02:00 → 03:00; a 02:30 opening happens at 03:00 CEST = 01:00 UTC.
    const s: Schedule = { weekly: { sun: ['02:30-10:00'] }, holidays: [] };
    expect(nextOpening(s, Date.parse('2025-03-29T22:00:00Z'), 'Europe/Berlin')).toBe(Date.parse('2025-03-30T01:00:00Z'));
  });
});

describe('intervals crossing midnight (Asia/Shanghai night shift)', () => {
  // Mon 16 June 2025 22:00 → Tue 17 June 02:00.
  const night: Schedule = { weekly: { mon: ['22:00-02:00'] }, holidays: [] };

  it.each([
    ['Mon 21:59', '2025-06-16 21:59', false],
    ['Mon 22:00', '2025-06-16 22:00', true],
    ['Mon 23:59', '2025-06-16 23:59', true],
    ['Tue 00:00', '2025-06-17 00:00', true],
    ['Tue 01:59', '2025-06-17 01:59', true],
    ['Tue 02:00', '2025-06-17 02:00', false],
    ['Mon 01:00 (no Sunday shift)', '2025-06-16 01:00', false],
  ])('%s → %s', (_what, local, want) => {
    expect(isOpen(night, sha(local), SHANGHAI)).toBe(want);
  });

  it('closesAt runs into the next day', () => {
    expect(closesAt(night, sha('2025-06-16 23:00'), SHANGHAI)).toBe(sha('2025-06-17 02:00'));
  });

  it('a holiday on the next day closes the after-midnight tail', () => {
    const s: Schedule = { ...night, holidays: ['2025-06-17'] };
    expect(isOpen(s, sha('2025-06-16 23:00'), SHANGHAI)).toBe(true);
    expect(isOpen(s, sha('2025-06-17 01:00'), SHANGHAI)).toBe(false);
    expect(closesAt(s, sha('2025-06-16 23:00'), SHANGHAI)).toBe(sha('2025-06-17 00:00'));
  });

  it('a holiday on the start day cancels the whole shift, tail included', () => {
    const s: Schedule = { ...night, holidays: ['2025-06-16'] };
    expect(isOpen(s, sha('2025-06-16 23:00'), SHANGHAI)).toBe(false);
    expect(isOpen(s, sha('2025-06-17 01:00'), SHANGHAI)).toBe(false);
    expect(nextOpening(s, sha('2025-06-16 21:00'), SHANGHAI)).toBe(sha('2025-06-23 22:00'));
  });

  it('24:00 followed by 00:00 next day is one continuous opening', () => {
    const s: Schedule = { weekly: { mon: ['18:00-24:00'], tue: ['00:00-06:00'] }, holidays: [] };
    expect(isOpen(s, sha('2025-06-16 23:59'), SHANGHAI)).toBe(true);
    expect(isOpen(s, sha('2025-06-17 00:00'), SHANGHAI)).toBe(true);
    expect(closesAt(s, sha('2025-06-16 19:00'), SHANGHAI)).toBe(sha('2025-06-17 06:00'));
  });
});

describe('closesAt', () => {
  it('returns the closing minute when open', () => {
    expect(closesAt(tehranOffice, teh('2025-06-14 10:00:42'), TEHRAN)).toBe(teh('2025-06-14 20:00'));
  });

  it('returns null when closed', () => {
    expect(closesAt(tehranOffice, teh('2025-06-20 10:00'), TEHRAN)).toBeNull();
  });

  it('returns null for a 24/7 schedule', () => {
    const always: Schedule = {
      weekly: Object.fromEntries((['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => [d, ['00:00-24:00']])),
      holidays: [],
    };
    expect(closesAt(always, teh('2025-06-14 10:00'), TEHRAN)).toBeNull();
  });

  it('ignores malformed intervals instead of throwing mid-call', () => {
    const s: Schedule = { weekly: { sat: ['8-20', '09:00-10:00'] }, holidays: [] };
    expect(isOpen(s, teh('2025-06-14 08:30'), TEHRAN)).toBe(false);
    expect(isOpen(s, teh('2025-06-14 09:30'), TEHRAN)).toBe(true);
  });
});
