import fs from 'node:fs';
import { StoreError } from '../core/errors.ts';
import { silentLogger, type Logger } from '../core/Logger.ts';
import type { EventConsumer, StoredEvent } from '../events.ts';
import { formatQueueLog, QueueLogState } from './formatQueueLog.ts';

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
}

/** Lines of one event not yet known to be in the file. */
interface Pending {
  seq: number;
  lines: string[];
}

const DEFAULT_TAIL_BYTES = 256 * 1024;
/** Cursor is advanced at least this often within a large batch, which bounds what a restart must reconcile. */
const CHUNK_BYTES = 64 * 1024;

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
 */
export class QueueLogWriter implements EventConsumer {
  readonly name = 'queue_log';
  private readonly log: Logger;
  private readonly state: QueueLogState;
  private fd: number | null = null;
  private cursor: number;
  /** Highest seq applied to the membership state; lower seqs are skipped. */
  private observed = Number.NEGATIVE_INFINITY;
  /** End of the file as found on open, while a replay may still repeat it; null when settled. */
  private tail: string[] | null = null;
  private pending: Pending[] = [];

  /**
   * @param path queue_log file; created if missing, always appended to.
   * Opens the file at once: a wrong path fails at startup, not on the first call.
   */
  constructor(
    private readonly path: string,
    private readonly opts: QueueLogWriterOptions,
  ) {
    this.log = (opts.logger ?? silentLogger).child({ component: 'queue_log' });
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
   * call, and a StoreError is thrown.
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

  private open(): void {
    let size = 0;
    try {
      size = fs.statSync(this.path).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw this.ioError(e, 'stat');
    }
    try {
      this.tail = size > 0 ? this.readTail(size) : null;
    } catch (e) {
      throw this.ioError(e, 'read');
    }
    try {
      this.fd = fs.openSync(this.path, 'a');
    } catch (e) {
      throw this.ioError(e, 'open');
    }
  }

  /** Repair a partial last line and return the complete lines at the end of the file. */
  private readTail(size: number): string[] | null {
    const len = Math.min(size, this.opts.tailBytes ?? DEFAULT_TAIL_BYTES);
    const buf = Buffer.alloc(len);
    const fd = fs.openSync(this.path, 'r');
    try {
      fs.readSync(fd, buf, 0, len, size - len);
    } finally {
      fs.closeSync(fd);
    }
    const lastNl = buf.lastIndexOf(0x0a);
    if (lastNl !== len - 1 && (lastNl >= 0 || len === size)) {
      const cut = len - (lastNl + 1);
      this.log.warn({ path: this.path, bytes: cut, text: buf.subarray(lastNl + 1).toString('utf8') }, 'dropping partial last line of queue_log');
      fs.truncateSync(this.path, size - cut);
    }
    const lines = buf.subarray(0, lastNl + 1).toString('utf8').split('\n');
    lines.pop();
    // The first line may start mid-line (and mid-character) when only the tail was read.
    if (len < size) lines.shift();
    return lines.length > 0 ? lines : null;
  }

  private drain(): void {
    if (this.fd === null) this.open();
    if (this.tail !== null && !this.reconcile()) return;
    let chunk: string[] = [];
    let bytes = 0;
    let last = this.cursor;
    const flushChunk = (): void => {
      if (last === this.cursor) return;
      this.write(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
      this.cursor = last;
      this.opts.setCursor(last);
      this.pending = this.pending.filter((p) => p.seq > last);
      chunk = [];
      bytes = 0;
    };
    for (const p of [...this.pending]) {
      for (const l of p.lines) {
        chunk.push(l);
        bytes += l.length + 1;
      }
      last = p.seq;
      if (bytes >= CHUNK_BYTES) flushChunk();
    }
    flushChunk();
  }

  /**
   * Compare pending lines with the end of the file found on open. Returns
   * true when settled (pending now holds only lines to write) and false to
   * hold the lines until more replayed events show whether they repeat the file.
   */
  private reconcile(): boolean {
    const tail = this.tail;
    if (tail === null) return true;
    const all = this.pending.flatMap((p) => p.lines);
    if (all.length === 0) return true;
    // Largest k such that the lines of the first k pending events are
    // exactly the last lines of the file.
    let acc = 0;
    let skip = 0;
    let skipLines = 0;
    for (let k = 0; k < this.pending.length; k++) {
      acc += this.pending[k]?.lines.length ?? 0;
      if (acc > 0 && acc <= tail.length && endsWith(tail, all, acc)) {
        skip = k + 1;
        skipLines = acc;
      }
    }
    if (skip === 0 && occursBeforeEnd(tail, all)) return false;
    if (skip > 0) {
      const seq = this.pending[skip - 1]?.seq ?? this.cursor;
      this.log.info({ path: this.path, lines: skipLines, upToSeq: seq }, 'queue_log already held these lines before the restart; not writing them again');
      this.pending = this.pending.slice(skip);
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
      while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      // Part of the chunk may be in the file: reopen on the next call, which
      // drops a partial line and reconciles the complete ones.
      try {
        fs.closeSync(this.fd);
      } catch {
        // Already failing; the write error is the one to report.
      }
      this.fd = null;
      throw this.ioError(e, 'write');
    }
  }

  private ioError(e: unknown, op: string): StoreError {
    const code = (e as NodeJS.ErrnoException).code;
    this.log.error({ path: this.path, op, code, err: String(e) }, 'queue_log I/O failed');
    return new StoreError(code === 'ENOSPC' ? 'STORE_DISK_FULL' : 'STORE_FAILED', `queue_log ${op} failed: ${this.path}`, { path: this.path, op, code }, e);
  }
}

/** Do the first `n` of `lines` equal the last `n` of `tail`? */
function endsWith(tail: readonly string[], lines: readonly string[], n: number): boolean {
  const off = tail.length - n;
  for (let i = 0; i < n; i++) if (tail[off + i] !== lines[i]) return false;
  return true;
}

/** Do all of `lines` appear in `tail` as a run that stops short of its end (more replayed lines may follow)? */
function occursBeforeEnd(tail: readonly string[], lines: readonly string[]): boolean {
  for (let s = 0; s + lines.length < tail.length; s++) {
    let ok = true;
    for (let i = 0; i < lines.length && ok; i++) ok = tail[s + i] === lines[i];
    if (ok) return true;
  }
  return false;
}
