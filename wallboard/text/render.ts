import type { Bitmap } from '../bitmap/Bitmap.ts';
import { Colour, createBitmap } from '../bitmap/Bitmap.ts';
import type { BaseDir } from './bidi.ts';
import { paragraphDirection, visualLine } from './bidi.ts';
import type { Glyph, GlyphFont } from './GlyphFont.ts';
import { drawnGlyph, textWidth } from './metrics.ts';
import { shape } from './shape.ts';
import { wrapLines } from './wrap.ts';

export interface TextOptions {
  font: GlyphFont;
  /** Paragraph direction; default `auto` (from the first strong character). */
  dir?: BaseDir;
  /** Colour index for lit pixels (see Colour); default Colour.red, "on" for monochrome devices. */
  colour?: number;
  /** Bitmap width, pixels; default the text's own width. Text wider than this is clipped at its end. */
  width?: number;
  /** Default `right` for RTL paragraphs, `left` otherwise. */
  align?: 'left' | 'right' | 'center';
}

/**
 * One line of text as a bitmap of the font's height: shaped, reordered by
 * the Unicode Bidi Algorithm, default-ignorables dropped, glyphs placed left
 * to right in visual order. With `width`, RTL paragraphs are right-aligned
 * and lose their end (the left side) when too long; LTR ones the right side.
 * Characters the font lacks are drawn as U+FFFD or a box.
 */
export function renderText(text: string, opts: TextOptions): Bitmap {
  const baseDir = opts.dir ?? 'auto';
  const line = text.replace(/\n/g, ' ');
  const dir = paragraphDirection(shape(line), baseDir);
  const glyphs = glyphsOf(visualLine(line, dir), opts.font);
  const inked = glyphs.reduce((w, g) => w + g.width, 0);
  const width = opts.width ?? inked;
  const bitmap = createBitmap(width, opts.font.height);
  const colour = opts.colour ?? Colour.red;
  let x = startX(opts.align ?? (dir === 'rtl' ? 'right' : 'left'), width, inked);
  for (const g of glyphs) {
    drawGlyph(bitmap, g, x, colour);
    x += g.width;
  }
  return bitmap;
}

/** Width of one line of text in `font`, pixels (what renderText would draw without `width`). */
export function measureText(text: string, font: GlyphFont): number {
  return textWidth(shape(text), font);
}

export interface ParagraphOptions extends TextOptions {
  width: number;
  /** Blank rows between lines, pixels; default 0. */
  lineGap?: number;
}

/**
 * Several lines: wrapped on the logical string to `width`, each line then
 * reordered on its own, first logical line on top. The paragraph's direction
 * is resolved once, so every line of an RTL paragraph is right-aligned.
 */
export function renderParagraph(text: string, opts: ParagraphOptions): Bitmap {
  const dir = paragraphDirection(shape(text), opts.dir ?? 'auto');
  const lines = wrapLines(text, opts.width, opts.font);
  const gap = opts.lineGap ?? 0;
  const h = opts.font.height;
  const out = createBitmap(opts.width, lines.length * h + Math.max(0, lines.length - 1) * gap);
  lines.forEach((line, i) => {
    const row = renderText(line, { ...opts, dir });
    out.data.set(row.data, i * (h + gap) * opts.width);
  });
  return out;
}

/** One bitmap per wrapped line, each `width` wide: pages for a board that shows one line at a time. */
export function renderPages(text: string, opts: TextOptions & { width: number }): Bitmap[] {
  const dir = paragraphDirection(shape(text), opts.dir ?? 'auto');
  return wrapLines(text, opts.width, opts.font).map((line) => renderText(line, { ...opts, dir }));
}

function glyphsOf(visual: string, font: GlyphFont): Glyph[] {
  const out: Glyph[] = [];
  for (const ch of visual) {
    const g = drawnGlyph(ch.codePointAt(0) ?? 0, font);
    if (g) out.push(g);
  }
  return out;
}

function startX(align: 'left' | 'right' | 'center', width: number, inked: number): number {
  switch (align) {
    case 'left':
      return 0;
    case 'right':
      return width - inked;
    case 'center':
      return Math.floor((width - inked) / 2);
  }
}

/** Draw a glyph's lit pixels at column x (may be partly or wholly outside). */
function drawGlyph(dst: Bitmap, g: Glyph, x0: number, colour: number): void {
  const rows = Math.min(g.height, dst.height);
  for (let y = 0; y < rows; y++) {
    for (let gx = 0; gx < g.width; gx++) {
      const x = x0 + gx;
      if (x >= 0 && x < dst.width && g.bits[y * g.width + gx]) dst.data[y * dst.width + x] = colour;
    }
  }
}
