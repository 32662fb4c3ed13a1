import type { Clock, Timer } from '../core/Clock.ts';
import { silentLogger, type Logger } from '../core/Logger.ts';
import type { StoredEvent } from '../events.ts';
import type { DurableCursor } from '../retention/DurableCursors.ts';
import type { SyncLink } from './link/SyncLink.ts';
import { encodeBatchOf, encodeEvent, encodeStoredJson, type OutboxFigures } from './payloads.ts';

/** What the publisher reads: the store's event log. */
export interface EventSource {
  /** Events with seq > afterSeq, oldest first, at most `limit`. */
  readEvents(afterSeq: number, limit: number): StoredEvent[];
  /**
   * The same events as stored: each one's JSON (without `seq`), never parsed.
   * Optional; where the store has it, a drain neither parses nor rebuilds
   * each event, which is most of its CPU and garbage.
   */
  readEventRows?(afterSeq: number, limit: number): Array<{ seq: number; data: string }>;
}

export interface EventPublisherOptions {
  link: SyncLink;
  source: EventSource;
  /** The `cloud` cursor: every event up to it was acknowledged by the broker. */
  cursor: DurableCursor;
  /** Highest committed seq when the publisher starts (later ones arrive through {@link committed}). */
  committedSeq: number;
  topic: string;
  /** `tenant/site/unit`, in every batch. */
  unit: string;
  /** The event log's identity (ids are `log:seq`). */
  log: string;
  clock: Clock;
  /**
   * The highest seq the broker acknowledged in an unbroken run from the start
   * (the cursor may be ahead of it where retention cut events the cloud never
   * got): kept durably beside the cursor. Absent: the cursor.
   */
  delivered?: { get(): number; set(seq: number): void };
  /** Run a store write as an input of the core, so it is committed (the cursor). */
  runInput(what: string, fn: () => void): void;
  /** Batches published and not yet acknowledged; default 8. */
  window?: number;
  /** Events per batch; default 100. */
  batchEvents?: number;
  /** Bytes of JSON per batch, at most (one larger event still goes alone); default 64 KiB. */
  batchBytes?: number;
  /** How often acknowledged progress is written to the store, ms; default 1 000. */
  saveEveryMs?: number;
  logger?: Logger;
}

/**
 * A batch the broker refused while the connection stayed up (an MQTT 5
 * PUBACK with a failure reason code: the unit's ACL, a quota, a payload
 * limit) is sent again after this pause, doubling up to the maximum: the
 * events wait in the store until an operator fixes the broker, and go as
 * soon as it accepts them.
 */
export const REFUSED_RETRY = { initialMs: 5_000, maxMs: 300_000 } as const;

interface InFlight {
  first: number;
  last: number;
  done: boolean;
}

/**
 * Publishes the event log to the cloud: the log is the outbox. It reads
 * committed events from its own durable cursor (pull: nothing is pushed into
 * an in-memory queue that a crash would lose), publishes them in seq order as
 * batches at QoS 1 with at most `window` unacknowledged, and moves the cursor
 * only over a contiguous run of PUBACKs. Progress is saved at most once per
 * `saveEveryMs`, so a restart may resend an acknowledged tail; every event
 * keeps its id, and the cloud dedupes on it.
 *
 * When the connection drops, every batch not acknowledged is sent again after
 * the next `up`, from the first unacknowledged event.
 */
