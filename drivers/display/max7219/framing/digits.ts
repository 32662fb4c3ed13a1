/**
 * Digit register contents for MAX7219 7-segment modules. Digit 0 is the
 * rightmost on the common 8-digit boards (LedControl `setDigit(addr, 0, …)`
 * lights the right end).
 */
import { toCells } from '../../ht16k33/framing/sevenSegment.ts';
import { codeBGlyph, MAX_DP, noDecodeGlyph } from './glyphs.ts';

export type DigitMode = 'noDecode' | 'codeB';

/**
 * `width` digit values for `text`, index = digit number (0 rightmost),
 * right-aligned; `.` lights the previous digit's DP; a character with no
 * shape in the mode is blank. No colon on these modules: `:` becomes a DP.
 */
export function encodeDigits(text: string, width: number, mode: DigitMode): Uint8Array {
  const blank = mode === 'codeB' ? 0x0f : 0x00;
  const out = new Uint8Array(width).fill(blank);
  const { cells } = toCells(text.replace(/:/g, '.'), mode === 'codeB' ? codeBGlyph : noDecodeGlyph, blank);
  const shown = cells.slice(-width);
  shown.forEach((c, i) => {
    out[shown.length - 1 - i] = c.glyph | (c.dp ? MAX_DP : 0);
  });
  return out;
}
