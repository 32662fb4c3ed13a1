import fs from 'node:fs';
import type { StoreError } from '../core/errors.ts';
import { localParts } from '../core/localTime.ts';
import { silentLogger, type Logger } from '../core/Logger.ts';
import type { EventConsumer, StoredEvent } from '../events.ts';
import { formatQueueLog, QueueLogState } from './formatQueueLog.ts';
import { replayedEvents } from './replayedEvents.ts';
import { lineEpochMs, QueueLogFiles, type QueueLogDiskBytes } from './QueueLogFiles.ts';
import { shouldRotate, validateRotateOptions, type QueueLogRotateOptions, type RotateReason } from './QueueLogRotation.ts';

/** Options of QueueLogWriter. */
export interface QueueLogWriterOptions {
  /** Last event seq whose lines are in the file (durable, e.g. store meta). */
  getCursor(): number;
  /** Record that every line up to event `seq` is in the file. */
  setCursor(seq: number): void;
  logger?: Logger;
  /** Queues of an agent that logged in before the events this writer has seen (for REMOVEMEMBER/PAUSE). */
  memberQueues?: (agent: string) => readonly string[];
  /** Bytes at the end of the file compared with replayed lines after a restart; default 256 KiB. */
  tailBytes?: number;
  /** Rotate the file as logrotate would (`queue_log.1` … `.keep`); absent: the file grows without bound. */
  rotate?: QueueLogRotateOptions;
}

/** Lines of one event not yet known to be in the file. */
interface Pending {
  seq: number;
  lines: string[];
}

const DEFAULT_TAIL_BYTES = 256 * 1024;
/** Cursor is advanced at least this often within a large batch, which bounds what a restart must reconcile. */
const CHUNK_BYTES = 64 * 1024;
/** A failed rotation is tried again after this long (ms, rotate.now): a lasting fault logs once a minute, not per event. */
const ROTATE_RETRY_MS = 60_000;

/**
 * Appends queue_log lines for committed events, exactly once across crashes.
 *
 * The file and the cursor cannot be updated atomically together: lines are
 * written first and the cursor set after, so a crash in between (or a cursor
 * still waiting for the store's group commit) leaves lines in the file that
 * the replay will produce again. On open the writer therefore
 * 1. drops a partial last line (a write cut by power loss; its event is
 *    after the cursor and will be written again whole), and
 * 2. keeps the file's last lines; the first replayed lines that equal the
 *    end of the file are recognised as already written and skipped.
 * Lines are deterministic for an event sequence, so the comparison is exact.
 * The one writer per file appends in seq order and never rewrites a line.
 *
 * With `rotate`, the file is renamed to `.1` between two events' lines and a
 * fresh one opened (QueueLogRotation). The end of the file a restart compares
 * with is then the logical one: the end of `.1` (and older ones if needed)
 * followed by the current file, so a crash anywhere around a rotation neither
 * loses nor repeats a line. A failed rename leaves the lines in the current file.
 */
export class QueueLogWriter implements EventConsumer {
  readonly name = 'queue_log';
  private readonly log: Logger;
  private readonly state: QueueLogState;
  private readonly files: QueueLogFiles;
  private fd: number | null = null;
  private cursor: number;
  /** Highest seq applied to the membership state; lower seqs are skipped. */
  private observed = Number.NEGATIVE_INFINITY;
  /** End of the file as found on open, while a replay may still repeat it; null when settled. */
  private tail: string[] | null = null;
  private pending: Pending[] = [];
  /** Bytes in the current file. */
  private size = 0;
  /** Site-local date of the last write to the current file; null while unknown (then no daily rotation). */
  private fileDay: string | null = null;
  /** rotate.now before which a failed rotation is not tried again. */
  private rotateRetryAt = Number.NEGATIVE_INFINITY;

  /**
   * @param path queue_log file; created if missing, always appended to.
   * Opens the file at once: a wrong path fails at startup, not on the first call.
   */
  constructor(
    private readonly path: string,
    private readonly opts: QueueLogWriterOptions,
  ) {
    if (opts.rotate) validateRotateOptions(opts.rotate);
    this.log = (opts.logger ?? silentLogger).child({ component: 'queue_log' });
    this.files = new QueueLogFiles(fs, path, this.log);
    this.state = new QueueLogState(opts.memberQueues);
    this.cursor = opts.getCursor();
    this.open();
  }

  /** Write the lines of one event. See consumeBatch. */
  consume(ev: StoredEvent): void {
    this.consumeBatch([ev]);
  }

  /**
   * Write the lines of events in seq order with one write per chunk, then
   * advance the cursor. Events at or below the cursor only update membership
   * state. On an I/O error the lines stay buffered, are retried by the next
   * call, and a StoreError is thrown. A failed rotation throws only after
   * every line was written (its context has `rotation`): nothing is pending.
   */
  consumeBatch(evs: readonly StoredEvent[]): void {
    for (const ev of evs) {
      // Each event is applied once, in order, even if fed again.
      if (ev.seq <= this.observed) continue;
      this.observed = ev.seq;
      if (ev.seq <= this.cursor) {
        // Written before a restart: learn membership, write nothing.
        this.state.observe(ev);
        continue;
      }
      const lines = formatQueueLog(ev, this.state);
      this.state.observe(ev);
      this.pending.push({ seq: ev.seq, lines });
    }
    this.drain();
  }

  /** Write anything buffered and fsync the file. */
  flush(): void {
    this.drain();
    if (this.fd !== null) fs.fsyncSync(this.fd);
  }

