/**
 * Adafruit 8×8 matrix backpack (HT16K33): RAM image encoder. Row y is RAM
 * byte 2y; column x is bit (x+7)%8, because the backpack wires the matrix's
 * first column to ROW7 (Adafruit_LED_Backpack `Adafruit_8x8matrix::drawPixel`
 * rotates x by one).
 */
import type { Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { RAM_BYTES } from './commands.ts';

/** Bit of the row byte that lights column `x` (0 = left). */
export function matrixColumnBit(x: number): number {
  return 1 << ((x + 7) % 8);
}

/**
 * RAM image for the 8×8 window of `bitmap` whose left edge is column `x0`
 * (any non-zero pixel is lit; pixels outside the bitmap are dark).
 */
export function encodeMatrix8x8(bitmap: Bitmap, x0 = 0): Uint8Array {
  const ram = new Uint8Array(RAM_BYTES);
  for (let y = 0; y < 8 && y < bitmap.height; y++) {
    let row = 0;
    for (let x = 0; x < 8; x++) {
      const bx = x0 + x;
      if (bx >= 0 && bx < bitmap.width && bitmap.data[y * bitmap.width + bx]) row |= matrixColumnBit(x);
    }
    ram[2 * y] = row;
  }
  return ram;
}
