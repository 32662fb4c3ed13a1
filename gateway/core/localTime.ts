import type { Weekday } from '../config/types.ts';

/** Wall-clock parts of an instant in a time zone (site time). */
export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

const WEEKDAYS: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-US with latn digits: parts are parsed as numbers, never shown.
    f = new Intl.DateTimeFormat('en-US-u-nu-latn', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Intl formatting costs microseconds; the simulator asks millions of times
// within the same minute, so cache per zone and minute.
const cache = new Map<string, { minute: number; parts: LocalParts }>();

export function localParts(ms: number, timeZone: string): LocalParts {
  const minuteKey = Math.floor(ms / 60_000);
  const hit = cache.get(timeZone);
  if (hit && hit.minute === minuteKey) return hit.parts;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value;
  const hour = Number(p.hour);
  const minute = Number(p.minute);
  const parts: LocalParts = {
    date: `${p.year}-${p.month}-${p.day}`,
    hour,
    minute,
    weekday: WEEKDAYS[p.weekday ?? 'Mon'] ?? 'mon',
    minuteOfDay: hour * 60 + minute,
  };
  cache.set(timeZone, { minute: minuteKey, parts });
  return parts;
}

/** True if `timeZone` is a zone this Node's ICU knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Start (epoch ms) of the local hour containing `ms`. */
export function localHourStart(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const secs = Math.floor(ms / 1000) % 60;
  return ms - (p.minute * 60 + secs) * 1000 - (ms % 1000);
}
