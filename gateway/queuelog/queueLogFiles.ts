import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../core/errors.ts';
import type { Logger } from '../core/Logger.ts';
import { rotatedIndices, rotatedPath, rotationPlan } from './QueueLogRotation.ts';

/**
 * File I/O of the queue_log and its rotated files: the logical tail a restart
 * reconciles, disk usage, directory fsync. The writer owns the order of calls.
 */

/** Report an I/O failure: logged here, returned as the StoreError to throw. */
export function queueLogIoError(log: Logger, file: string, e: unknown, op: string, extra: Record<string, unknown> = {}): StoreError {
  const code = (e as NodeJS.ErrnoException).code;
  log.error({ path: file, op, code, ...extra, err: String(e) }, 'queue_log I/O failed');
  return new StoreError(code === 'ENOSPC' ? 'STORE_DISK_FULL' : 'STORE_FAILED', `queue_log ${op} failed: ${file}`, { path: file, op, code, ...extra }, e);
}

/** Size of `file`, 0 when it does not exist. */
export function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** Indices of the rotated files of `file` on disk, newest (1) first. */
export function listRotated(file: string): number[] {
  return rotatedIndices(file, fs.readdirSync(path.dirname(file)));
}

/** The end of the logical file as found on open. */
export interface LogicalTail {
  /** Complete lines, oldest first: the end of the rotated files, then the current file. */
  lines: string[];
  /** Last line of the current file; null when it is empty. */
  currentLast: string | null;
}

/**
 * Read the last `budget` bytes of the logical file: the rotated files from the
 * oldest to `.1`, then the current file. Right after a rotation the current
 * file is empty or short and the lines a replay repeats are at the end of
 * `.1` (or further back when rotations came faster than cursor commits), so
 * the tail spans files. A partial last line of the current file (a write cut
 * by power loss) is dropped from the file; its event is after the cursor and
 * will be written again whole.
 */
export function readLogicalTail(file: string, budget: number, log: Logger): LogicalTail {
  let remaining = budget;
  const current = readEnd(file, remaining, true, log);
  remaining -= current.bytesRead;
  const parts: string[][] = [current.lines];
  for (const i of listRotated(file)) {
    if (remaining <= 0) break;
    // Rotated files end with a whole line: only a file with complete lines is renamed.
    const r = readEnd(rotatedPath(file, i), remaining, false, log);
    remaining -= r.bytesRead;
    parts.unshift(r.lines);
  }
  return { lines: parts.flat(), currentLast: current.lines.at(-1) ?? null };
}

/** Complete lines in the last `budget` bytes of one file. */
function readEnd(file: string, budget: number, repair: boolean, log: Logger): { lines: string[]; bytesRead: number } {
  const size = sizeOf(file);
  const len = Math.min(size, budget);
  if (len <= 0) return { lines: [], bytesRead: 0 };
  const buf = Buffer.alloc(len);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, len, size - len);
  } finally {
    fs.closeSync(fd);
  }
  const lastNl = buf.lastIndexOf(0x0a);
  // Without a newline in a part read, the line's start is unknown: leave it.
  if (lastNl !== len - 1 && (lastNl >= 0 || len === size)) {
    const cut = len - (lastNl + 1);
    const text = buf.subarray(lastNl + 1).toString('utf8');
    if (repair) {
      log.warn({ path: file, bytes: cut, text }, 'dropping partial last line of queue_log');
      fs.truncateSync(file, size - cut);
    } else {
      log.warn({ path: file, bytes: cut, text }, 'rotated queue_log ends in a partial line; not comparing it');
    }
  }
  const lines = buf.subarray(0, lastNl + 1).toString('utf8').split('\n');
  lines.pop();
  // The first line may start mid-line (and mid-character) when only the end was read.
  if (len < size) lines.shift();
  return { lines, bytesRead: len };
}

/** Bytes of the queue_log files on disk (file sizes). */
export interface QueueLogDiskBytes {
  /** The file being written. */
  current: number;
  /** Each rotated file, newest (`.1`) first. */
  rotated: { path: string; bytes: number }[];
  /** current + rotated. */
  total: number;
}

/** Sizes of `file` and of every rotated file of it, including any left beyond `keep`. */
export function diskBytesOf(file: string): QueueLogDiskBytes {
  const current = sizeOf(file);
  const rotated = listRotated(file).map((i) => ({ path: rotatedPath(file, i), bytes: sizeOf(rotatedPath(file, i)) }));
  return { current, rotated, total: rotated.reduce((n, r) => n + r.bytes, current) };
}

/** A step of a rotation that failed, for the writer to report. */
export interface RotationFailure {
  e: unknown;
  op: string;
  extra: Record<string, unknown>;
}

/**
 * Rename `file` to `.1`, shifting the older rotated files up (rotationPlan).
 * `fd` (the open current file) is fsynced first: the renamed file holds the
 * tail a restart reconciles. Stops at the first failed rename, since a later
 * one would overwrite the file that one was to move; a rename is atomic, so a
 * failure changes nothing and the current file stays where it was.
 */
export function renameForRotation(file: string, fd: number | null, keep: number): { ok: true; unlinks: string[] } | { ok: false; failure: RotationFailure } {
  let plan;
  try {
    if (fd !== null) fs.fsyncSync(fd);
  } catch (e) {
    return { ok: false, failure: { e, op: 'fsync', extra: {} } };
  }
  try {
    plan = rotationPlan(file, listRotated(file), keep);
  } catch (e) {
    return { ok: false, failure: { e, op: 'readdir', extra: {} } };
  }
  for (const { from, to } of plan.renames) {
    try {
      fs.renameSync(from, to);
    } catch (e) {
      return { ok: false, failure: { e, op: 'rename', extra: { from, to } } };
    }
  }
  return { ok: true, unlinks: plan.unlinks };
}

/** After the renames: delete rotated files beyond `keep`, fsync the directory. Returns the first failure. */
export function finishRotation(file: string, unlinks: readonly string[]): RotationFailure | null {
  let failure: RotationFailure | null = null;
  for (const u of unlinks) {
    try {
      fs.unlinkSync(u);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failure ??= { e, op: 'unlink', extra: { file: u } };
    }
  }
  try {
    fsyncDir(file);
  } catch (e) {
    failure ??= { e, op: 'fsync', extra: { dir: path.dirname(file) } };
  }
  return failure;
}

/** Make renames and creations in the file's directory durable. */
export function fsyncDir(file: string): void {
  const fd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Time of a queue_log line (epoch ms) from its epoch-seconds field; null when unreadable. */
export function lineEpochMs(line: string): number | null {
  const s = Number(line.slice(0, line.indexOf('|')));
  return line.includes('|') && Number.isFinite(s) && s > 0 ? s * 1000 : null;
}