export class EventPublisher {
  private readonly log: Logger;
  private readonly window: number;
  private readonly batchEvents: number;
  private readonly batchBytes: number;
  private readonly saveEveryMs: number;
  private committedSeq: number;
  /** Every event up to here is acknowledged (may be ahead of what is saved). */
  private acked: number;
  private saved: number;
  /** Highest seq handed to the link on the current connection. */
  private sentThrough: number;
  /** Highest seq ever handed to the link by this process: below it a batch is a replay. */
  private sentHigh: number;
  private inflight: InFlight[] = [];
  /** Highest seq acknowledged by the broker itself (never moved by retention). */
  private delivered: number;
  /** Last seq handed to the link on this connection, or `delivered` after a (re)connect: a batch starting further on says what the cloud will never get. */
  private prevSent: number;
  /** Bumped on every connection: answers from an older one are ignored. */
  private generation = 0;
  private saveTimer: Timer | null = null;
  /** The pause after a refused batch, and why; null while the broker accepts. */
  private refusal: { detail: string; at: number; retryAt: number; timer: Timer } | null = null;
  private refusedDelayMs: number = REFUSED_RETRY.initialMs;
  private running = false;
  private readonly onUp = (): void => this.connected();
  private readonly onDown = (): void => this.disconnected();

  constructor(private readonly o: EventPublisherOptions) {
    this.log = (o.logger ?? silentLogger).child({ component: 'sync' });
    this.window = o.window ?? 8;
    this.batchEvents = o.batchEvents ?? 100;
    this.batchBytes = o.batchBytes ?? 64 * 1024;
    this.saveEveryMs = o.saveEveryMs ?? 1_000;
    this.committedSeq = o.committedSeq;
    this.acked = this.saved = o.cursor.get();
    this.sentThrough = this.acked;
    this.delivered = this.prevSent = o.delivered?.get() ?? this.acked;
    // Events after the saved cursor may have been sent before a restart.
    this.sentHigh = o.committedSeq;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.o.link.on('up', this.onUp);
    this.o.link.on('down', this.onDown);
    if (this.o.link.status.state === 'up') this.connected();
  }

  /** Stop publishing and save the acknowledged position. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.o.link.off('up', this.onUp);
    this.o.link.off('down', this.onDown);
    this.generation++;
    this.inflight = [];
    this.saveTimer?.clear();
    this.refusal?.timer.clear();
    this.refusal = null;
    this.save();
  }

  /** Events up to `seq` are committed (called after every commit). */
  committed(seq: number): void {
    if (seq <= this.committedSeq) return;
    this.committedSeq = seq;
    this.pump();
  }

  /** Outbox depth and the age of its oldest event, for status and the fleet view. */
  figures(): OutboxFigures {
    const from = Math.max(this.acked, this.o.cursor.get());
    const depth = Math.max(0, this.committedSeq - from);
    if (depth === 0) return { depth: 0, oldestAgeMs: 0 };
    const oldest = this.o.source.readEvents(from, 1)[0];
    const refused = this.refusal ? { refused: { detail: this.refusal.detail, at: this.refusal.at, retryAt: this.refusal.retryAt } } : {};
    return { depth, oldestAgeMs: oldest ? Math.max(0, this.o.clock.now() - oldest.at) : 0, ...refused };
  }

  private connected(): void {
    this.refusal?.timer.clear();
    this.refusal = null;
    this.generation++;
    this.inflight = [];
    // Retention may have moved the cursor past events it had to cut.
    this.acked = Math.max(this.acked, this.o.cursor.get());
    this.sentThrough = this.acked;
    this.prevSent = this.delivered;
    this.pump();
  }

  private disconnected(): void {
    this.generation++;
    this.inflight = [];
    this.sentThrough = this.acked;
    this.prevSent = this.delivered;
  }

  private pump(): void {
    if (!this.running || this.refusal || this.o.link.status.state !== 'up') return;
    while (this.inflight.length < this.window && this.sentThrough < this.committedSeq) {
      const events = this.nextBatch();
      if (events.length === 0) {
        // Nothing readable up to the committed seq (cut by retention meanwhile).
        this.sentThrough = this.committedSeq;
        this.markAcked(this.committedSeq);
        break;
      }
      this.send(events);
    }
  }

