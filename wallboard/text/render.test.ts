import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/text-shaping-vectors.json' with { type: 'json' };
import type { Bitmap } from '../bitmap/Bitmap.ts';
import { crop } from '../bitmap/ops.ts';
import { font5x7 } from '../fonts/font5x7.ts';
import type { Glyph, GlyphFont } from './GlyphFont.ts';
import { measureText, renderPages, renderParagraph, renderText } from './render.ts';
import { regionHex } from './testHelpers.ts';
import { loadUnifont } from './unifont.ts';
import { wrapLines } from './wrap.ts';

const font = loadUnifont({ systemHexPath: null });
const rows = (cp: string): string => (vectors.unifont_glyph_samples as Record<string, { hex_rows: string }>)[cp]?.hex_rows ?? 'absent';

/** Columns with any lit pixel. */
const inkColumns = (b: Bitmap): number[] =>
  [...Array(b.width).keys()].filter((x) => [...Array(b.height).keys()].some((y) => b.data[y * b.width + x] !== 0));

describe('renderText', () => {
  it('draws ۱ and 中 with the Unifont rows', () => {
    const one = renderText('۱', { font });
    expect([one.width, one.height]).toEqual([8, 16]);
    expect(regionHex(one, 0, 8)).toBe(rows('U+06F1'));
    const zhong = renderText('中', { font });
    expect(regionHex(zhong, 0, 16)).toBe(rows('U+4E2D'));
  });

  it('is 16 px per ideograph, 8 per Latin character', () => {
    expect(renderText('排队', { font }).width).toBe(32);
    expect(measureText('最长等待 02:15', font)).toBe(4 * 16 + 6 * 8);
  });

  it('places a Persian word in visual order: the first letter at the right', () => {
    const b = renderText('صف', { font }); // visual: FED2 (feh final) then FEBB (sad initial)
    expect(regionHex(b, 0, 8)).toBe(rows('U+FED2'));
    expect(regionHex(b, 8, 8)).toBe(rows('U+FEBB'));
    const word = renderText('پشتیبانی', { font });
    expect(regionHex(word, word.width - 8, 8)).toBe(rows('U+FB58')); // peh, first in logical order
  });

  it('puts the number of "در انتظار: ۱۲" on the left, digits in reading order', () => {
    const b = renderText('در انتظار: ۱۲', { font });
    expect(b.width).toBe(13 * 8);
    expect(regionHex(b, 0, 8)).toBe(rows('U+06F1'));
    expect(regionHex(b, 8, 8)).toBe(rows('U+06F2'));
  });

  it('right-aligns RTL and left-aligns LTR in a wider board, and honours align', () => {
    const rtl = renderText('صف', { font, width: 40 });
    expect(inkColumns(rtl).at(-1)).toBeGreaterThanOrEqual(32);
    expect(inkColumns(rtl)[0]).toBeGreaterThanOrEqual(24);
    const ltr = renderText('AB', { font, width: 40 });
    expect(inkColumns(ltr).at(-1)).toBeLessThan(16);
    const centred = renderText('AB', { font, width: 40, align: 'center' });
    expect(regionHex(centred, 12, 16)).toBe(regionHex(ltr, 0, 16));
  });

  it('clips the end of a too-long RTL line (the left side)', () => {
    const full = renderText('پشتیبانی', { font });
    const clipped = renderText('پشتیبانی', { font, width: 24 });
    expect(regionHex(clipped, 0, 24)).toBe(regionHex(full, full.width - 24, 24));
  });

  it('colours lit pixels with the given index', () => {
    const b = renderText('1', { font, colour: 3 });
    expect(new Set(b.data)).toEqual(new Set([0, 3]));
  });

  it('never looks up default-ignorables, and boxes a missing character', () => {
    const asked: number[] = [];
    const spy: GlyphFont = {
      height: font.height,
      glyph: (cp) => (asked.push(cp), font.glyph(cp)),
      missing: (t) => font.missing(t),
    };
    const b = renderText('پاسخ‌داده\u200F', { font: spy });
    expect(asked.filter((cp) => cp === 0x200c || cp === 0x200f)).toEqual([]);
    expect(b.width).toBe(8 * 8); // 9 characters, ZWNJ takes no room

    const none: GlyphFont = { height: 7, glyph: (): Glyph | undefined => undefined, missing: (t) => [...t] };
    const box = renderText('x', { font: none });
    expect(box.width).toBe(4);
    expect(box.data.some((v) => v !== 0)).toBe(true);
  });

  it('draws with the 5x7 font', () => {
    const b = renderText('02:15', { font: font5x7() });
    expect(b.height).toBe(7);
    expect(b.width).toBe(6 + 6 + 3 + 6 + 6);
  });
});

describe('wrapLines and renderParagraph', () => {
  it('breaks at spaces on the logical string, first logical line first', () => {
    const lines = wrapLines('سطح خدمت امروز', 64, font);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('\uFEB3\uFEC4\uFEA2 \uFEA7\uFEAA\uFEE3\uFE96'); // سطح خدمت, shaped
  });

  it('breaks Chinese between any two ideographs and cuts an over-long word', () => {
    expect(wrapLines('本小时服务水平', 48, font)).toEqual(['本小时', '服务水', '平']);
    expect(wrapLines('ABCDEFGHIJ', 32, font)).toEqual(['ABCD', 'EFGH', 'IJ']);
    expect(wrapLines('a\nb', 100, font)).toEqual(['a', 'b']);
  });

  it('keeps the first logical RTL line on top, right-aligned', () => {
    const text = 'سطح خدمت امروز';
    const b = renderParagraph(text, { font, width: 64 });
    expect(b.height).toBe(32);
    const top = crop(b, 0, 0, 64, 16);
    const bottom = crop(b, 0, 16, 64, 16);
    expect(regionHex(top, 0, 64)).toBe(regionHex(renderText('سطح خدمت', { font, width: 64 }), 0, 64));
    expect(regionHex(bottom, 0, 64)).toBe(regionHex(renderText('امروز', { font, width: 64, dir: 'rtl' }), 0, 64));
    // Right-aligned: the first logical letter (alef, isolated U+FE8D) fills the rightmost cell, and the
    // five letters take the right 40 columns.
    const alef = font.glyph(0xfe8d);
    expect(alef).toBeDefined();
    if (alef) expect(regionHex(bottom, 56, 8)).toBe(regionHex({ width: 8, height: 16, data: alef.bits }, 0, 8));
    expect(inkColumns(bottom)[0]).toBeGreaterThanOrEqual(24);
  });

  it('renderPages gives one board-wide bitmap per line', () => {
    const pages = renderPages('排队 12 最长等待 02:15', { font, width: 64 });
    expect(pages.map((p) => p.width)).toEqual(pages.map(() => 64));
    expect(pages.length).toBeGreaterThan(1);
  });
});
