import { Colour, type Bitmap, type ColourIndex } from '../../../../wallboard/bitmap/Bitmap.ts';
import type { BoardView, ItemId, ItemView } from '../../../../wallboard/model/BoardView.ts';
import { callDots, callString, colour } from '../commands/controls.ts';
import { MAX_DOTS_COLUMNS, MAX_DOTS_ROWS } from '../commands/dots.ts';
import type { MemoryEntry } from '../commands/special.ts';
import { MAX_STRING_BYTES } from '../commands/string.ts';
import { AlphaEncodeError } from '../errors.ts';
import { ascii, concat } from '../framing/bytes.ts';
import { ColourCode, Ctl } from '../framing/codes.ts';
import { charsPerLine, PICTURE_ROWS, textLines, type SignSpec } from './SignSpec.ts';
import { VALUE_CONTROL_BYTES, widestValue } from './valueBytes.ts';

/**
 * Draws a label or message in a non-Latin script as a picture (the wallboard
 * text renderer: shaping, bidi, GNU Unifont). The pixel values are Alpha
 * DOTS colour codes.
 */
export type LabelRenderer = (text: string, opts: { dir: 'ltr' | 'rtl'; colour: ColourIndex }) => Bitmap;

/** TEXT file that holds the page on show. */
export const PAGE_TEXT_LABEL = 'A';
/** SMALL DOTS file for a supervisor message drawn as a picture (fa/zh). */
export const MESSAGE_DOTS_LABEL = 'z';
/**
 * Labels for STRING and DOTS files, in allocation order. Skips `0` (priority
 * TEXT), `1`–`5` (counter targets on signs with counters), `A` (the page),
 * `?` (wildcard) and `z` (the message picture).
 */
const FILE_LABELS = '6789BCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxy';

/** Static labels on colour signs are amber, so the coloured values stand out. */
export const LABEL_COLOUR = ColourCode.amber;
const LABEL_PIXEL: ColourIndex = Colour.amber;
/** Single-colour signs: every lit pixel is code 1. */
const MONO_PIXEL: ColourIndex = Colour.red;

export interface ItemSlot {
  id: ItemId;
  stringLabel: string;
  /** Value characters the STRING is sized for (plus VALUE_CONTROL_BYTES). */
  width: number;
  /** The label as sign text (ASCII), or null when it is a picture. */
  text: string | null;
  dotsLabel: string | null;
  picture: Bitmap | null;
}

export interface SignLayout {
  /** Identity: two views with the same key share memory map and page TEXTs. */
  key: string;
  dir: 'ltr' | 'rtl';
  slots: Map<ItemId, ItemSlot>;
  pages: ItemId[][];
  memory: MemoryEntry[];
  /** TEXT body of each page (static labels and CALL STRING/CALL DOTS slots). */
  pageTexts: Uint8Array[];
  messageDots: { label: string; rows: number; columns: number } | null;
  /** Items whose non-Latin label could not be drawn (no renderer, sign too short): shown by their `short` label. */
  fallbacks: ItemId[];
}

const slotWidth = (item: ItemView, widths: ReadonlyMap<ItemId, number>): number => Math.max(widestValue(item.id), widths.get(item.id) ?? 0);
const asciiText = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

/** The layout's identity, computed without drawing anything: language, pages, labels and slot widths. */
export function layoutKey(view: BoardView, widths: ReadonlyMap<ItemId, number>): string {
  return JSON.stringify([view.lang, view.dir, view.pages.map((p) => p.map((i) => [i.id, i.label, i.short, slotWidth(i, widths)]))]);
}

/** The label text an item gets on a page of `perLine` items per line: the full label when it fits, else `short`. */
function textLabel(item: ItemView, width: number, perLine: number, sign: SignSpec): string {
  const budget = Math.floor(charsPerLine(sign) / perLine) - 2;
  const full = asciiText(item.label);
  return full.length + 1 + width <= budget ? full : asciiText(item.short);
}

