import { describe, expect, it } from 'vitest';
import { formatInteger, formatMmss, formatPercent, toLocalDigits, toWesternDigits } from './digits.ts';
import { hexOf } from './testHelpers.ts';

describe('formatInteger', () => {
  it('groups with the language digits', () => {
    expect(formatInteger(1234, 'en')).toBe('1,234');
    expect(formatInteger(1234, 'zh')).toBe('1,234');
    expect(hexOf(formatInteger(1234, 'fa'))).toBe('06F1 066C 06F2 06F3 06F4');
  });

  it('drops the LRM Intl puts before a Persian negative, keeps the minus sign', () => {
    expect(hexOf(formatInteger(-5, 'fa'))).toBe('2212 06F5');
    expect(formatInteger(2.6, 'en')).toBe('3');
    expect(formatInteger(Number.NaN, 'fa')).toBe('-');
  });
});

describe('formatPercent', () => {
  it('0.97 is 97% in en/zh and ۹۷٪ in fa', () => {
    expect(formatPercent(0.97, 'en')).toBe('97%');
    expect(formatPercent(0.97, 'zh')).toBe('97%');
    expect(hexOf(formatPercent(0.97, 'fa'))).toBe('06F9 06F7 066A');
  });

  it('rounds to whole percents', () => {
    expect(formatPercent(0.996, 'en')).toBe('100%');
    expect(formatPercent(0.004, 'en')).toBe('0%');
    expect(formatPercent(Number.POSITIVE_INFINITY, 'en')).toBe('-');
  });
});

describe('formatMmss', () => {
  it('writes two-digit minutes, hours above an hour', () => {
    expect(formatMmss(135_000, 'en')).toBe('02:15');
    expect(formatMmss(3_725_000, 'zh')).toBe('1:02:05');
    expect(formatMmss(-4_000, 'en')).toBe('00:00');
    expect(hexOf(formatMmss(135_000, 'fa'))).toBe('06F0 06F2 003A 06F1 06F5');
  });
});

describe('toLocalDigits', () => {
  it('maps 0-9 and % on fa only, and back', () => {
    const fa = toLocalDigits('0123456789 97%', 'fa');
    expect(fa).toBe('۰۱۲۳۴۵۶۷۸۹ ۹۷٪');
    expect(toLocalDigits('97%', 'zh')).toBe('97%');
    expect(toWesternDigits(fa)).toBe('0123456789 97٪');
    expect(toWesternDigits('٠١٢٩')).toBe('0129');
  });
});
