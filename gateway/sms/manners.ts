import { localParts } from '../core/localTime.ts';

/**
 * When an SMS may go, given the site's quiet hours ("HH:MM" to "HH:MM" in
 * site time, possibly across midnight). Pure: `now` in, the earliest allowed
 * instant out (`now` itself when outside the quiet hours).
 */
export function quietUntil(now: number, quiet: { from: string; to: string } | null, timeZone: string): number {
  if (!quiet) return now;
  const from = minutes(quiet.from);
  const to = minutes(quiet.to);
  if (from === to) return now;
  const p = localParts(now, timeZone);
  const m = p.minuteOfDay;
  const inside = from < to ? m >= from && m < to : m >= from || m < to;
  if (!inside) return now;
  const wait = (to - m + 24 * 60) % (24 * 60);
  // Whole minutes from the start of this local minute; DST shifts are absorbed by the next check.
  return now - (now % 60_000) + wait * 60_000;
}

/** Start (epoch ms) of the local day containing `now`, and of the next one. */
export function localDayBounds(now: number, timeZone: string): { start: number; next: number } {
  const p = localParts(now, timeZone);
  const start = now - (now % 60_000) - p.minuteOfDay * 60_000;
  return { start, next: start + 24 * 60 * 60_000 };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
