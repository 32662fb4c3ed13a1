/**
 * Adafruit 0.56" 4-digit 7-segment backpack (HT16K33): RAM image encoder.
 * Segment bits bit0 A … bit6 G, bit7 DP; digits at RAM 0x00, 0x02, 0x06,
 * 0x08, colon = bit 1 of RAM 0x04 (adafruit/Adafruit_LED_Backpack
 * `Adafruit_7segment`, Adafruit_CircuitPython_HT16K33 `segments.py`).
 */
import { RAM_BYTES } from './commands.ts';

/** RAM address of each digit, left to right. */
export const DIGIT_RAM = [0x00, 0x02, 0x06, 0x08] as const;
/** RAM address and bit of the centre colon. */
export const COLON_RAM = 0x04;
export const COLON_BIT = 0x02;
export const DP_BIT = 0x80;

/**
 * 7-segment glyphs in HT16K33 bit order (bit0 A … bit6 G). Only shapes that
 * read unambiguously: digits, minus, blank, and the letters a 7-segment
 * display can draw. Not the MAX7219 order (see max7219/framing/glyphs.ts).
 */
export const SEG7_GLYPHS: Readonly<Record<string, number>> = {
  '0': 0x3f, '1': 0x06, '2': 0x5b, '3': 0x4f, '4': 0x66,
  '5': 0x6d, '6': 0x7d, '7': 0x07, '8': 0x7f, '9': 0x6f,
  ' ': 0x00, '-': 0x40, '_': 0x08, '=': 0x48, '?': 0x53,
  A: 0x77, b: 0x7c, C: 0x39, c: 0x58, d: 0x5e, E: 0x79, F: 0x71, G: 0x3d,
  H: 0x76, h: 0x74, I: 0x06, J: 0x1e, L: 0x38, n: 0x54, o: 0x5c, O: 0x3f,
  P: 0x73, q: 0x67, r: 0x50, S: 0x6d, t: 0x78, U: 0x3e, u: 0x1c, y: 0x6e,
};

/** The glyph for `ch`, trying the other letter case before giving up; null when it has no 7-segment form. */
export function seg7Glyph(ch: string): number | null {
  return SEG7_GLYPHS[ch] ?? SEG7_GLYPHS[ch.toUpperCase()] ?? SEG7_GLYPHS[ch.toLowerCase()] ?? null;
}

/** One digit cell: a glyph plus its decimal point. */
export interface SegmentCell {
  glyph: number;
  dp: boolean;
}

/**
 * Split text into cells: `.` lights the previous cell's decimal point (or an
 * empty cell of its own at the start), `:` is returned separately, a
 * character without a glyph becomes a `blank` cell (0 = no segments; Code B
 * spells blank 0x0F).
 */
export function toCells(text: string, glyph: (ch: string) => number | null, blank = 0): { cells: SegmentCell[]; colon: boolean } {
  const cells: SegmentCell[] = [];
  let colon = false;
  for (const ch of text) {
    if (ch === ':') {
      colon = true;
      continue;
    }
    const last = cells[cells.length - 1];
    if (ch === '.' && last && !last.dp) {
      last.dp = true;
      continue;
    }
    cells.push({ glyph: ch === '.' ? blank : (glyph(ch) ?? blank), dp: ch === '.' });
  }
  return { cells, colon };
}

/**
 * RAM image (16 bytes) for `text` on the 4-digit display, right-aligned as
 * the Adafruit libraries print (`print(42)` → "  42"). A `:` anywhere lights
 * the colon; cells beyond four are dropped from the left.
 */
export function encodeSevenSegment4(text: string): Uint8Array {
  const ram = new Uint8Array(RAM_BYTES);
  const { cells, colon } = toCells(text, seg7Glyph);
  const shown = cells.slice(-DIGIT_RAM.length);
  const pad = DIGIT_RAM.length - shown.length;
  shown.forEach((c, i) => {
    ram[DIGIT_RAM[pad + i]!] = c.glyph | (c.dp ? DP_BIT : 0);
  });
  if (colon) ram[COLON_RAM] = COLON_BIT;
  return ram;
}
