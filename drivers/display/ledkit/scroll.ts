/**
 * A marquee over a row of 8×8 modules: the window of a text bitmap on show
 * at a given time. Pure; the driver's animation timer asks again at
 * `nextChangeMs`.
 */
import { createBitmap, type Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import { blit, crop, scrollLength, scrollWindow } from '../../../wallboard/bitmap/ops.ts';

/** One column every 50 ms = 20 columns/s: readable on 8-pixel modules, 20 small writes a second. */
export const SCROLL_STEP_MS = 50;

export interface ScrollFrame {
  /** `width` × 8 window, ready to cut into modules. */
  window: Bitmap;
  /** ms until the window moves; null when the text fits and stands still. */
  nextChangeMs: number | null;
}

/**
 * Text that fits stands centred. Longer text enters (from the right for LTR,
 * the left for RTL), crosses, and leaves fully before it enters again.
 */
export function scrollFrame(text: Bitmap, width: number, elapsedMs: number, dir: 'ltr' | 'rtl' = 'ltr', stepMs = SCROLL_STEP_MS): ScrollFrame {
  if (text.width <= width) {
    const window = createBitmap(width, 8);
    blit(window, text, Math.floor((width - text.width) / 2), 0);
    return { window, nextChangeMs: null };
  }
  const step = Math.floor(elapsedMs / stepMs);
  const offset = step % scrollLength(text, width);
  return { window: crop(scrollWindow(text, width, offset, dir), 0, 0, width, 8), nextChangeMs: (step + 1) * stepMs - elapsedMs };
}

/** The 8×8 tile of `bm` starting at column `x0`. */
export function tile(bm: Bitmap, x0: number): Bitmap {
  return crop(bm, x0, 0, 8, 8);
}
