/**
 * Drawing segment digits into a Bitmap for simulators: a 7-segment cell is
 * 5 × 9 pixels plus a decimal point column (6 × 9 in all).
 *
 *    .AAA.
 *    F...B
 *    F...B
 *    F...B
 *    .GGG.
 *    E...C
 *    E...C
 *    E...C
 *    .DDD. P
 */
import type { Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';

export const SEG7_CELL_WIDTH = 6;
export const SEG7_CELL_HEIGHT = 9;

type Px = readonly [number, number];
const h = (y: number): Px[] => [[1, y], [2, y], [3, y]];
const v = (x: number, y0: number): Px[] => [[x, y0], [x, y0 + 1], [x, y0 + 2]];

/** Pixels per segment, bit0 A … bit6 G, bit7 DP (HT16K33 order). */
export const SEG7_PIXELS: ReadonlyArray<readonly Px[]> = [h(0), v(4, 1), v(4, 5), h(8), v(0, 5), v(0, 1), h(4), [[5, 8]]];

/** Set a pixel if it lies inside the bitmap. */
export function plot(bm: Bitmap, x: number, y: number, colour: number): void {
  if (x >= 0 && y >= 0 && x < bm.width && y < bm.height) bm.data[y * bm.width + x] = colour;
}

/** Draw a 7-segment cell (`mask` in HT16K33 order) with its top-left corner at (x, y). */
export function drawSeg7(bm: Bitmap, x: number, y: number, mask: number, colour: number): void {
  SEG7_PIXELS.forEach((pixels, bit) => {
    if (mask & (1 << bit)) for (const [px, py] of pixels) plot(bm, x + px, y + py, colour);
  });
}

/** Three text rows, 4 characters each, for a 7-segment cell (HT16K33-order mask), the classic "_|" form. */
export function seg7Ascii(mask: number): [string, string, string] {
  const s = (bit: number, ch: string): string => (mask & (1 << bit) ? ch : ' ');
  return [` ${s(0, '_')}  `, `${s(5, '|')}${s(6, '_')}${s(1, '|')} `, `${s(4, '|')}${s(3, '_')}${s(2, '|')}${s(7, '.')}`];
}
