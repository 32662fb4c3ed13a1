import path from 'node:path';
import { CcgateError } from '../core/errors.ts';

/**
 * Rotation of the queue_log, as logrotate does it without `dateext`:
 * `queue_log` → `queue_log.1` (newest) … `queue_log.N` (oldest kept).
 * Pure decisions only; the writer does the I/O (QueueLogWriter, queueLogFiles).
 */
export interface QueueLogRotateOptions {
  /** Rotate before a write that would take the file past this many bytes; null: no size limit. */
  maxBytes: number | null;
  /** Rotate at the first write after site-local midnight. */
  daily: boolean;
  /** Rotated files kept (logrotate's `rotate N`), at least 1: the newest one holds the tail a restart reconciles. */
  keep: number;
  /** IANA zone of the site, for `daily`. */
  timeZone: string;
  /** The injected clock's time, epoch ms. */
  now: () => number;
}

/** Why a rotation happens now; null when it does not. */
export type RotateReason = 'size' | 'daily' | null;

/** What shouldRotate looks at, before the lines of one event are appended. */
export interface RotateInput {
  /** Bytes in the current file. */
  size: number;
  /** Bytes of the event's lines about to be appended. */
  incoming: number;
  /** Site-local date (YYYY-MM-DD) of the last write to the current file; null when unknown or empty. */
  fileDay: string | null;
  /** Site-local date now. */
  today: string;
  maxBytes: number | null;
  daily: boolean;
}

/**
 * Rotate before appending an event's lines? Never for an empty file (nothing
 * to keep) nor for an event that writes nothing (rotation is "at the first
 * write"). By size, a file grows past maxBytes only when one event's lines
 * are longer than that on their own. By day, only forward: a clock set back
 * (a Pi without RTC before NTP) does not rotate.
 */
export function shouldRotate(s: RotateInput): RotateReason {
  if (s.size === 0 || s.incoming === 0) return null;
  if (s.maxBytes !== null && s.size + s.incoming > s.maxBytes) return 'size';
  if (s.daily && s.fileDay !== null && s.today > s.fileDay) return 'daily';
  return null;
}

/** Name of rotated file `index` (1 = newest). */
export function rotatedPath(file: string, index: number): string {
  return `${file}.${index}`;
}

/** Indices of rotated files of `file` among the names of its directory, ascending (newest first). */
export function rotatedIndices(file: string, names: readonly string[]): number[] {
  const prefix = `${path.basename(file)}.`;
  const out: number[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const rest = n.slice(prefix.length);
    // Only logrotate's own names: `queue_log.1`, not `queue_log.1.gz` or `queue_log.01`.
    if (/^[1-9][0-9]*$/.test(rest)) out.push(Number(rest));
  }
  return out.sort((a, b) => a - b);
}

/** Renames in order (each atomic, replacing its target), then deletions. */
export interface RotationPlan {
  renames: { from: string; to: string }[];
  unlinks: string[];
}

/**
 * Which renames rotate `file`, given the rotated files that exist.
 *
 * Files shift up by one from the highest down, so a crash between two renames
 * leaves a gap but every file's index still orders it by age. The shift stops
 * at the first gap: `queue_log`, `.2`, `.3` (left by such a crash) becomes
 * `.1`, `.2`, `.3` without moving the others, which is where the interrupted
 * rotation was going. When `.1`…`.keep` all exist, renaming `.keep-1` onto
 * `.keep` drops the oldest. Files beyond `keep` (keep lowered) are deleted.
 */
export function rotationPlan(file: string, existing: readonly number[], keep: number): RotationPlan {
  const have = new Set(existing);
  let gap = 1;
  while (have.has(gap) && gap <= keep) gap++;
  const renames: { from: string; to: string }[] = [];
  for (let i = Math.min(gap, keep) - 1; i >= 1; i--) renames.push({ from: rotatedPath(file, i), to: rotatedPath(file, i + 1) });
  renames.push({ from: file, to: rotatedPath(file, 1) });
  const unlinks = existing.filter((i) => i > keep).map((i) => rotatedPath(file, i));
  return { renames, unlinks };
}

/** Refuse options that would break exactly-once or rotate endlessly. */
export function validateRotateOptions(o: QueueLogRotateOptions): void {
  const bad = (option: string, expected: string, value: unknown): CcgateError =>
    new CcgateError('CONFIG_INVALID', `queue_log ${option}: expected ${expected}`, { option, value });
  if (!Number.isInteger(o.keep) || o.keep < 1) throw bad('rotate.keep', 'a whole number of files, at least 1', o.keep);
  if (o.maxBytes !== null && !(Number.isFinite(o.maxBytes) && o.maxBytes > 0)) throw bad('rotate.maxBytes', 'a size in bytes greater than 0, or null', o.maxBytes);
}
