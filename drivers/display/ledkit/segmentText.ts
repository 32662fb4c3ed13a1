/**
 * What a small LED module shows from a BoardView: the rules shared by the
 * HT16K33 and MAX7219 drivers. Pure functions of the view and the time since
 * the display opened.
 *
 * Rules (documented in the report and README):
 * - Items come from the current page (`view.pages[view.page]`, else all items);
 *   module i (HT16K33 address i, MAX7219 half-device i) shows item i; extra
 *   modules stay blank.
 * - Segment displays use `latin` (Western digits only). `%` and spaces are
 *   dropped ("97%" → "97"); a duration over an hour "h:mm:ss" becomes "hHmm"
 *   ("1:02:15" → "1h02"); a colon stays a colon only where the module has one
 *   (centre of a 4-digit HT16K33), elsewhere it becomes a decimal point; a value
 *   that does not fit shows dashes across the module.
 * - 7-segment modules show the value alone. Alphanumeric modules show
 *   "<first letter of short> <value>" when the value takes at most two
 *   characters ("W 12"), otherwise alternate `short` and the value every
 *   {@link ALTERNATE_MS}.
 * - A placeholder view shows dashes on every module; a stale item shows its
 *   placeholder value ("--"). Supervisor messages are not shown on segment
 *   modules (too small); matrices scroll them during their turn.
 * - A critical, fresh item blinks (on matrices: any critical item on the page,
 *   or a critical message).
 */
import type { BoardView, ItemView } from '../../../wallboard/model/BoardView.ts';

/** How long each of label and value stays on an alphanumeric module, ms. */
export const ALTERNATE_MS = 2000;
/** Software blink half-period (1 Hz flashing, like the HT16K33 0x85 rate), ms. */
export const BLINK_HALF_MS = 500;

/** Items of the page on show. */
export function pageItems(view: BoardView): ItemView[] {
  return view.pages[view.page] ?? view.items;
}

/** True when the item's fresh figure is critical (placeholder views never alarm). */
export function isCritical(view: BoardView, item: ItemView | undefined): boolean {
  return view.state === 'live' && item !== undefined && !item.stale && item.level === 'crit';
}

/** Number of digit cells `text` takes (a `.` after a character and a `:` take none). */
export function cellCount(text: string): number {
  let n = 0;
  let prevChar = false;
  for (const ch of text) {
    if (ch === ':') continue;
    if (ch === '.' && prevChar) {
      prevChar = false;
      continue;
    }
    n++;
    prevChar = ch !== '.';
  }
  return n;
}

export interface SegmentValueOptions {
  /** Digit cells on the module. */
  width: number;
  /** Where the module has a colon: 'centre' = between cells width/2−1 and width/2 (Adafruit 4-digit), 'none'. */
  colon: 'centre' | 'none';
}

/** The value text for a segment module, per the rules above; never wider than `width` cells. */
export function segmentValue(latin: string, opts: SegmentValueOptions): string {
  let v = latin.replace(/[%\s]/g, '');
  const hms = /^(\d+):(\d\d):\d\d$/.exec(v);
  if (hms) v = `${hms[1]}h${hms[2]}`;
  if (v.includes(':')) {
    const after = v.slice(v.lastIndexOf(':') + 1);
    const centred = opts.colon === 'centre' && (v.match(/:/g) ?? []).length === 1 && cellCount(after) === opts.width / 2 && !after.includes('.');
    if (!centred) v = v.replace(/:/g, '.');
  }
  return cellCount(v) <= opts.width ? v : '-'.repeat(opts.width);
}

/** What one alphanumeric module shows at `elapsedMs`, and when that next changes (ms from now, null = never). */
export function alphanumericText(view: BoardView, item: ItemView | undefined, elapsedMs: number): { text: string; nextChangeMs: number | null } {
  if (view.state === 'placeholder') return { text: '----', nextChangeMs: null };
  if (!item) return { text: '', nextChangeMs: null };
  const v = segmentValue(item.latin, { width: 4, colon: 'none' });
  const letter = item.short.trim().charAt(0);
  if (cellCount(v) <= 2 && letter !== '') return { text: `${letter} ${v.padStart(2 + (v.length - cellCount(v)))}`, nextChangeMs: null };
  const label = item.short.trim().slice(0, 4);
  if (label === '') return { text: v, nextChangeMs: null };
  const phase = Math.floor(elapsedMs / ALTERNATE_MS);
  return { text: phase % 2 === 0 ? label.padEnd(4) : v, nextChangeMs: (phase + 1) * ALTERNATE_MS - elapsedMs };
}

/** What one 7-segment item slot shows (no label: the module has no letters to spare). */
export function sevenSegmentText(view: BoardView, item: ItemView | undefined, opts: SegmentValueOptions): string {
  if (view.state === 'placeholder') return '-'.repeat(opts.width);
  if (!item) return '';
  return segmentValue(item.latin, opts);
}

/**
 * The line a matrix scrolls: the message during its turn, else the page's
 * items as "label value" (English boards) or "SHORT value" (other
 * languages: the 5×7 matrix font is Latin), two spaces apart, left to right.
 * A message keeps the board's direction (the renderer shapes and reorders it).
 */
export function matrixLine(view: BoardView): { text: string; dir: 'ltr' | 'rtl'; blink: boolean } {
  if (view.state === 'placeholder') return { text: '--', dir: 'ltr', blink: false };
  if (view.messageTurn && view.message) return { text: view.message.text, dir: view.dir, blink: view.message.level === 'critical' };
  const items = pageItems(view);
  const text = items.map((i) => `${view.lang === 'en' ? i.label : i.short} ${i.latin}`).join('  ');
  return { text, dir: 'ltr', blink: items.some((i) => isCritical(view, i)) };
}

/** Whether a software-blinking value is lit at `elapsedMs`, and ms until that flips. */
export function blinkPhase(elapsedMs: number): { lit: boolean; nextChangeMs: number } {
  const n = Math.floor(elapsedMs / BLINK_HALF_MS);
  return { lit: n % 2 === 0, nextChangeMs: (n + 1) * BLINK_HALF_MS - elapsedMs };
}
