import opentype from 'opentype.js';
import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import type { GlyphFont } from '../../text/GlyphFont.ts';
import { missingChars } from '../../text/GlyphFont.ts';
import { decodeHexGlyph } from '../../text/hexFont.ts';
import { loadUnifont } from '../../text/unifont.ts';
import { buildCjkFont, cjkChars, isCjk } from './cjkFont.ts';
import { CjkFontSet } from './CjkFontSet.ts';

// GNU Unifont 15.0.01, U+4E2D 中 (the 16×16 row bitmaps, four hex digits a row).
const ZHONG = '01000100010001003FF8210821082108210821083FF821080100010001000100';

/** A one-glyph bitmap font, so the expected outline is known independently of the shipped subset. */
function oneGlyph(cp: number, hex: string): GlyphFont {
  const glyph = (c: number) => (c === cp ? decodeHexGlyph(hex) : undefined);
  return { height: 16, glyph, missing: (t) => missingChars(t, glyph) };
}

/** Rectangles of a parsed glyph outline, in pixel units (64 font units a pixel). */
function rects(commands: Array<{ type: string; x?: number; y?: number }>): string[] {
  const out: string[] = [];
  let pts: Array<[number, number]> = [];
  for (const c of commands) {
    if (c.type === 'M') pts = [[c.x!, c.y!]];
    else if (c.type === 'L') pts.push([c.x!, c.y!]);
    else if (c.type === 'Z') {
      const xs = pts.map((p) => p[0] / 64);
      const ys = pts.map((p) => p[1] / 64);
      out.push(`x${Math.min(...xs)}-${Math.max(...xs)} y${Math.min(...ys)}-${Math.max(...ys)}`);
    }
  }
  return out.sort();
}

describe('CJK web font from Unifont bitmaps', () => {
  it('picks the CJK characters of a text, once each, in order', () => {
    expect(cjkChars('排队 12 · 排队 VIP（中）در انتظار')).toEqual(['排', '队', '（', '中', '）']);
    expect(isCjk('。')).toBe(true);
    expect(isCjk('A')).toBe(false);
    expect(isCjk('۱')).toBe(false);
  });

  it('draws each lit pixel run as one square-pixel rectangle, baseline 2 px above the cell bottom', () => {
    const built = buildCjkFont(['中'], oneGlyph(0x4e2d, ZHONG));
    expect(built.covered).toEqual(['中']);
    const font = opentype.parse(built.bytes.slice().buffer);
    expect(font.unitsPerEm).toBe(1024);
    expect([font.ascender, font.descender]).toEqual([896, -128]);
    const g = font.charToGlyph('中');
    expect(g.unicode).toBe(0x4e2d);
    expect(g.advanceWidth).toBe(1024);
    // Row y (0 = top) spans font y (13 - y)..(14 - y). Rows 0–3 and 12–15: 0100 = the stem, x 7.
    // Rows 4 and 10: 3FF8 = x 2–12. Rows 5–9 and 11: 2108 = x 2, 7, 12.
    const expected: string[] = [];
    const run = (y: number, x0: number, x1: number) => expected.push(`x${x0}-${x1} y${13 - y}-${14 - y}`);
    for (const y of [0, 1, 2, 3, 12, 13, 14, 15]) run(y, 7, 8);
    for (const y of [4, 10]) run(y, 2, 13);
    for (const y of [5, 6, 7, 8, 9, 11]) {
      run(y, 2, 3);
      run(y, 7, 8);
      run(y, 12, 13);
    }
    expect(rects(g.path.commands)).toEqual(expected.sort());
  });

  it('carries the licence and the origin in the name table, and builds the same bytes every time', () => {
    const a = buildCjkFont(['中'], oneGlyph(0x4e2d, ZHONG));
    const b = buildCjkFont(['中'], oneGlyph(0x4e2d, ZHONG));
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const names = opentype.parse(a.bytes.slice().buffer).names.windows;
    expect(names['fontFamily']?.['en']).toBe('ccgate CJK');
    expect(names['license']?.['en']).toContain('SIL Open Font License, Version 1.1');
    expect(names['licenseURL']?.['en']).toBe('https://openfontlicense.org');
    expect(names['copyright']?.['en']).toContain('GNU Unifont');
  });

  it('builds from the shipped Unifont subset and reports characters it has no glyph for', () => {
    const unifont = loadUnifont({ systemHexPath: null });
    const built = buildCjkFont(cjkChars('排队 最长等待 连接中断 𠀀'), unifont);
    expect(built.covered).toEqual([...'中排断接最等待连长队'].sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!));
    expect(built.missing).toEqual(['𠀀']);
    const font = opentype.parse(built.bytes.slice().buffer);
    expect(font.numGlyphs).toBe(built.covered.length + 1);
    for (const ch of built.covered) expect(font.hasChar(ch)).toBe(true);
  });
});

describe('CjkFontSet', () => {
  const font = oneGlyph(0x4e2d, ZHONG);

  it('has no font until a CJK character is seen; the version changes only when the set grows', () => {
    const set = new CjkFontSet(() => font, 100, capturingLogger().logger);
    expect(set.add('Waiting 12')).toBeNull();
    expect(set.file()).toBeNull();
    const v1 = set.add('中 1');
    expect(v1).toMatch(/^[0-9a-f]{12}$/);
    expect(set.add('中 2')).toBe(v1);
    // Latin text asks for no font, but the set (and the font) keep what they have.
    expect(set.add('SL 97%')).toBeNull();
    expect(set.version()).toBe(v1);
    const file = set.file();
    expect(file?.version).toBe(v1);
    expect(set.file()).toBe(file);
    const v2 = set.add('排');
    expect(v2).not.toBe(v1);
    expect(set.file()?.version).toBe(v2);
  });

  it('stops growing at its limit and says so once; glyphs Unifont lacks are logged once', () => {
    const { logger, records } = capturingLogger();
    const set = new CjkFontSet(() => font, 2, logger);
    set.add('中排队');
    set.add('等待');
    expect(records.filter((r) => r.msg.includes('CJK font full'))).toHaveLength(1);
    set.file();
    set.add('中');
    set.file();
    expect(records.filter((r) => r.msg.includes('no Unifont glyph')).map((r) => r['chars'])).toEqual(['排']);
  });
});