  /** The next committed events, each encoded once (its JSON sizes the batch and goes on the wire). */
  private nextBatch(): Array<{ seq: number; json: string }> {
    const src = this.o.source;
    const read = src.readEventRows
      ? src.readEventRows(this.sentThrough, this.batchEvents).map((r) => ({ seq: r.seq, json: encodeStoredJson(this.o.log, r.seq, r.data) }))
      : src.readEvents(this.sentThrough, this.batchEvents).map((ev) => ({ seq: ev.seq, json: encodeEvent(this.o.log, ev) }));
    const out: Array<{ seq: number; json: string }> = [];
    let bytes = 0;
    for (const { seq, json } of read) {
      if (seq > this.committedSeq) break;
      // Characters, not bytes: close enough to keep messages well under brokers' limits.
      if (out.length > 0 && bytes + json.length + 1 > this.batchBytes) break;
      out.push({ seq, json });
      bytes += json.length + 1;
    }
    return out;
  }

  private send(events: Array<{ seq: number; json: string }>): void {
    const first = events[0]!.seq;
    const last = events[events.length - 1]!.seq;
    const replay = first <= this.sentHigh;
    // Events between the last one sent (or delivered) and this batch were cut by retention before the cloud had them.
    const missing = first > this.prevSent + 1 ? { fromSeq: this.prevSent + 1, toSeq: first - 1 } : undefined;
    this.prevSent = last;
    const entry: InFlight = { first, last, done: false };
    const gen = this.generation;
    this.inflight.push(entry);
    this.sentThrough = last;
    this.sentHigh = Math.max(this.sentHigh, last);
    const payload = encodeBatchOf(this.o.unit, this.o.log, events, replay, missing);
    this.o.link.publish(this.o.topic, payload, { qos: 1 }).then(
      () => {
        if (gen !== this.generation) return;
        entry.done = true;
        this.advance();
      },
      (e: unknown) => {
        if (gen !== this.generation) return;
        // The connection is gone (`down` resets, the batch goes again after `up`), or, if the link is
        // still up once the link has had its say, the broker refused the batch.
        this.log.debug({ first, last, err: String(e) }, 'event batch not acknowledged');
        this.o.clock.setTimer('sync-refusal-check', 0, () => {
          if (gen === this.generation && this.running && this.o.link.status.state === 'up') this.refused(first, last, e);
        });
      },
    );
  }

  /** Stop sending, keep every event, and send again from the first unacknowledged one after a pause. */
  private refused(first: number, last: number, e: unknown): void {
    const now = this.o.clock.now();
    const delay = this.refusedDelayMs;
    this.refusedDelayMs = Math.min(REFUSED_RETRY.maxMs, delay * 2);
    const detail = e instanceof Error ? e.message : String(e);
    this.log.warn({ first, last, err: detail, retryInMs: delay }, 'the broker refused an event batch: the events stay in the outbox and are sent again later');
    this.generation++;
    this.inflight = [];
    this.sentThrough = this.acked;
    this.prevSent = this.delivered;
    const timer = this.o.clock.setTimer('sync-refused-retry', delay, () => {
      this.refusal = null;
      this.pump();
    });
    this.refusal = { detail, at: now, retryAt: now + delay, timer };
  }

  private advance(): void {
    let moved = false;
    this.refusedDelayMs = REFUSED_RETRY.initialMs;
    while (this.inflight[0]?.done) {
      const last = this.inflight.shift()!.last;
      this.delivered = Math.max(this.delivered, last);
      this.markAcked(last);
      moved = true;
    }
    if (moved) this.pump();
  }

  private markAcked(seq: number): void {
    if (seq <= this.acked) return;
    this.acked = seq;
    if (!this.saveTimer?.pending) this.saveTimer = this.o.clock.setTimer('sync-cursor-save', this.saveEveryMs, () => this.save());
  }

  private save(): void {
    // Never behind a position retention moved the cursor to.
    const to = Math.max(this.acked, this.o.cursor.get());
    if (to <= this.saved && to === this.o.cursor.get()) return;
    this.saved = to;
    const delivered = this.delivered;
    this.o.runInput('syncCursor', () => {
      this.o.cursor.set(to);
      this.o.delivered?.set(delivered);
    });
  }
}
