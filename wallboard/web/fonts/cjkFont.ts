/**
 * A web font for the CJK characters a site's boards show, built at run time
 * from GNU Unifont's 16×16 bitmaps: each lit pixel becomes a square in the
 * outline, so the browser draws Unifont exactly (scaled) without any CJK
 * font installed on the TV or PC that shows the board.
 *
 * Licence: GNU Unifont is dual-licensed GPL-2.0-or-later with the font
 * embedding exception and SIL OFL 1.1 since 13.0.04; ccgate uses it under the
 * OFL 1.1 (wallboard/fonts/LICENSE-Unifont.txt, served at
 * /fonts/LICENSE-Unifont.txt). The built font is a Modified Version in the
 * OFL's sense and says so in its name table. Unifont declares no Reserved
 * Font Name; the font is named "ccgate CJK" all the same, to tell it apart.
 */
import { createRequire } from 'node:module';
import type OpenType from 'opentype.js';
import type { GlyphFont } from '../../text/GlyphFont.ts';

type OpenTypeLib = typeof OpenType;
let lib: OpenTypeLib | null = null;

/**
 * opentype.js, loaded the first time a CJK font is built: its one-megabyte
 * bundle costs a running daemon about 13 MB of RSS, and most sites never show
 * a CJK character. The package is CommonJS (UMD), so a synchronous require
 * keeps the build synchronous.
 */
function opentypeLib(): OpenTypeLib {
  lib ??= createRequire(import.meta.url)('opentype.js') as OpenTypeLib;
  return lib;
}

/** The family name the page's CSS and FontFace use. */
export const CJK_FAMILY = 'ccgate CJK';

/** Font units per Unifont pixel: 16 px × 64 = 1024 units per em. */
const UNIT = 64;
/** Unifont's baseline sits 2 px above the cell's bottom: 14 px ascent, 2 px descent. */
const ASCENT_PX = 14;
/** head.created: fixed so the same characters always build the same bytes (and the same version hash). 2022-09-24, Unifont 15.0.01. */
const CREATED = Date.UTC(2022, 8, 24) / 1000;

const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u3000-\u303f\uff00-\uffef\u31c0-\u31ef]/u;

/** True for characters the CJK font covers (Han, kana, Hangul, CJK punctuation, full-width forms). */
export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/** The CJK characters of `text`, each once, in order of first appearance. */
export function cjkChars(text: string): string[] {
  const out = new Set<string>();
  for (const ch of text) if (isCjk(ch)) out.add(ch);
  return [...out];
}

export interface BuiltCjkFont {
  /** OpenType (CFF) file bytes. */
  bytes: Uint8Array;
  /** The characters drawn, ascending by code point. */
  covered: string[];
  /** Characters asked for that `font` has no glyph for (the browser falls back to its own fonts). */
  missing: string[];
}

/**
 * Build the font for `chars` from `font` (a 16-row bitmap font, Unifont).
 * Pure: no I/O, same input, same bytes.
 */
export function buildCjkFont(chars: Iterable<string>, font: GlyphFont): BuiltCjkFont {
  const opentype = opentypeLib();
  const cps = [...new Set([...chars].map((c) => c.codePointAt(0) ?? 0))].sort((a, b) => a - b);
  const notdef = new opentype.Glyph({ name: '.notdef', advanceWidth: 8 * UNIT, path: new opentype.Path() });
  const glyphs = [notdef];
  const covered: string[] = [];
  const missing: string[] = [];
  for (const cp of cps) {
    const g = font.glyph(cp);
    if (!g || g.height !== font.height) {
      missing.push(String.fromCodePoint(cp));
      continue;
    }
    glyphs.push(new opentype.Glyph({ name: `uni${cp.toString(16).toUpperCase().padStart(4, '0')}`, unicode: cp, advanceWidth: g.width * UNIT, path: pixelPath(opentype, g.width, g.height, g.bits) }));
    covered.push(String.fromCodePoint(cp));
  }
  const built = new opentype.Font({
    familyName: CJK_FAMILY,
    styleName: 'Regular',
    unitsPerEm: font.height * UNIT,
    ascender: ASCENT_PX * UNIT,
    descender: -(font.height - ASCENT_PX) * UNIT,
    glyphs,
    createdTimestamp: CREATED,
    version: 'Version 1.0',
    copyright: 'Glyphs: GNU Unifont, Copyright (C) 1998-2022 Roman Czyborra, Paul Hardy, Qianqian Fang, Andrew Miller, Johnnie Weaver, David Corbett, Jungshik Shin, Luis Alejandro Gonzalez Miranda, and other Unifont contributors',
    description: 'Subset of GNU Unifont bitmaps as square-pixel outlines, built by ccgate for its web wallboard (a Modified Version under the SIL Open Font License 1.1)',
    license: 'This Font Software is licensed under the SIL Open Font License, Version 1.1 (GNU Unifont is dual-licensed GPL-2.0-or-later with the font embedding exception and OFL-1.1 since 13.0.04).',
    licenseURL: 'https://openfontlicense.org',
    designer: 'GNU Unifont contributors',
    manufacturer: 'ccgate',
  });
  return { bytes: new Uint8Array(built.toArrayBuffer()), covered, missing };
}

/**
 * Outline of a bitmap: one rectangle per horizontal run of lit pixels, all
 * counter-clockwise (PostScript outer contours), so touching runs fill as one
 * shape under the nonzero rule.
 */
function pixelPath(opentype: OpenTypeLib, width: number, height: number, bits: Uint8Array): InstanceType<OpenTypeLib['Path']> {
  const path = new opentype.Path();
  for (let y = 0; y < height; y++) {
    const top = (ASCENT_PX - y) * UNIT;
    const bottom = top - UNIT;
    for (let x = 0; x < width; ) {
      if (bits[y * width + x] !== 1) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && bits[y * width + x] === 1) x++;
      path.moveTo(start * UNIT, bottom);
      path.lineTo(x * UNIT, bottom);
      path.lineTo(x * UNIT, top);
      path.lineTo(start * UNIT, top);
      path.close();
    }
  }
  return path;
}
