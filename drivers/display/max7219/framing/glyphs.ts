/**
 * MAX7219 digit codes. Its own tables: the no-decode segment order is
 * D7 DP, D6 A, D5 B, D4 C, D3 D, D2 E, D1 F, D0 G (datasheet Table 6), not the
 * HT16K33 order (bit0 A … bit6 G), so a glyph byte from one chip is wrong on
 * the other.
 */

/** No-decode glyphs (as wayoda/LedControl `charTable` for the shared characters). */
export const NO_DECODE_GLYPHS: Readonly<Record<string, number>> = {
  '0': 0x7e, '1': 0x30, '2': 0x6d, '3': 0x79, '4': 0x33,
  '5': 0x5b, '6': 0x5f, '7': 0x70, '8': 0x7f, '9': 0x7b,
  ' ': 0x00, '-': 0x01, '_': 0x08, '=': 0x09, '?': 0x65,
  A: 0x77, b: 0x1f, C: 0x4e, c: 0x0d, d: 0x3d, E: 0x4f, F: 0x47, G: 0x5e,
  H: 0x37, h: 0x17, I: 0x30, J: 0x3c, L: 0x0e, n: 0x15, o: 0x1d, O: 0x7e,
  P: 0x67, q: 0x73, r: 0x05, S: 0x5b, t: 0x0f, U: 0x3e, u: 0x1c, y: 0x3b,
};

/** Decimal point in either mode (D7). */
export const MAX_DP = 0x80;

/** Code B font (datasheet Table 5): the digit register holds a code, the chip draws it. */
export const CODE_B: Readonly<Record<string, number>> = {
  '0': 0x0, '1': 0x1, '2': 0x2, '3': 0x3, '4': 0x4, '5': 0x5, '6': 0x6, '7': 0x7, '8': 0x8, '9': 0x9,
  '-': 0x0a, E: 0x0b, H: 0x0c, L: 0x0d, P: 0x0e, ' ': 0x0f,
};

/** Code B code → the segments the chip lights, in no-decode order (for simulators). */
export const CODE_B_SEGMENTS: readonly number[] = [
  0x7e, 0x30, 0x6d, 0x79, 0x33, 0x5b, 0x5f, 0x70, 0x7f, 0x7b, 0x01, 0x4f, 0x37, 0x0e, 0x67, 0x00,
];

export function noDecodeGlyph(ch: string): number | null {
  return NO_DECODE_GLYPHS[ch] ?? NO_DECODE_GLYPHS[ch.toUpperCase()] ?? NO_DECODE_GLYPHS[ch.toLowerCase()] ?? null;
}

export function codeBGlyph(ch: string): number | null {
  return CODE_B[ch] ?? CODE_B[ch.toUpperCase()] ?? null;
}

/** No-decode segment byte → HT16K33 order (bit0 A … bit6 G, bit7 DP), for drawing. */
export function noDecodeToHtOrder(b: number): number {
  let out = b & 0x80;
  for (let seg = 0; seg < 7; seg++) if (b & (1 << (6 - seg))) out |= 1 << seg;
  return out;
}
