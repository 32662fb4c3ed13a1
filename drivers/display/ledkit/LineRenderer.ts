/**
 * How matrix drivers get text as pixels. The wallboard text renderer
 * (`renderText(text, { font: font5x7 })`) is wired in by the composition root;
 * until then, and in tests, {@link segmentLineRenderer} draws each character
 * as its 7-segment shape, enough to read figures on an 8-row matrix.
 */
import { createBitmap, type Bitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import { seg7Glyph } from '../ht16k33/framing/sevenSegment.ts';

/** One line of text → a bitmap 8 rows high (taller ones are cropped, shorter ones top-aligned). */
export type LineRenderer = (text: string) => Bitmap;

/** Pixels of each segment in a 4×7 cell (bit0 A … bit6 G, HT16K33 order). */
const SEG_PIXELS: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[0, 0], [1, 0], [2, 0], [3, 0]], // A
  [[3, 0], [3, 1], [3, 2], [3, 3]], // B
  [[3, 3], [3, 4], [3, 5], [3, 6]], // C
  [[0, 6], [1, 6], [2, 6], [3, 6]], // D
  [[0, 3], [0, 4], [0, 5], [0, 6]], // E
  [[0, 0], [0, 1], [0, 2], [0, 3]], // F
  [[0, 3], [1, 3], [2, 3], [3, 3]], // G
];

/** Fallback renderer: each character a 4×7 7-segment shape plus one blank column; '.'/':' one column. */
export function segmentLineRenderer(): LineRenderer {
  return (text: string) => {
    const chars = [...text];
    const width = chars.reduce((w, ch) => w + (ch === '.' || ch === ':' ? 2 : 5), 0);
    const bm = createBitmap(Math.max(width, 1), 8);
    let x = 0;
    for (const ch of chars) {
      if (ch === '.' || ch === ':') {
        bm.data[6 * bm.width + x] = 1;
        if (ch === ':') bm.data[2 * bm.width + x] = 1;
        x += 2;
        continue;
      }
      const glyph = seg7Glyph(ch) ?? 0;
      SEG_PIXELS.forEach((pixels, bit) => {
        if (!(glyph & (1 << bit))) return;
        for (const [px, py] of pixels) bm.data[py * bm.width + x + px] = 1;
      });
      x += 5;
    }
    return bm;
  };
}
