import type { Glyph, GlyphFont } from './GlyphFont.ts';
import { isControl } from './GlyphFont.ts';
import { isDefaultIgnorable } from './ignorable.ts';

/**
 * The glyph a renderer draws for one code point: none for default-ignorables
 * and controls (they are never looked up), the font's glyph, else the font's
 * U+FFFD, else a hollow box half the font's height wide, so a missing
 * character shows as a gap-sized box instead of vanishing.
 */
export function drawnGlyph(cp: number, font: GlyphFont): Glyph | undefined {
  if (isDefaultIgnorable(cp) || isControl(cp)) return undefined;
  return font.glyph(cp) ?? font.glyph(0xfffd) ?? boxGlyph(font.height);
}

/** Total advance of `text` in `font`, pixels (order-independent, so logical or visual text alike). */
export function textWidth(text: string, font: GlyphFont): number {
  let w = 0;
  for (const ch of text) w += drawnGlyph(ch.codePointAt(0) ?? 0, font)?.width ?? 0;
  return w;
}

const boxes = new Map<number, Glyph>();

function boxGlyph(height: number): Glyph {
  let g = boxes.get(height);
  if (!g) {
    const width = Math.max(4, Math.floor(height / 2));
    const bits = new Uint8Array(width * height);
    // Inked columns 0..width-2 and rows 1..height-2; the last column is spacing.
    for (let y = 1; y < height - 1; y++) {
      for (let x = 0; x < width - 1; x++) {
        if (y === 1 || y === height - 2 || x === 0 || x === width - 2) bits[y * width + x] = 1;
      }
    }
    g = { width, height, bits };
    boxes.set(height, g);
  }
  return g;
}
