import { PNG } from 'pngjs';
import type { Bitmap } from './Bitmap.ts';
import { PALETTE } from './Bitmap.ts';

export interface PngOptions {
  /** Screen pixels per LED, default 4. */
  scale?: number;
  /** Draw each LED as a round dot on black (from scale 3 up), as on a real board; default plain squares. */
  dots?: boolean;
}

/** A preview PNG of a bitmap, colours from PALETTE (RGBA, opaque). */
export function toPng(bitmap: Bitmap, opts: PngOptions = {}): Buffer {
  const scale = Math.max(1, Math.floor(opts.scale ?? 4));
  const dots = (opts.dots ?? false) && scale >= 3;
  const png = new PNG({ width: bitmap.width * scale, height: bitmap.height * scale });
  const r = scale / 2;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const index = bitmap.data[Math.floor(y / scale) * bitmap.width + Math.floor(x / scale)] ?? 0;
      const cx = (x % scale) + 0.5 - r;
      const cy = (y % scale) + 0.5 - r;
      const inDot = !dots || cx * cx + cy * cy <= (r - 0.5) * (r - 0.5);
      const [red, green, blue] = inDot ? (PALETTE[index] ?? PALETTE[0] ?? [0, 0, 0]) : [0, 0, 0];
      const o = (y * png.width + x) * 4;
      png.data[o] = red;
      png.data[o + 1] = green;
      png.data[o + 2] = blue;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
