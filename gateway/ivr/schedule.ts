import type { Schedule, Weekday } from '../config/types.ts';
import { localParts } from '../core/localTime.ts';

/**
 * Opening hours: pure functions over a {@link Schedule} evaluated in the site's
 * IANA time zone. Resolution is one minute: a schedule is open or closed for a
 * whole local minute, so every instant these functions return is a minute
 * boundary.
 *
 * Semantics:
 * - `"HH:MM-HH:MM"` intervals are half-open `[start, end)`; `end` may be `24:00`.
 * - An interval whose end is before its start (`22:00-02:00`) crosses midnight:
 *   it opens on its own weekday and runs until `end` on the next day.
 * - A holiday closes the whole local date, including the after-midnight tail of
 *   the previous day's overnight interval, and cancels an overnight interval
 *   that starts on it (the shift belongs to the day it starts).
 *
 * @module
 */

/** One parsed interval, minutes since local midnight; `end` may be ≤ `start` (crosses midnight). */
export interface Interval {
  start: number;
  end: number;
}

const INTERVAL = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/**
 * Parse `"HH:MM-HH:MM"`. Start is 00:00–23:59, end 00:00–24:00, and they differ
 * (an empty or a 24-hour overnight interval is almost certainly a typo; write
 * `00:00-24:00` for a whole day).
 *
 * @returns the interval in minutes since local midnight, or `null` if malformed
 */
export function parseInterval(text: string): Interval | null {
  const m = INTERVAL.exec(text);
  if (!m) return null;
  const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (sh > 23 || sm > 59 || em > 59 || eh > 24 || (eh === 24 && em !== 0)) return null;
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  return start === end ? null : { start, end };
}

const WEEK: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far `nextOpening`/`closesAt` look ahead before answering `null`. */
const HORIZON_MS = 14 * DAY_MS;

interface Compiled {
  byDay: Map<Weekday, Interval[]>;
  holidays: ReadonlySet<string>;
  /** Minutes of day at which open/closed can change: starts, ends, midnight (holidays). */
  edges: number[];
}

// Schedules come from the frozen config and are asked about on every call (and
// millions of times in the simulator): parse each once.
const compiled = new WeakMap<Schedule, Compiled>();

function compile(schedule: Schedule): Compiled {
  const hit = compiled.get(schedule);
  if (hit) return hit;
  const byDay = new Map<Weekday, Interval[]>();
  const edges = new Set<number>([0]);
  for (const day of WEEK) {
    // Malformed entries cannot reach here through firmware/config; skipping them
    // keeps a hand-built test schedule from throwing in the middle of a call.
    const list = (schedule.weekly[day] ?? []).map(parseInterval).filter((i): i is Interval => i !== null);
    byDay.set(day, list);
    for (const i of list) edges.add(i.start).add(i.end % 1440);
  }
  const c: Compiled = { byDay, holidays: new Set(schedule.holidays), edges: [...edges].sort((a, b) => a - b) };
  compiled.set(schedule, c);
  return c;
}

/** The calendar date before `date` (YYYY-MM-DD); pure calendar arithmetic, no time zone involved. */
function previousDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

function isOpenCompiled(c: Compiled, ms: number, timeZone: string): boolean {
  const p = localParts(ms, timeZone);
  if (c.holidays.has(p.date)) return false;
  for (const i of c.byDay.get(p.weekday) ?? []) {
    const open = i.end > i.start ? p.minuteOfDay >= i.start && p.minuteOfDay < i.end : p.minuteOfDay >= i.start;
    if (open) return true;
  }
  // After-midnight tails of yesterday's overnight intervals, unless yesterday was a holiday.
  const yesterday = WEEK[(WEEK.indexOf(p.weekday) + 6) % 7] ?? 'sun';
  const tails = (c.byDay.get(yesterday) ?? []).filter((i) => i.end < i.start && p.minuteOfDay < i.end);
  return tails.length > 0 && !c.holidays.has(previousDate(p.date));
}

/**
 * Is the schedule open at `ms`?
 *
 * @param schedule opening hours in site time
 * @param ms instant, epoch milliseconds
 * @param timeZone IANA zone of the site (e.g. `Asia/Tehran`)
 */
export function isOpen(schedule: Schedule, ms: number, timeZone: string): boolean {
  return isOpenCompiled(compile(schedule), ms, timeZone);
}

/** UTC offset in ms at the minute containing `ms` (wall clock minus UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d, p.hour, p.minute) - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * First minute boundary after `fromMs` at which `isOpen` equals `want`, within
 * {@link HORIZON_MS}. Open/closed can only change at an edge minute of day, so
 * the scan jumps edge to edge; a jump across a UTC-offset change (DST) would
 * land on the wrong wall-clock minute, so there it steps one minute at a time.
 */
function nextChange(c: Compiled, fromMs: number, timeZone: string, want: boolean): number | null {
  const limit = fromMs + HORIZON_MS;
  let t = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  while (t <= limit) {
    if (isOpenCompiled(c, t, timeZone) === want) return t;
    const m = localParts(t, timeZone).minuteOfDay;
    const next = c.edges.find((e) => e > m) ?? (c.edges[0] ?? 0) + 1440;
    const jump = t + (next - m) * MINUTE_MS;
    t = offsetAt(jump, timeZone) === offsetAt(t, timeZone) ? jump : t + MINUTE_MS;
  }
  return null;
}

/**
 * When does the schedule next open?
 *
 * @returns `fromMs` itself if open at `fromMs`; otherwise the epoch ms of the
 *   first local minute boundary at which it is open; `null` if it does not open
 *   within 14 days (no intervals, or every day a holiday).
 */
export function nextOpening(schedule: Schedule, fromMs: number, timeZone: string): number | null {
  const c = compile(schedule);
  if (isOpenCompiled(c, fromMs, timeZone)) return fromMs;
  return nextChange(c, fromMs, timeZone, true);
}

/**
 * When does the schedule close, if it is open at `ms`?
 *
 * @returns epoch ms of the first local minute boundary at which it is closed;
 *   `null` if it is closed at `ms` or stays open for the next 14 days (24/7).
 */
export function closesAt(schedule: Schedule, ms: number, timeZone: string): number | null {
  const c = compile(schedule);
  if (!isOpenCompiled(c, ms, timeZone)) return null;
  return nextChange(c, ms, timeZone, false);
}
