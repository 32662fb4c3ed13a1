import { toJalaali } from 'jalaali-js';
import { describe, expect, it } from 'vitest';
import { formatDate, formatTime } from './dates.ts';
import { toLocalDigits } from './digits.ts';

const DAY = 86_400_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Noon in Tehran (UTC+03:30, no DST since 2022; ±1 h before) stays on the same civil day either way. */
const tehranNoon = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d, 8, 30);

describe('formatDate fa: Jalali with Persian digits, checked against jalaali-js', () => {
  const days: number[] = [];
  for (let year = 2015; year <= 2035; year++) {
    // Nowruz (and the Esfand 29/30 before it) and the Gregorian year end.
    for (let t = tehranNoon(year, 3, 15); t <= tehranNoon(year, 3, 25); t += DAY) days.push(t);
    for (let t = tehranNoon(year, 12, 25); t <= tehranNoon(year + 1, 1, 5); t += DAY) days.push(t);
  }

  it(`agrees on ${days.length} days around Nowruz and year ends`, () => {
    for (const t of days) {
      const g = new Date(t);
      const j = toJalaali(g.getUTCFullYear(), g.getUTCMonth() + 1, g.getUTCDate());
      expect(formatDate(t, 'fa', 'Asia/Tehran'), g.toISOString()).toBe(toLocalDigits(`${j.jy}/${pad(j.jm)}/${pad(j.jd)}`, 'fa'));
    }
  });

  it('Nowruz 1404 is ۱۴۰۴/۰۱/۰۱ with no bidi marks', () => {
    const s = formatDate(tehranNoon(2025, 3, 21), 'fa', 'Asia/Tehran');
    expect(s).toBe('۱۴۰۴/۰۱/۰۱');
    expect(s).not.toMatch(/[\u200E\u200F\u061C]/);
    expect(formatDate(tehranNoon(2024, 12, 31), 'fa', 'Asia/Tehran')).toBe('۱۴۰۳/۱۰/۱۱');
  });

  it('uses the board time zone for the day', () => {
    // 2025-03-20 22:00 UTC is already 1 Farvardin 01:30 in Tehran.
    const t = Date.UTC(2025, 2, 20, 22, 0);
    expect(formatDate(t, 'fa', 'Asia/Tehran')).toBe('۱۴۰۴/۰۱/۰۱');
    expect(formatDate(t, 'fa', 'UTC')).toBe('۱۴۰۳/۱۲/۳۰');
  });
});

describe('formatDate zh and en', () => {
  it('writes 2025年3月21日 and 2025-03-21', () => {
    const t = Date.UTC(2025, 2, 21, 4, 0);
    expect(formatDate(t, 'zh', 'Asia/Shanghai')).toBe('2025年3月21日');
    expect(formatDate(t, 'en', 'Europe/London')).toBe('2025-03-21');
  });
});

describe('formatTime', () => {
  it('is 24-hour HH:MM in the language digits', () => {
    const t = Date.UTC(2025, 2, 21, 10, 35); // 14:05 in Tehran
    expect(formatTime(t, 'fa', 'Asia/Tehran')).toBe('۱۴:۰۵');
    expect(formatTime(t, 'en', 'Asia/Tehran')).toBe('14:05');
    expect(formatTime(Date.UTC(2025, 0, 1, 16, 0), 'zh', 'Asia/Shanghai')).toBe('00:00');
  });
});

describe('the per-minute cache', () => {
  it('answers every second of a day as a fresh formatter would', () => {
    const fresh = new Intl.DateTimeFormat('en-US-u-nu-latn', { timeZone: 'Asia/Tehran', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const freshDate = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' });
    // Around Tehran's local midnight, every second, out of order now and then (a clock set back).
    const start = Date.UTC(2025, 2, 20, 20, 25);
    const instants: number[] = [];
    for (let t = start; t < start + 10 * 60_000; t += 1_000) instants.push(t, t - 61_000);
    for (const t of instants) {
      const p = Object.fromEntries(freshDate.formatToParts(t).map((x) => [x.type, x.value]));
      expect(formatTime(t, 'en', 'Asia/Tehran'), new Date(t).toISOString()).toBe(fresh.format(t));
      expect(formatDate(t, 'en', 'Asia/Tehran'), new Date(t).toISOString()).toBe(`${p.year}-${p.month}-${p.day}`);
    }
  });

  it('keeps languages and zones apart', () => {
    const t = Date.UTC(2025, 2, 21, 10, 35);
    expect(formatTime(t, 'fa', 'Asia/Tehran')).toBe('۱۴:۰۵');
    expect(formatTime(t, 'en', 'Asia/Tehran')).toBe('14:05');
    expect(formatTime(t, 'en', 'UTC')).toBe('10:35');
    expect(formatDate(t, 'zh', 'UTC')).toBe('2025年3月21日');
    expect(formatDate(t, 'fa', 'UTC')).toBe('۱۴۰۴/۰۱/۰۱');
  });

  it('an offset in seconds (local mean time) turns the minute mid-minute, and the clock follows it', () => {
    // Liberia kept UTC−00:44:30 until 1972: 12:00:20 UTC is 11:15:50 local, 12:00:40 UTC is 11:16:10.
    expect(formatTime(Date.UTC(1970, 0, 1, 12, 0, 20), 'en', 'Africa/Monrovia')).toBe('11:15');
    expect(formatTime(Date.UTC(1970, 0, 1, 12, 0, 40), 'en', 'Africa/Monrovia')).toBe('11:16');
    expect(formatTime(Date.UTC(1970, 0, 1, 12, 0, 20), 'en', 'Africa/Monrovia')).toBe('11:15');
  });
});
