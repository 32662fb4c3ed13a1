import type { Lang } from '../model/BoardView.ts';
import { toLocalDigits } from './digits.ts';
import { stripIgnorables } from './ignorable.ts';

/**
 * A board's date and clock lines. Calendar arithmetic is Intl's (ICU):
 * fa uses the Solar Hijri (Jalali) calendar, `fa-IR-u-ca-persian`; the
 * fields are taken with Western digits and converted, so no Intl bidi mark
 * (LRM/ALM) or locale punctuation reaches the bitmap.
 *
 * Every board asks for both lines on every 1 s tick, and building an
 * Intl.DateTimeFormat costs far more than formatting with one: formatters are
 * kept per locale and zone, and each line is kept for its UTC minute (the
 * lines show minutes at the finest).
 */

/**
 * The date at `ms` in `timeZone` (IANA name, e.g. "Asia/Tehran"):
 * fa "۱۴۰۴/۰۱/۰۱" (Jalali, Persian digits), zh "2025年3月21日", en "2025-03-21".
 */
export function formatDate(ms: number, lang: Lang, timeZone: string): string {
  return perMinute(slots(timeZone).date[lang], ms, (t) => computeDate(t, lang, timeZone));
}

/** The 24-hour time at `ms` in `timeZone` as HH:MM ("14:05", "۱۴:۰۵" on fa). */
export function formatTime(ms: number, lang: Lang, timeZone: string): string {
  return perMinute(slots(timeZone).time[lang], ms, (t) => computeTime(t, lang, timeZone));
}

function computeDate(ms: number, lang: Lang, timeZone: string): string {
  switch (lang) {
    case 'fa': {
      const p = fields('fa-IR-u-ca-persian-nu-latn', DATE_2DIGIT, ms, timeZone);
      return toLocalDigits(`${p.year}/${p.month}/${p.day}`, 'fa');
    }
    case 'zh': {
      const p = fields('zh-CN-u-ca-gregory-nu-latn', DATE_NUMERIC, ms, timeZone);
      return `${p.year}年${p.month}月${p.day}日`;
    }
    case 'en': {
      const p = fields('en-US-u-ca-gregory-nu-latn', DATE_2DIGIT, ms, timeZone);
      return `${p.year}-${p.month}-${p.day}`;
    }
  }
}

function computeTime(ms: number, lang: Lang, timeZone: string): string {
  const p = fields('en-US-u-nu-latn', TIME, ms, timeZone);
  return toLocalDigits(`${p.hour}:${p.minute}`, lang);
}

const DATE_2DIGIT: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const DATE_NUMERIC: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** One line's last answer: valid for the whole UTC minute `minute`. */
interface Slot {
  minute: number;
  text: string;
}
type PerLang = Record<Lang, Slot>;
interface ZoneSlots {
  date: PerLang;
  time: PerLang;
}

const byZone = new Map<string, ZoneSlots>();

function slots(timeZone: string): ZoneSlots {
  let z = byZone.get(timeZone);
  if (!z) {
    const empty = (): PerLang => ({ en: { minute: NaN, text: '' }, fa: { minute: NaN, text: '' }, zh: { minute: NaN, text: '' } });
    z = { date: empty(), time: empty() };
    byZone.set(timeZone, z);
  }
  return z;
}

const MINUTE_MS = 60_000;

/**
 * The line at `ms`, from `slot` when it holds `ms`'s minute. A line is kept
 * for a minute only when it reads the same at the minute's first and last
 * millisecond: every zone in use today changes offset on whole minutes, but
 * ICU also knows old offsets in seconds (local mean time), where a line may
 * change mid-minute; those instants are computed each time.
 */
function perMinute(slot: Slot, ms: number, compute: (ms: number) => string): string {
  const minute = Math.floor(ms / MINUTE_MS);
  if (slot.minute === minute) return slot.text;
  const first = compute(minute * MINUTE_MS);
  if (first !== compute(minute * MINUTE_MS + MINUTE_MS - 1)) return compute(ms);
  slot.minute = minute;
  slot.text = first;
  return first;
}

type FieldName = 'year' | 'month' | 'day' | 'hour' | 'minute';

const formatters = new Map<string, Intl.DateTimeFormat>();

function fields(locale: string, options: Intl.DateTimeFormatOptions, ms: number, timeZone: string): Record<FieldName, string> {
  // The option objects are module constants, so their identity names them.
  const key = `${locale}|${timeZone}|${options === TIME ? 't' : options === DATE_NUMERIC ? 'n' : 'd'}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  const out: Record<FieldName, string> = { year: '', month: '', day: '', hour: '', minute: '' };
  for (const part of f.formatToParts(ms)) {
    if (part.type in out) out[part.type as FieldName] = stripIgnorables(part.value);
  }
  return out;
}
