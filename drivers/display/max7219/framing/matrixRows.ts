/**
 * MAX7219 8×8 matrix rows: row y is digit register y + 1; column x is bit
 * 7 − x (wayoda/LedControl `setLed`: `B10000000 >> column`). Modules whose
 * matrix is mounted rotated need a different mapping; the common FC-16 4-in-1
 * boards match this one.
 */
import type { Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';

/** Eight row bytes for the 8×8 window of `bitmap` starting at column `x0` (non-zero pixels lit). */
export function encodeMatrixRows(bitmap: Bitmap, x0 = 0): Uint8Array {
  const rows = new Uint8Array(8);
  for (let y = 0; y < 8 && y < bitmap.height; y++) {
    let row = 0;
    for (let x = 0; x < 8; x++) {
      const bx = x0 + x;
      if (bx >= 0 && bx < bitmap.width && bitmap.data[y * bitmap.width + bx]) row |= 0x80 >> x;
    }
    rows[y] = row;
  }
  return rows;
}
