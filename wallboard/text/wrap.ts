import type { GlyphFont } from './GlyphFont.ts';
import { textWidth } from './metrics.ts';
import { shape } from './shape.ts';

/**
 * Break text into lines of at most `widthPx`, on the logical (shaped)
 * string, before bidi: reordering each line afterwards keeps the first
 * logical line on top in RTL too (reversing whole wrapped paragraphs puts
 * the second line first, the TFT_eSPI #320 mistake).
 *
 * Breaks go after spaces and ZWSP, and between CJK characters (which break
 * anywhere, UAX #14 class ID); "\n" forces a break. A word wider than the
 * line is cut between characters. Spaces at a line's end are dropped.
 * @returns shaped logical lines, first line first (shaping is idempotent,
 *   so passing them on to renderText is safe).
 */
export function wrapLines(text: string, widthPx: number, font: GlyphFont): string[] {
  const lines: string[] = [];
  for (const paragraph of shape(text).split('\n')) {
    let line = '';
    for (const token of tokens(paragraph)) {
      if (line !== '' && textWidth((line + token).trimEnd(), font) > widthPx) {
        lines.push(line.trimEnd());
        line = token;
      } else line += token;
    }
    lines.push(line.trimEnd());
  }
  // A word wider than the line is cut between characters.
  return lines.flatMap((l) => splitOverwide(l, widthPx, font));
}

/** CJK ideographs, kana, CJK punctuation and fullwidth forms: a break is allowed around each. */
const CJK = '\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF';

/** A CJK character with its trailing spaces, or a word with its trailing spaces/ZWSP. */
const TOKEN = new RegExp(`[${CJK}][ \u200B]*|[^ \u200B${CJK}]+[ \u200B]*|[ \u200B]+`, 'g');

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function splitOverwide(line: string, widthPx: number, font: GlyphFont): string[] {
  if (textWidth(line, font) <= widthPx) return [line];
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (cur !== '' && textWidth(cur + ch, font) > widthPx) {
      out.push(cur);
      cur = ch === ' ' ? '' : ch;
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}
