import type { Lang } from '../model/BoardView.ts';
import { toLocalDigits } from './digits.ts';
import { stripIgnorables } from './ignorable.ts';

/**
 * A board's date and clock lines. Calendar arithmetic is Intl's (ICU):
 * fa uses the Solar Hijri (Jalali) calendar, `fa-IR-u-ca-persian`; the
 * fields are taken with Western digits and converted, so no Intl bidi mark
 * (LRM/ALM) or locale punctuation reaches the bitmap.
 */

/**
 * The date at `ms` in `timeZone` (IANA name, e.g. "Asia/Tehran"):
 * fa "۱۴۰۴/۰۱/۰۱" (Jalali, Persian digits), zh "2025年3月21日", en "2025-03-21".
 */
export function formatDate(ms: number, lang: Lang, timeZone: string): string {
  switch (lang) {
    case 'fa': {
      const p = fields('fa-IR-u-ca-persian-nu-latn', ms, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });
      return toLocalDigits(`${p.year}/${p.month}/${p.day}`, 'fa');
    }
    case 'zh': {
      const p = fields('zh-CN-u-ca-gregory-nu-latn', ms, timeZone, { year: 'numeric', month: 'numeric', day: 'numeric' });
      return `${p.year}年${p.month}月${p.day}日`;
    }
    case 'en': {
      const p = fields('en-US-u-ca-gregory-nu-latn', ms, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });
      return `${p.year}-${p.month}-${p.day}`;
    }
  }
}

/** The 24-hour time at `ms` in `timeZone` as HH:MM ("14:05", "۱۴:۰۵" on fa). */
export function formatTime(ms: number, lang: Lang, timeZone: string): string {
  const p = fields('en-US-u-nu-latn', ms, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return toLocalDigits(`${p.hour}:${p.minute}`, lang);
}

type FieldName = 'year' | 'month' | 'day' | 'hour' | 'minute';

function fields(locale: string, ms: number, timeZone: string, options: Intl.DateTimeFormatOptions): Record<FieldName, string> {
  const out: Record<FieldName, string> = { year: '', month: '', day: '', hour: '', minute: '' };
  for (const part of new Intl.DateTimeFormat(locale, { ...options, timeZone }).formatToParts(ms)) {
    if (part.type in out) out[part.type as FieldName] = stripIgnorables(part.value);
  }
  return out;
}
