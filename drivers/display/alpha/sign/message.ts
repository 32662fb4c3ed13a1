import { createBitmap, Colour, type Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import type { BoardMessage, BoardView } from '../../../../wallboard/model/BoardView.ts';
import { callDots, colour } from '../commands/controls.ts';
import { writeSmallDots } from '../commands/dots.ts';
import { PRIORITY_TEXT_LABEL, writeText } from '../commands/text.ts';
import { ascii, concat } from '../framing/bytes.ts';
import { ColourCode, Mode } from '../framing/codes.ts';
import type { LabelRenderer, SignLayout } from './layout.ts';
import { charsPerLine, type SignSpec } from './SignSpec.ts';

/**
 * A supervisor message goes to the priority TEXT file `0` (9708-8061 §6.1):
 * it needs no memory entry, shows at once over the page, and an empty `A0`
 * write brings the page back exactly as it was (the STRINGs kept updating
 * underneath), so ending a message costs 12 bytes and no re-layout.
 */

/** Bytes the priority TEXT file holds (fixed by the sign). */
export const PRIORITY_TEXT_BYTES = 125;
/** ESC, position, mode and the colour code before the message text. */
const HEADER_BYTES = 5;

/** Identity of a message on show: a change of text or level is a new message. */
export function messageKey(m: BoardMessage): string {
  return JSON.stringify([m.text, m.level, m.until]);
}

function crop(p: Bitmap, rows: number, columns: number): Bitmap {
  if (p.height <= rows && p.width <= columns) return p;
  const out = createBitmap(Math.min(columns, p.width), Math.min(rows, p.height));
  for (let y = 0; y < out.height; y++) out.data.set(p.data.subarray(y * p.width, y * p.width + out.width), y * out.width);
  return out;
}

/**
 * Commands (one packet each) that put `view.message` on the sign. English:
 * the text itself, red and flashing when critical (rotating when longer than
 * a line). Persian/Chinese: the text drawn as the message picture and called
 * from the priority TEXT; without a renderer or on a sign too short for it,
 * the ASCII part of the text (or `!!!`) stands in.
 */
export function messageCommands(view: BoardView, sign: SignSpec, layout: SignLayout, render: LabelRenderer | null): Uint8Array[][] {
  const m = view.message!;
  const critical = m.level === 'critical';
  const tint = sign.colour ? colour(critical ? ColourCode.red : ColourCode.green) : new Uint8Array(0);
  if (view.lang !== 'en' && render && layout.messageDots) {
    const { label, rows, columns } = layout.messageDots;
    const picture = crop(render(m.text, { dir: view.dir, colour: sign.colour ? (critical ? Colour.red : Colour.green) : Colour.red }), rows, columns);
    return [[writeSmallDots(label, picture)], [writeText(PRIORITY_TEXT_LABEL, callDots(label), { mode: critical ? Mode.flash : Mode.hold })]];
  }
  let text = m.text.replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
  if (text === '') text = '!!!';
  text = text.slice(0, PRIORITY_TEXT_BYTES - HEADER_BYTES);
  const fits = text.length <= charsPerLine(sign);
  const mode = !fits ? Mode.rotate : critical ? Mode.flash : Mode.hold;
  return [[writeText(PRIORITY_TEXT_LABEL, concat(tint, ascii(text)), { mode })]];
}
