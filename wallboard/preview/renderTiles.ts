/**
 * A board view drawn as lines of 16-pixel text: the title, then one line per
 * item on show (label at the reading start, value at the other end, in its
 * level's colour), or the supervisor message on its turn. The preview of a
 * web board in the terminal and as PNG; LED boards preview through their own
 * simulators, which show exactly what the hardware receives.
 */
import { Colour, createBitmap, type Bitmap } from '../bitmap/Bitmap.ts';
import { blit } from '../bitmap/ops.ts';
import type { BoardView, Level } from '../model/BoardView.ts';
import type { GlyphFont } from '../text/GlyphFont.ts';
import { renderText } from '../text/render.ts';

const LEVEL_COLOUR: Readonly<Record<Level, number>> = { ok: Colour.green, warn: Colour.amber, crit: Colour.red };

export function renderTiles(view: BoardView, font: GlyphFont, width = 320): Bitmap {
  const rtl = view.dir === 'rtl';
  const lines: Array<{ left: Bitmap | null; right: Bitmap | null }> = [];
  const text = (s: string, colour: number) => renderText(s, { font, colour, dir: rtl ? 'rtl' : 'ltr' });
  lines.push({ left: text(view.title, Colour.yellow), right: text(`${view.date} ${view.time}`, Colour.dimGreen) });
  if (view.messageTurn && view.message) {
    lines.push({ left: text(view.message.text, view.message.level === 'critical' ? Colour.red : Colour.yellow), right: null });
  } else {
    for (const item of view.items) {
      const colour = view.state === 'placeholder' || item.stale ? Colour.dimRed : LEVEL_COLOUR[item.level];
      lines.push({ left: text(item.label, Colour.amber), right: text(item.value, colour) });
    }
  }
  const out = createBitmap(width, lines.length * (font.height + 2));
  lines.forEach((l, i) => {
    const y = i * (font.height + 2);
    // The label sits where reading starts: the right edge on fa boards.
    const [start, end] = rtl ? [l.right, l.left] : [l.left, l.right];
    if (start) blit(out, start, 0, y);
    if (end) blit(out, end, Math.max(0, width - end.width), y);
  });
  return out;
}
