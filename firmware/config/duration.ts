/**
 * Human-friendly durations for the YAML configuration: `500ms`, `30s`, `5m`,
 * `2h`, `1d`, `1h30m`, `1.5s`, `1h 30m`. Keys in the file keep the names of
 * `GatewayConfig` in gateway/config/types.ts (`ringTimeoutMs: 15s`), so a bare number is always
 * milliseconds and a string always needs a unit.
 *
 * @module
 */

/** Milliseconds per unit. Lower-case only: `M` would read as "month" to some. */
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;

/** Units from largest to smallest; parts must follow this order (`30m1h` is a typo, not 90 minutes). */
const ORDER: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

// `ms` before `m` so "500ms" is not read as 500 minutes followed by garbage.
const PART = /(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)/y;

/**
 * Parse a duration string into whole milliseconds.
 *
 * @param text e.g. `'30s'`, `'5m'`, `'1h30m'`, `'500ms'`, `'1.5s'`; surrounding and
 *   inter-part spaces are allowed.
 * @returns milliseconds, or `undefined` when the text is not a duration: no unit
 *   (`'15'` is ambiguous, write `15s` or the number `15000`), unknown unit, units
 *   out of order or repeated, or a result that is not a whole number of
 *   milliseconds (`'0.5ms'`).
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  let pos = 0;
  let total = 0;
  let lastRank = -1;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    const unit = m[2] as Unit;
    const rank = ORDER.indexOf(unit);
    if (rank <= lastRank) return undefined;
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[unit];
    pos = PART.lastIndex;
    while (s[pos] === ' ') pos++;
  }
  // 1.1s is 1100.0000000000002 in binary floating point: round away the noise,
  // but still reject real sub-millisecond values.
  const rounded = Math.round(total);
  if (Math.abs(rounded - total) > 1e-6 || !Number.isSafeInteger(rounded)) return undefined;
  return rounded;
}

/**
 * Format milliseconds the way a person would write them in the YAML
 * (`90000` → `'1m30s'`, `0` → `'0s'`); used in error messages and the CLI.
 *
 * @param ms non-negative whole milliseconds
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ORDER) {
    const size = UNIT_MS[unit];
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
