/**
 * How figures are written, shared by the terminal view and every board:
 * durations, the wallboard's mm:ss, whole percents. Western digits here;
 * boards in Persian convert them with toLocalDigits.
 */

/** m:ss below an hour, h:mm:ss above; '-' for null (no data, never shown as 0). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** mm:ss with two-digit minutes, the wallboard form for "longest wait". */
export function mmss(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total >= 3600) return duration(ms);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** A 0–1 fraction as a whole percent; '-' for no data. */
export function percent(f: number | null | undefined): string {
  return f === null || f === undefined || !Number.isFinite(f) ? '-' : `${Math.round(f * 100)}%`;
}
