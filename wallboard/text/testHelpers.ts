import type { Bitmap } from '../bitmap/Bitmap.ts';

/** Code points as the fixture writes them: upper-case hex, 4 digits, space-separated. */
export function hexOf(s: string): string {
  return [...s].map((c) => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')).join(' ');
}

/** The string a fixture hex list spells. */
export function fromHex(hex: string): string {
  return hex
    .split(' ')
    .map((h) => String.fromCodePoint(parseInt(h, 16)))
    .join('');
}

/** A region of a bitmap as Unifont hex rows (MSB leftmost), to compare with `.hex` data. */
export function regionHex(b: Bitmap, x0: number, width: number): string {
  let out = '';
  for (let y = 0; y < b.height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) row = row * 2 + ((b.data[y * b.width + x0 + x] ?? 0) !== 0 ? 1 : 0);
    out += row.toString(16).toUpperCase().padStart(width / 4, '0');
  }
  return out;
}