  /**
   * Close the file. Lines still held for reconciliation are not written and
   * the cursor not advanced: the next start replays those events.
   */
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  /** Bytes of the current file and of each rotated one, for the storage budget and `ccgate status`. */
  diskBytes(): QueueLogDiskBytes {
    try {
      return this.files.diskBytes();
    } catch (e) {
      throw this.ioError(e, 'stat');
    }
  }

  private open(): void {
    let found;
    try {
      found = this.files.readLogicalTail(this.opts.tailBytes ?? DEFAULT_TAIL_BYTES);
    } catch (e) {
      throw this.ioError(e, 'read');
    }
    this.tail = found.lines.length > 0 ? found.lines : null;
    try {
      this.fd = fs.openSync(this.path, 'a');
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      this.dropFd();
      throw this.ioError(e, 'open');
    }
    // The last line's own time stands for the last write across a restart.
    const lastAt = found.currentLast === null ? null : lineEpochMs(found.currentLast);
    this.fileDay = lastAt === null || !this.opts.rotate ? null : localParts(lastAt, this.opts.rotate.timeZone).date;
  }

  private drain(): void {
    if (this.fd === null) this.open();
    if (this.tail !== null && !this.reconcile()) return;
    let chunk: string[] = [];
    let bytes = 0;
    let last = this.cursor;
    let rotateError: StoreError | null = null;
    const rotate = this.opts.rotate;
    // Time stands still within one synchronous call: read the clock once.
    const now = rotate?.now() ?? 0;
    const today = rotate?.daily ? localParts(now, rotate.timeZone).date : '';
    const flushChunk = (): void => {
      if (last === this.cursor) return;
      this.write(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
      if (rotate?.daily && chunk.length > 0) this.fileDay = today;
      this.cursor = last;
      this.opts.setCursor(last);
      this.pending = this.pending.filter((p) => p.seq > last);
      chunk = [];
      bytes = 0;
    };
    for (const p of [...this.pending]) {
      const incoming = p.lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      const reason: RotateReason =
        rotate && now >= this.rotateRetryAt
          ? shouldRotate({ size: this.size + bytes, incoming, fileDay: this.fileDay, today, maxBytes: rotate.maxBytes, daily: rotate.daily })
          : null;
      if (rotate && reason !== null) {
        // Only between events: everything before this one goes to the file being rotated.
        flushChunk();
        rotateError ??= this.rotate(reason, now, rotate.keep);
      }
      chunk.push(...p.lines);
      bytes += incoming;
      last = p.seq;
      if (bytes >= CHUNK_BYTES) flushChunk();
    }
    flushChunk();
    if (rotateError) throw rotateError;
  }

  /**
   * Rename the current file to `.1` (shifting older ones) and open a fresh
   * one. Returns the error to report once the lines are written: a failed
   * rename changes nothing, so the lines go on into the current file.
   */
  private rotate(reason: Exclude<RotateReason, null>, now: number, keep: number): StoreError | null {
    const renamed = this.files.renameForRotation(this.fd, keep);
    if (!renamed.ok) {
      this.rotateRetryAt = now + ROTATE_RETRY_MS;
      return this.ioError(renamed.failure.e, renamed.failure.op, { rotation: reason, ...renamed.failure.extra });
    }
    this.dropFd();
    try {
      this.fd = fs.openSync(this.path, 'a');
    } catch (e) {
      // Nothing written is lost; the lines wait and the next call opens the file.
      throw this.ioError(e, 'open');
    }
    this.size = 0;
    this.fileDay = null;
    this.log.info({ path: this.path, reason, keep }, 'queue_log rotated');
    const f = this.files.finishRotation(renamed.unlinks);
    return f && this.ioError(f.e, f.op, { rotation: reason, ...f.extra });
  }

  /**
   * Compare pending lines with the end of the file found on open. Returns
   * true when settled (pending now holds only lines to write) and false to
   * hold the lines until more replayed events show whether they repeat the file.
   */
  private reconcile(): boolean {
    const tail = this.tail;
    if (tail === null) return true;
    if (this.pending.every((p) => p.lines.length === 0)) return true;
    const found = replayedEvents(tail, this.pending);
    if (found === 'hold') return false;
    if (found.events > 0) {
      const seq = this.pending[found.events - 1]?.seq ?? this.cursor;
      this.log.info({ path: this.path, lines: found.lines, upToSeq: seq }, 'queue_log already held these lines before the restart; not writing them again');
      this.pending = this.pending.slice(found.events);
      this.cursor = seq;
      this.opts.setCursor(seq);
    }
    this.tail = null;
    return true;
  }

  private write(text: string): void {
    if (text === '' || this.fd === null) return;
    const buf = Buffer.from(text, 'utf8');
    try {
      let off = 0;
      while (off < buf.length) {
        const n = fs.writeSync(this.fd, buf, off, buf.length - off);
        off += n;
        this.size += n;
      }
    } catch (e) {
      // Part of the chunk may be in the file: reopen on the next call, which
      // drops a partial line and reconciles the complete ones.
      this.dropFd();
      throw this.ioError(e, 'write');
    }
  }

  /** Close the file without throwing: called when already failing or after the file was renamed. */
  private dropFd(): void {
    const fd = this.fd;
    this.fd = null;
    try {
      if (fd !== null) fs.closeSync(fd);
    } catch {
      // The error being reported (or none) matters more than this one.
    }
  }

  private ioError(e: unknown, op: string, extra: Record<string, unknown> = {}): StoreError {
    return this.files.ioError(e, op, extra);
  }
}
