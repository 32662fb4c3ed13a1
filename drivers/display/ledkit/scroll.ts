/**
 * A marquee over a row of 8×8 modules: the window of a text bitmap on show
 * at a given time. Pure; the driver's animation timer asks again at
 * `nextChangeMs`.
 */
import { createBitmap, type Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';

/** Columns scrolled per second ÷ 1000: one column every 50 ms = 20 columns/s, readable on 8-pixel modules. */
export const SCROLL_STEP_MS = 50;

export interface ScrollFrame {
  /** `width` × 8 window, ready to cut into modules. */
  window: Bitmap;
  /** ms until the window moves; null when the text fits and stands still. */
  nextChangeMs: number | null;
}

/**
 * Text that fits stands centred. Longer text enters from the right edge,
 * crosses, and leaves fully before it enters again (cycle = text width +
 * display width columns).
 */
export function scrollFrame(text: Bitmap, width: number, elapsedMs: number, stepMs = SCROLL_STEP_MS): ScrollFrame {
  const window = createBitmap(width, 8);
  const rows = Math.min(8, text.height);
  if (text.width <= width) {
    const x0 = Math.floor((width - text.width) / 2);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < text.width; x++) window.data[y * width + x0 + x] = text.data[y * text.width + x] ?? 0;
    }
    return { window, nextChangeMs: null };
  }
  const cycle = text.width + width;
  const step = Math.floor(elapsedMs / stepMs);
  const offset = step % cycle;
  for (let x = 0; x < width; x++) {
    const tx = offset + x - width;
    if (tx < 0 || tx >= text.width) continue;
    for (let y = 0; y < rows; y++) window.data[y * width + x] = text.data[y * text.width + tx] ?? 0;
  }
  return { window, nextChangeMs: (step + 1) * stepMs - elapsedMs };
}

/** The 8×8 tile of `bm` starting at column `x0`. */
export function tile(bm: Bitmap, x0: number): Bitmap {
  const out = createBitmap(8, 8);
  for (let y = 0; y < 8 && y < bm.height; y++) {
    for (let x = 0; x < 8; x++) {
      const bx = x0 + x;
      if (bx < bm.width) out.data[y * 8 + x] = bm.data[y * bm.width + bx] ?? 0;
    }
  }
  return out;
}
