/**
 * 14-segment font for the Adafruit quad alphanumeric backpack (HT16K33), ASCII
 * 0x20–0x7F. Bits (Adafruit_LED_Backpack `Adafruit_AlphaNum4`): A 0, B 1,
 * C 2, D 3, E 4, F 5, G1 6, G2 7, H 8, J 9, K 10, L 11, M 12, N 13, DP 14.
 *
 *    ---A---
 *   |\  |  /|      H J K: upper diagonals and centre bar
 *   F H J K B
 *   |  \|/  |
 *    -G1 G2-
 *   |  /|\  |
 *   E L M N C      L M N: lower diagonals and centre bar
 *   |/  |  \|
 *    ---D---  .DP
 *
 * Glyphs are written as segment names so each can be reviewed by eye.
 */

const BIT: Readonly<Record<string, number>> = {
  A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G1: 6, G2: 7, H: 8, J: 9, K: 10, L: 11, M: 12, N: 13, DP: 14,
};

/** Segment names per character, 0x20–0x7E; 0x7F (DEL) lights every segment as a lamp test. */
const SHAPES: Readonly<Record<string, string>> = {
  ' ': '', '!': 'B C DP', '"': 'F J', '#': 'B C D G1 G2 J M', '$': 'A C D F G1 G2 J M',
  '%': 'C F K L', '&': 'A D E G1 H J N', "'": 'J', '(': 'K N', ')': 'H L',
  '*': 'G1 G2 H J K L M N', '+': 'G1 G2 J M', ',': 'L', '-': 'G1 G2', '.': 'DP', '/': 'K L',
  '0': 'A B C D E F K L', '1': 'B C K', '2': 'A B D E G1 G2', '3': 'A B C D G2',
  '4': 'B C F G1 G2', '5': 'A D F G1 N', '6': 'A C D E F G1 G2', '7': 'A B C',
  '8': 'A B C D E F G1 G2', '9': 'A B C D F G1 G2',
  ':': 'J M', ';': 'J L', '<': 'K N', '=': 'D G1 G2', '>': 'H L', '?': 'A B G2 M', '@': 'A B D E F G2 J',
  A: 'A B C E F G1 G2', B: 'A B C D G2 J M', C: 'A D E F', D: 'A B C D J M', E: 'A D E F G1',
  F: 'A E F G1', G: 'A C D E F G2', H: 'B C E F G1 G2', I: 'A D J M', J: 'B C D E',
  K: 'E F G1 K N', L: 'D E F', M: 'B C E F H K', N: 'B C E F H N', O: 'A B C D E F',
  P: 'A B E F G1 G2', Q: 'A B C D E F N', R: 'A B E F G1 G2 N', S: 'A C D F G1 G2', T: 'A J M',
  U: 'B C D E F', V: 'E F K L', W: 'B C E F L N', X: 'H K L N', Y: 'H K M', Z: 'A D K L',
  '[': 'A D E F', '\\': 'H N', ']': 'A B C D', '^': 'L N', _: 'D', '`': 'H',
  a: 'D E G1 M', b: 'D E F G1 N', c: 'D E G1 G2', d: 'B C D G2 L', e: 'D E G1 L',
  f: 'G1 G2 K M', g: 'A B C D F G1 G2', h: 'C E F G1 G2', i: 'M', j: 'C D',
  k: 'J K M N', l: 'E F', m: 'C E G1 G2 M', n: 'C E G1 G2', o: 'C D E G1 G2',
  p: 'A B E F G1 G2', q: 'A B C F G1 G2', r: 'E G1', s: 'D G2 N', t: 'D E F G1',
  u: 'C D E', v: 'E L', w: 'C E L N', x: 'H K L N', y: 'B C D F G1 G2', z: 'D G1 L',
  '{': 'A D G1 H L', '|': 'J M', '}': 'A D G2 K N', '~': 'G1 G2 H K',
  '\x7f': 'A B C D E F G1 G2 H J K L M N',
};

function word(names: string): number {
  let w = 0;
  for (const n of names.split(' ')) {
    if (n === '') continue;
    const bit = BIT[n];
    if (bit === undefined) throw new Error(`alphaFont: unknown segment ${n}`);
    w |= 1 << bit;
  }
  return w;
}

/** 16-bit segment words indexed by character code − 0x20 (96 entries). */
export const ALPHA_FONT: readonly number[] = Array.from({ length: 96 }, (_, i) => word(SHAPES[String.fromCharCode(0x20 + i)] ?? ''));

/** Decimal point bit of a 14-segment word. */
export const ALPHA_DP = 1 << 14;

/** Segment word for `ch`; null outside ASCII 0x20–0x7F. */
export function alphaGlyph(ch: string): number | null {
  const code = ch.charCodeAt(0);
  if (ch.length !== 1 || code < 0x20 || code > 0x7f) return null;
  return ALPHA_FONT[code - 0x20] ?? null;
}

/** Preview lookup order: digits, then capitals, then everything else (a few glyphs are shared, e.g. P/p). */
const PREVIEW_ORDER: readonly string[] = [
  ...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...Array.from({ length: 96 }, (_, i) => String.fromCharCode(0x20 + i)),
];

/** The character whose glyph is `w` (ignoring DP); null when none (for terminal previews). */
export function alphaChar(w: number): string | null {
  const glyph = w & ~ALPHA_DP;
  return PREVIEW_ORDER.find((ch) => alphaGlyph(ch) === glyph) ?? null;
}