function pageText(page: ItemId[], slots: Map<ItemId, ItemSlot>, sign: SignSpec, lines: number, rtl: boolean): Uint8Array {
  const perLine = Math.max(1, Math.ceil(page.length / lines));
  const out: Uint8Array[] = [];
  for (let start = 0; start < page.length; start += perLine) {
    if (start > 0) out.push(Uint8Array.of(Ctl.newLine));
    let line = page.slice(start, start + perLine);
    // Right-to-left boards read the first item at the right: place items right to left.
    if (rtl) line = [...line].reverse();
    line.forEach((id, i) => {
      const s = slots.get(id)!;
      if (i > 0) out.push(ascii('  '));
      const label = s.picture ? callDots(s.dotsLabel!) : concat(sign.colour ? colour(LABEL_COLOUR) : new Uint8Array(0), ascii(s.text ?? ''));
      const value = callString(s.stringLabel);
      out.push(...(rtl && s.picture ? [value, ascii(' '), label] : [label, ascii(' '), value]));
    });
  }
  return concat(...out);
}

/**
 * Plan the sign's memory and page TEXTs for `view`: one locked STRING per item
 * sized to its widest value, one SMALL DOTS picture per non-Latin label, the
 * page TEXT `A`, and a message picture on fa/zh boards. Values are not part of
 * the layout: they travel in STRING writes.
 */
export function planLayout(view: BoardView, sign: SignSpec, widths: ReadonlyMap<ItemId, number>, render: LabelRenderer | null): SignLayout {
  const labels = [...FILE_LABELS];
  const take = (): string => {
    const l = labels.shift();
    if (l === undefined) throw new AlphaEncodeError('tooManyFiles', `board ${view.boardId} needs more than ${FILE_LABELS.length} sign files`, { boardId: view.boardId });
    return l;
  };
  const latin = view.lang === 'en';
  const lines = textLines(sign, latin ? 'en' : view.lang);
  const pixel = sign.colour ? LABEL_PIXEL : MONO_PIXEL;
  const slots = new Map<ItemId, ItemSlot>();
  const fallbacks: ItemId[] = [];
  for (const page of view.pages) {
    const perLine = Math.max(1, Math.ceil(page.length / lines));
    for (const item of page) {
      if (slots.has(item.id)) continue;
      const width = slotWidth(item, widths);
      if (width + VALUE_CONTROL_BYTES > MAX_STRING_BYTES) throw new AlphaEncodeError('stringTooLong', `value of ${item.id} is wider than a STRING`, { id: item.id, width });
      let picture: Bitmap | null = null;
      if (!latin && render) {
        const p = render(item.label, { dir: view.dir, colour: pixel });
        if (p.height <= Math.min(sign.rows, MAX_DOTS_ROWS) && p.width <= MAX_DOTS_COLUMNS) picture = p;
      }
      if (!latin && !picture) fallbacks.push(item.id);
      slots.set(item.id, {
        id: item.id,
        stringLabel: take(),
        width,
        text: picture ? null : textLabel(item, width, perLine, sign),
        dotsLabel: picture ? take() : null,
        picture,
      });
    }
  }
  const pages = view.pages.map((p) => p.map((i) => i.id));
  const pageTexts = pages.map((p) => pageText(p, slots, sign, lines, view.dir === 'rtl'));
  const messageDots =
    !latin && render && sign.rows >= PICTURE_ROWS ? { label: MESSAGE_DOTS_LABEL, rows: Math.min(MAX_DOTS_ROWS, sign.rows), columns: MAX_DOTS_COLUMNS } : null;
  const textSize = Math.max(32, ...pageTexts.map((t) => t.length));
  const memory: MemoryEntry[] = [
    { type: 'text', label: PAGE_TEXT_LABEL, size: textSize },
    ...[...slots.values()].map((s): MemoryEntry => ({ type: 'string', label: s.stringLabel, size: s.width + VALUE_CONTROL_BYTES })),
    ...[...slots.values()].flatMap((s): MemoryEntry[] =>
      s.picture ? [{ type: 'dots', label: s.dotsLabel!, rows: s.picture.height, columns: s.picture.width, depth: sign.colour ? 'threeColour' : 'mono' }] : [],
    ),
    ...(messageDots ? [{ type: 'dots' as const, ...messageDots, depth: sign.colour ? ('threeColour' as const) : ('mono' as const) }] : []),
  ];
  return { key: layoutKey(view, widths), dir: view.dir, slots, pages, memory, pageTexts, messageDots, fallbacks };
}
