import type { AlphaConnection } from '../../../../wallboard/config/BoardConfig.ts';
import type { Lang } from '../../../../wallboard/model/BoardView.ts';

/** What the driver needs to know about one sign: its address and its LED matrix. */
export interface SignSpec {
  typeCode: string;
  address: number;
  /** LED rows and columns (BetaBrite: 7 × 80). */
  rows: number;
  columns: number;
  /** Red/green/amber sign; false = single colour (levels shown steady/steady/flash). */
  colour: boolean;
}

/** Pixel metrics of the sign's standard font (9708-8061 charset `3`, 7 high, proportional ≈ 5 + 1 spacing). */
export const SIGN_FONT = {
  /** Rows of one text line including the gap below it. */
  lineRows: 8,
  /** Rows the 7-high font needs at least. */
  glyphRows: 7,
  /** Average advance of a character, px. */
  advance: 6,
} as const;

/** Rows a rendered Persian/Chinese label needs (GNU Unifont is 16 px high). */
export const PICTURE_ROWS = 16;

/** Text lines the sign shows at once: 1 on a 7-row BetaBrite, 2 on a 16-row sign. */
export function textLines(sign: Pick<SignSpec, 'rows'>, lang: Lang = 'en'): number {
  const lineRows = lang === 'en' ? SIGN_FONT.lineRows : PICTURE_ROWS;
  return Math.max(1, Math.floor((sign.rows + 1) / lineRows));
}

/** Characters of the standard font on one line. */
export function charsPerLine(sign: Pick<SignSpec, 'columns'>): number {
  return Math.max(1, Math.floor(sign.columns / SIGN_FONT.advance));
}

/** Width of one item on a line, characters: a short label, a space, a value of up to 4, and a gap. */
const ITEM_CHARS = 10;

/**
 * Items one page holds: whole items per line (at least one) times lines.
 * A 7×80 BetaBrite holds 1 (13 characters); a 16×160 sign holds 4.
 */
export function signCapacity(sign: Pick<SignSpec, 'rows' | 'columns'>, lang: Lang = 'en'): number {
  return textLines(sign, lang) * Math.max(1, Math.floor(charsPerLine(sign) / ITEM_CHARS));
}

export function signSpecOf(c: AlphaConnection): SignSpec {
  return { typeCode: c.typeCode, address: c.address, rows: c.rows, columns: c.columns, colour: c.colour };
}
