import { createBitmap, type Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { blit } from '../../../../wallboard/bitmap/ops.ts';
import type { GlyphFont } from '../../../../wallboard/text/GlyphFont.ts';
import type { Segment } from './segments.ts';

/** One line of pieces: a glyph run in a colour, or a picture. */
type Piece = { bitmap: Bitmap };

function textPiece(text: string, colour: number, font: GlyphFont): Bitmap {
  const glyphs = [...text].map((ch) => font.glyph(ch.codePointAt(0) ?? 0x3f) ?? font.glyph(0x3f));
  const width = glyphs.reduce((w, g) => w + (g?.width ?? 0), 0);
  const out = createBitmap(width, font.height);
  let x = 0;
  for (const g of glyphs) {
    if (!g) continue;
    for (let y = 0; y < g.height; y++) for (let gx = 0; gx < g.width; gx++) if (g.bits[y * g.width + gx]) out.data[y * width + x + gx] = colour;
    x += g.width;
  }
  return out;
}

function joinLine(pieces: Piece[]): Bitmap {
  const width = pieces.reduce((w, p) => w + p.bitmap.width, 0);
  const height = pieces.reduce((h, p) => Math.max(h, p.bitmap.height), 0);
  const out = createBitmap(width, height);
  let x = 0;
  for (const p of pieces) {
    // Pieces sit on a common bottom line, as sign text and pictures do.
    blit(out, p.bitmap, x, height - p.bitmap.height);
    x += p.bitmap.width;
  }
  return out;
}

/**
 * What the sign's LEDs show for `segments`: each line centred (HOLD mode
 * centres a message that fits), lines stacked and centred vertically, cut at
 * the sign's edges. Flashing text is drawn in its on phase unless `flashOff`.
 */
export function renderSegments(
  segments: readonly Segment[],
  opts: { rows: number; columns: number; font: GlyphFont; dots: (label: string) => Bitmap | undefined; flashOff?: boolean },
): Bitmap {
  const lines: Piece[][] = [[]];
  for (const s of segments) {
    if (s.kind === 'newLine') lines.push([]);
    else if (s.kind === 'dots') {
      const p = opts.dots(s.label);
      if (p) lines[lines.length - 1]!.push({ bitmap: p });
    } else if (!(s.flash && opts.flashOff)) lines[lines.length - 1]!.push({ bitmap: textPiece(s.text, s.colour, opts.font) });
    else lines[lines.length - 1]!.push({ bitmap: createBitmap(textPiece(s.text, s.colour, opts.font).width, opts.font.height) });
  }
  const drawn = lines.map(joinLine);
  const gap = 1;
  const total = drawn.reduce((h, b) => h + b.height, 0) + gap * (drawn.length - 1);
  const out = createBitmap(opts.columns, opts.rows);
  let y = Math.floor((opts.rows - total) / 2);
  if (total > opts.rows) y = 0;
  for (const b of drawn) {
    blit(out, b, Math.floor((opts.columns - b.width) / 2), y, { transparent: true });
    y += b.height + gap;
  }
  return out;
}
