import path from 'node:path';
import { StoreError } from '../core/errors.ts';
import type { Logger } from '../core/Logger.ts';
import { rotatedIndices, rotatedPath, rotationPlan } from './QueueLogRotation.ts';

/**
 * The node:fs calls made on the queue_log files. QueueLogWriter, the one core
 * file allowed to touch the disk (test/architecture.test.ts), hands node:fs in.
 */
export interface QueueLogFs {
  statSync(path: string): { size: number };
  readdirSync(path: string): string[];
  openSync(path: string, flags: string): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
  truncateSync(path: string, len: number): void;
  fsyncSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

/** The end of the logical file as found on open. */
export interface LogicalTail {
  /** Complete lines, oldest first: the end of the rotated files, then the current file. */
  lines: string[];
  /** Last line of the current file; null when it is empty. */
  currentLast: string | null;
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

/** A step of a rotation that failed, for the writer to report. */
export interface RotationFailure {
  e: unknown;
  op: string;
  extra: Record<string, unknown>;
}

/**
 * The queue_log file and its rotated files on disk: the logical tail a
 * restart reconciles, the renames of a rotation, disk usage. The writer owns
 * the order of calls and the open file.
 */
export class QueueLogFiles {
  constructor(
    private readonly fs: QueueLogFs,
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  /** Report an I/O failure: logged here, returned as the StoreError to throw. */
  ioError(e: unknown, op: string, extra: Record<string, unknown> = {}): StoreError {
    const code = (e as NodeJS.ErrnoException).code;
    this.log.error({ path: this.file, op, code, ...extra, err: String(e) }, 'queue_log I/O failed');
    return new StoreError(code === 'ENOSPC' ? 'STORE_DISK_FULL' : 'STORE_FAILED', `queue_log ${op} failed: ${this.file}`, { path: this.file, op, code, ...extra }, e);
  }

  /** Indices of the rotated files on disk, newest (1) first. */
  listRotated(): number[] {
    return rotatedIndices(this.file, this.fs.readdirSync(path.dirname(this.file)));
  }

  /**
   * Read the last `budget` bytes of the logical file: the rotated files from
   * the oldest to `.1`, then the current file. Right after a rotation the
   * current file is empty or short and the lines a replay repeats are at the
   * end of `.1` (or further back when rotations came faster than cursor
   * commits), so the tail spans files. A partial last line of the current
   * file (a write cut by power loss) is dropped from the file; its event is
   * after the cursor and will be written again whole.
   */
  readLogicalTail(budget: number): LogicalTail {
    let remaining = budget;
    const current = this.readEnd(this.file, remaining, true);
    remaining -= current.bytesRead;
    const parts: string[][] = [current.lines];
    for (const i of this.listRotated()) {
      if (remaining <= 0) break;
      // Rotated files end with a whole line: only a file with complete lines is renamed.
      const r = this.readEnd(rotatedPath(this.file, i), remaining, false);
      remaining -= r.bytesRead;
      parts.unshift(r.lines);
    }
    return { lines: parts.flat(), currentLast: current.lines.at(-1) ?? null };
  }

  /** Sizes of the current file and of every rotated one, including any left beyond `keep`. */
  diskBytes(): QueueLogDiskBytes {
    const current = this.sizeOf(this.file);
    const rotated = this.listRotated().map((i) => ({ path: rotatedPath(this.file, i), bytes: this.sizeOf(rotatedPath(this.file, i)) }));
    return { current, rotated, total: rotated.reduce((n, r) => n + r.bytes, current) };
  }

  /**
   * Rename the file to `.1`, shifting the older rotated files up
   * (rotationPlan). `fd` (the open current file) is fsynced first: the renamed
   * file holds the tail a restart reconciles. Stops at the first failed
   * rename, since a later one would overwrite the file that one was to move;
   * a rename is atomic, so a failure changes nothing and the current file
   * stays where it was.
   */
  renameForRotation(fd: number | null, keep: number): { ok: true; unlinks: string[] } | { ok: false; failure: RotationFailure } {
    let plan;
    try {
      if (fd !== null) this.fs.fsyncSync(fd);
    } catch (e) {
      return { ok: false, failure: { e, op: 'fsync', extra: {} } };
    }
    try {
      plan = rotationPlan(this.file, this.listRotated(), keep);
    } catch (e) {
      return { ok: false, failure: { e, op: 'readdir', extra: {} } };
    }
    for (const { from, to } of plan.renames) {
      try {
        this.fs.renameSync(from, to);
      } catch (e) {
        return { ok: false, failure: { e, op: 'rename', extra: { from, to } } };
      }
    }
    return { ok: true, unlinks: plan.unlinks };
  }

  /** After the renames: delete rotated files beyond `keep`, fsync the directory. Returns the first failure. */
  finishRotation(unlinks: readonly string[]): RotationFailure | null {
    let failure: RotationFailure | null = null;
    for (const u of unlinks) {
      try {
        this.fs.unlinkSync(u);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failure ??= { e, op: 'unlink', extra: { file: u } };
      }
    }
    const dir = path.dirname(this.file);
    try {
      // Makes the renames and the fresh file's name durable.
      const fd = this.fs.openSync(dir, 'r');
      try {
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
    } catch (e) {
      failure ??= { e, op: 'fsync', extra: { dir } };
    }
    return failure;
  }

  /** Size of `file`, 0 when it does not exist. */
  private sizeOf(file: string): number {
    try {
      return this.fs.statSync(file).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
  }

  /** Complete lines in the last `budget` bytes of one file; `repair` cuts a partial last line off the file. */
  private readEnd(file: string, budget: number, repair: boolean): { lines: string[]; bytesRead: number } {
    const size = this.sizeOf(file);
    const len = Math.min(size, budget);
    if (len <= 0) return { lines: [], bytesRead: 0 };
    const buf = Buffer.alloc(len);
    const fd = this.fs.openSync(file, 'r');
    try {
      this.fs.readSync(fd, buf, 0, len, size - len);
    } finally {
      this.fs.closeSync(fd);
    }
    const lastNl = buf.lastIndexOf(0x0a);
    // Without a newline in a part read, the line's start is unknown: leave it.
    if (lastNl !== len - 1 && (lastNl >= 0 || len === size)) {
      const cut = len - (lastNl + 1);
      const text = buf.subarray(lastNl + 1).toString('utf8');
      if (repair) {
        this.log.warn({ path: file, bytes: cut, text }, 'dropping partial last line of queue_log');
        this.fs.truncateSync(file, size - cut);
      } else {
        this.log.warn({ path: file, bytes: cut, text }, 'rotated queue_log ends in a partial line; not comparing it');
      }
    }
    const lines = buf.subarray(0, lastNl + 1).toString('utf8').split('\n');
    lines.pop();
    // The first line may start mid-line (and mid-character) when only the end was read.
    if (len < size) lines.shift();
    return { lines, bytesRead: len };
  }
}

/** Time of a queue_log line (epoch ms) from its epoch-seconds field; null when unreadable. */
export function lineEpochMs(line: string): number | null {
  const s = Number(line.slice(0, line.indexOf('|')));
  return line.includes('|') && Number.isFinite(s) && s > 0 ? s * 1000 : null;
}
