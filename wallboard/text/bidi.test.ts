import { describe, expect, it } from 'vitest';
import { paragraphDirection, reorderLine, visualLine } from './bidi.ts';
import { hexOf } from './testHelpers.ts';

describe('visualLine', () => {
  it('mirrors brackets inside RTL runs (levels array passed to getMirroredCharactersMap)', () => {
    // "(صف)" in an LTR paragraph: the brackets sit at level 0 and stay; in RTL they mirror.
    expect(hexOf(visualLine('(صف)', 'rtl'))).toBe('0028 FED2 FEBB 0029');
    expect(hexOf(visualLine('صف (VIP)', 'rtl'))).toBe('0028 0056 0049 0050 0029 0020 FED2 FEBB');
  });

  it('drops LRM, RLM, ALM, ZWJ, ZWNJ and isolates after reordering', () => {
    const text = '\u2067\u200Fصف\u200E\u061C\u200D\u2069';
    expect(hexOf(visualLine(text, 'auto'))).toBe('FED2 FEBB');
  });

  it('an Intl fa-IR negative keeps its minus to the left of the digits', () => {
    const n = new Intl.NumberFormat('fa-IR').format(-5); // LRM U+2212 ۵
    expect(hexOf(n)).toBe('200E 2212 06F5');
    expect(hexOf(visualLine(`صف ${n}`, 'rtl'))).toBe('2212 06F5 0020 FED2 FEBB');
  });

  it('keeps surrogate pairs in order when a run is reversed', () => {
    expect(visualLine('\u{1F600} صف', 'rtl')).toBe('\uFED2\uFEBB \u{1F600}');
  });

  it('leaves LTR text alone', () => {
    expect(visualLine('Waiting 12', 'ltr')).toBe('Waiting 12');
    expect(reorderLine('', 'rtl')).toBe('');
  });
});

describe('paragraphDirection', () => {
  it('auto takes the first strong character', () => {
    expect(paragraphDirection('12 صف', 'auto')).toBe('rtl');
    expect(paragraphDirection('VIP صف', 'auto')).toBe('ltr');
    expect(paragraphDirection('12:15', 'auto')).toBe('ltr');
  });

  it('a forced direction wins', () => {
    expect(paragraphDirection('VIP', 'rtl')).toBe('rtl');
  });
});
