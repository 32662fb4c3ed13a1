/**
 * What a MAX7219 chain shows, as a Bitmap (pixel-checkable) and as terminal
 * text. Device 0 is the leftmost module. 7-segment: digits 6×9 on a 7-pixel
 * pitch, digit 7 at the left, 3 blank columns between devices; matrices: 8×8
 * edge to edge, row r = digit register r, column x = bit 7 − x.
 */
import { Colour, createBitmap, type Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import type { Max7219Variant } from '../../../../wallboard/config/BoardConfig.ts';
import { drawSeg7, plot, seg7Ascii } from '../../ledkit/drawSegments.ts';
import { noDecodeToHtOrder } from '../framing/glyphs.ts';
import { DIGITS } from '../framing/registers.ts';
import type { Max7219Chain } from './Max7219Chain.ts';

export const DIGIT_PITCH = 7;
export const DEVICE_PITCH = DIGITS * DIGIT_PITCH + 3 - 1;

/** Pixel x of digit `d` (0 = right end) of device `k`. */
export function digitX(k: number, d: number): number {
  return k * DEVICE_PITCH + (DIGITS - 1 - d) * DIGIT_PITCH;
}

export function renderMax7219(variant: Max7219Variant, chain: Max7219Chain): Bitmap {
  const n = chain.length;
  const bm = variant === 'matrix8x8' ? createBitmap(8 * n, 8) : createBitmap(n * DEVICE_PITCH - 3, 9);
  chain.devices.forEach((dev, k) => {
    const c = dev.intensity >= 8 || dev.displayTest ? Colour.red : Colour.dimRed;
    for (let d = 0; d < DIGITS; d++) {
      const segs = chain.shown(k, d);
      if (variant === 'sevenSegment8') drawSeg7(bm, digitX(k, d), 0, noDecodeToHtOrder(segs), c);
      else for (let x = 0; x < 8; x++) if (segs & (0x80 >> x)) plot(bm, 8 * k + x, d, c);
    }
  });
  return bm;
}

/** Terminal form: what each device shows now (shutdown = dark), then a status line. */
export function max7219Terminal(variant: Max7219Variant, chain: Max7219Chain): string {
  const blocks = chain.devices.map((_, k): string[] => {
    if (variant === 'matrix8x8') {
      return Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, x) => (chain.shown(k, r) & (0x80 >> x) ? '#' : '.')).join(''));
    }
    const cells = Array.from({ length: DIGITS }, (_, i) => seg7Ascii(noDecodeToHtOrder(chain.shown(k, DIGITS - 1 - i))));
    return [0, 1, 2].map((r) => cells.map((c) => c[r]).join(''));
  });
  const rows = Math.max(0, ...blocks.map((b) => b.length));
  const lines = Array.from({ length: rows }, (_, r) => blocks.map((b) => b[r] ?? '').join(variant === 'matrix8x8' ? '' : '  '));
  const status = chain.devices.map((d) => (d.shutdown ? `int ${d.intensity}` : 'shutdown')).join(' | ');
  return [...lines, status].join('\n');
}
