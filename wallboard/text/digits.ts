import type { Lang } from '../model/BoardView.ts';
import { stripIgnorables } from './ignorable.ts';

/**
 * Numbers in a board's language, in logical order, ready for shaping and
 * bidi: Persian digits (U+06F0–06F9) and ARABIC PERCENT SIGN on fa, Western
 * digits on en and zh. Formatting goes through Intl (Node's full ICU); the
 * LRM Intl puts before a Persian negative is removed, since a bitmap font
 * would draw it as a box.
 */

/** BCP 47 locale per board language (fa-IR defaults to Persian digits, arabext). */
export const LOCALE: Readonly<Record<Lang, string>> = { en: 'en-US', fa: 'fa-IR', zh: 'zh-CN' };

/** Shown for a value that is not a finite number, as the figure formatters do. */
const NO_VALUE = '-';

/** A whole number with the language's digits and grouping: 1234 → "1,234" (en, zh), "۱٬۲۳۴" (fa). */
export function formatInteger(n: number, lang: Lang): string {
  if (!Number.isFinite(n)) return NO_VALUE;
  return stripIgnorables(new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(Math.round(n)));
}

/** A 0–1 fraction as a whole percent: 0.97 → "97%" (en, zh), "۹۷٪" (fa). */
export function formatPercent(fraction: number, lang: Lang): string {
  if (!Number.isFinite(fraction)) return NO_VALUE;
  const fmt = new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 0 });
  return stripIgnorables(fmt.format(Math.round(fraction * 100) / 100));
}

/** A duration as mm:ss ("02:15"), h:mm:ss from an hour up, in the language's digits; negative counts as 0. */
export function formatMmss(ms: number, lang: Lang): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const text = h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${pad2(m)}:${pad2(s)}`;
  return toLocalDigits(text, lang);
}

/**
 * Western digits of an already formatted string in the language's digits:
 * on fa, 0–9 → ۰–۹ and "%" → "٪" (U+066A, what Intl fa-IR writes); other
 * languages unchanged.
 */
export function toLocalDigits(s: string, lang: Lang): string {
  if (lang !== 'fa') return s;
  return s.replace(/[0-9%]/g, (d) => (d === '%' ? '\u066A' : String.fromCharCode(0x06f0 + d.charCodeAt(0) - 0x30)));
}

/** Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits back to ASCII. */
export function toWesternDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
