import type { Bitmap } from './Bitmap.ts';
import { createBitmap } from './Bitmap.ts';

/**
 * Copy `src` into `dst` with its top-left corner at (x, y), clipped to
 * `dst`. Opaque by default (off pixels of `src` clear `dst`); with
 * `transparent`, only lit pixels are copied, for text over a background.
 */
export function blit(dst: Bitmap, src: Bitmap, x: number, y: number, opts: { transparent?: boolean } = {}): void {
  const x0 = Math.max(0, x);
  const x1 = Math.min(dst.width, x + src.width);
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height || x1 <= x0) continue;
    for (let dx = x0; dx < x1; dx++) {
      const v = src.data[sy * src.width + (dx - x)] ?? 0;
      if (v !== 0 || !opts.transparent) dst.data[dy * dst.width + dx] = v;
    }
  }
}

/** The `width`×`height` region of `src` at (x, y); pixels outside `src` are off. */
export function crop(src: Bitmap, x: number, y: number, width: number, height: number): Bitmap {
  const out = createBitmap(width, height);
  blit(out, src, -x, -y);
  return out;
}

/**
 * One frame of `src` scrolling through a window `width` wide (the board).
 * `offset` counts pixels moved since the window was empty: LTR text enters
 * at the right and moves left; RTL text enters at the left and moves right
 * (its first word, at its right end, shows first). Offsets run from 0
 * (empty) to {@link scrollLength} (gone again).
 */
export function scrollWindow(src: Bitmap, width: number, offset: number, dir: 'ltr' | 'rtl'): Bitmap {
  const x = dir === 'ltr' ? width - offset : offset - src.width;
  const out = createBitmap(width, src.height);
  blit(out, src, x, 0);
  return out;
}

/** Offsets in one scroll pass: from entering to leaving the window. */
export function scrollLength(src: Bitmap, width: number): number {
  return src.width + width;
}

/** True when two bitmaps have the same size and pixels (a driver's "unchanged, send nothing" check). */
export function sameBitmap(a: Bitmap, b: Bitmap): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}
