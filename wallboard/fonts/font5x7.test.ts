import { describe, expect, it } from 'vitest';
import { font5x7 } from './font5x7.ts';

const font = font5x7();

/** A glyph as rows of '#' and '.', for readable expectations. */
function picture(ch: string): string[] {
  const g = font.glyph(ch.codePointAt(0) ?? 0);
  if (!g) return [];
  return [...Array(g.height).keys()].map((y) => [...g.bits.slice(y * g.width, (y + 1) * g.width)].map((b) => (b ? '#' : '.')).join(''));
}

describe('font5x7', () => {
  it('is 7 rows high with 5 inked columns and one spacing column per digit', () => {
    expect(font.height).toBe(7);
    expect(picture('0')).toEqual(['.###..', '#...#.', '#..##.', '#.#.#.', '##..#.', '#...#.', '.###..']);
    expect(picture('7')).toEqual(['#####.', '....#.', '...#..', '..#...', '.#....', '.#....', '.#....']);
  });

  it('trims narrow punctuation to its ink, and gives the space 3 columns', () => {
    expect(picture(':')).toEqual(['...', '##.', '##.', '...', '##.', '##.', '...']);
    expect(font.glyph(0x20)?.width).toBe(3);
    expect(font.glyph(0x2e)?.width).toBe(3);
  });

  it('covers printable ASCII and reports what it lacks', () => {
    let ascii = '';
    for (let cp = 0x20; cp <= 0x7e; cp++) ascii += String.fromCharCode(cp);
    expect(font.missing(ascii)).toEqual([]);
    expect(font.missing('WAIT 12 SL 97% 02:15 -°')).toEqual([]);
    expect(font.missing('صف 排队\u200C')).toEqual(['ص', 'ف', '排', '队']);
  });

  it('has no glyph drawing outside its 5 columns', () => {
    for (let cp = 0x21; cp <= 0x7e; cp++) {
      const g = font.glyph(cp);
      expect(g?.bits.length).toBe((g?.width ?? 0) * 7);
      // The spacing column (the last) is always blank.
      if (g) for (let y = 0; y < 7; y++) expect(g.bits[y * g.width + g.width - 1], String.fromCharCode(cp)).toBe(0);
    }
  });
});
