/**
 * Adafruit quad 14-segment alphanumeric backpack (HT16K33): RAM image
 * encoder. Character i is a 16-bit word at RAM 2i (low byte) and 2i+1 (high
 * byte) (Adafruit_LED_Backpack `Adafruit_AlphaNum4::writeDigitRaw`).
 */
import { RAM_BYTES } from './commands.ts';
import { ALPHA_DP, alphaGlyph } from './alphaFont.ts';
import { toCells } from './sevenSegment.ts';

export const ALPHA_CHARS = 4;

/**
 * RAM image (16 bytes) for `text`, right-aligned like the Adafruit print
 * (characters enter from the right). `.` lights the previous character's
 * DP; the module has no colon, so `:` is shown as a DP too.
 */
export function encodeAlphanumeric4(text: string): Uint8Array {
  const ram = new Uint8Array(RAM_BYTES);
  const { cells } = toCells(text.replace(/:/g, '.'), alphaGlyph);
  const shown = cells.slice(-ALPHA_CHARS);
  const pad = ALPHA_CHARS - shown.length;
  shown.forEach((c, i) => {
    const w = c.glyph | (c.dp ? ALPHA_DP : 0);
    ram[2 * (pad + i)] = w & 0xff;
    ram[2 * (pad + i) + 1] = w >> 8;
  });
  return ram;
}
