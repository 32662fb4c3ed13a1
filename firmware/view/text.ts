/**
 * Terminal text helpers for the status view: ANSI colour (only when asked)
 * and column layout by display width, so Chinese names (two cells per
 * character) and Persian names (combining marks take no cell) line up.
 */

export type { Level } from '../../wallboard/model/BoardView.ts';
import type { Level } from '../../wallboard/model/BoardView.ts';

/** ANSI SGR codes used by the view. */
export const SGR = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  inverse: '7',
} as const;

export type Style = keyof typeof SGR;

/** Wrap `s` in an SGR sequence when `color` is on; otherwise return it unchanged. */
export function paint(s: string, style: Style | Style[], color: boolean): string {
  if (!color || s === '') return s;
  const codes = (Array.isArray(style) ? style : [style]).map((k) => SGR[k]).join(';');
  return `\x1b[${codes}m${s}\x1b[0m`;
}

/**
 * Show a figure at its level. With colour: amber = yellow, critical = bold
 * red inverse (the "flash" of a wallboard without blinking the terminal).
 * Without colour the value stays readable and gains a marker: `*` warning,
 * `!` critical, so `ccgate status` piped to a file still shows alarms.
 */
export function level(s: string, lvl: Level, color: boolean): string {
  if (lvl === 'ok') return s;
  if (!color) return s + (lvl === 'warn' ? '*' : '!');
  return paint(s, lvl === 'warn' ? 'yellow' : ['bold', 'red', 'inverse'], true);
}

// eslint-disable-next-line no-control-regex -- matching the ESC byte is the point
const ANSI = /\x1b\[[0-9;]*m/g;

/** Zero-width: combining marks, ZWNJ/ZWJ (used in Persian), bidi controls, BOM, variation selectors. */
// eslint-disable-next-line no-misleading-character-class -- the variation selectors are listed on purpose, as zero-width code points to skip, not to combine
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\uFE00-\uFE0F]/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** Terminal cells `s` occupies, ignoring ANSI sequences. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, '')) w += charWidth(ch);
  return w;
}

/** Cut plain text (no ANSI) to at most `width` cells, marking the cut with '…'. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  // A Persian name cut mid-word must not leave a dangling ZWNJ before the ellipsis.
  return out.replace(/[\u200C\u200D]+$/, '') + '…';
}

/** Pad (or truncate, for plain text) to exactly `width` cells; `right` aligns numbers. */
export function cell(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const text = displayWidth(s) > width && !s.includes('\x1b') ? truncate(s, width) : s;
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? pad + text : text + pad;
}

/** Cut a rendered line (which may contain ANSI) to `width` cells, keeping escape sequences intact. */
export function clipLine(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = '';
  let w = 0;
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i) ?? 0x20);
    const cw = charWidth(ch);
    if (w + cw > width) break;
    out += ch;
    w += cw;
    i += ch.length;
  }
  return out.includes('\x1b') ? out + '\x1b[0m' : out;
}

export { duration, mmss, percent } from '../../wallboard/figures/format.ts';
