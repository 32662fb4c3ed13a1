/**
 * How matrix drivers get text as pixels: the wallboard text renderer with the
 * 5×7 font by default; the composition root may pass another (e.g. a taller
 * font on 16-row matrices).
 */
import type { Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import { font5x7 } from '../../../wallboard/fonts/font5x7.ts';
import { renderText } from '../../../wallboard/text/render.ts';

/** One line of text in reading direction `dir` → a bitmap (up to 8 rows are shown; shorter ones sit at the top). */
export type LineRenderer = (text: string, dir: 'ltr' | 'rtl') => Bitmap;

/** The default: `renderText` with the 5×7 font (7 rows, the 8th left dark as a descender gap). */
export function font5x7LineRenderer(): LineRenderer {
  const font = font5x7();
  return (text, dir) => renderText(text, { font, dir });
}
