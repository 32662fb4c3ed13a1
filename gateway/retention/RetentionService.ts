import type { GatewayConfig } from '../config/types.ts';
import type { Clock, Timer } from '../core/Clock.ts';
import type { Logger } from '../core/Logger.ts';
import type { Transactor } from '../core/Transactor.ts';
import type { Store } from '../store/Store.ts';
import { AGED_TABLES, type AgedTable } from '../store/StoreRetention.ts';
import type { DurableCursors } from './DurableCursors.ts';
import { lostRange, planCut, type CutReason } from './retentionPlan.ts';

const DAY_MS = 86_400_000;
/** Events cut per batch: a few milliseconds of work, so calls never wait behind it. */
export const EVENT_BATCH = 2_000;
/** Aged rows deleted per table per batch. */
export const ROW_BATCH = 500;
/** Normal pace; while a backlog remains, batches follow each other `BACKLOG_MS` apart. */
export const TICK_MS = 60_000;
export const BACKLOG_MS = 1_000;
/** Aged tables are looked at this often (their rows age by days). */
const ROWS_EVERY_MS = 3_600_000;
/** Meta key holding the last forced cuts that passed a consumer, for the status alarm. */
export const GAPS_KEY = 'retention:gaps';
const KEEP_GAPS = 20;

/** A consumer that lost events to a hard cap. */
export interface GapRecord {
  consumer: string;
  fromSeq: number;
  toSeq: number;
  reason: Exclude<CutReason, 'kept'>;
  at: number;
}

export interface RetentionDeps {
  config: GatewayConfig;
  store: Store;
  clock: Clock;
  tx: Transactor;
  log: Logger;
  cursors: DurableCursors;
}

/**
 * Keeps the database bounded: cuts the event log from its head and deletes
 * aged finished rows, in small batches on a timer (never inside a call's
 * input), each batch one input of its own so it shares commits with the
 * traffic. SQLite reuses the freed pages, so the file levels off. Over
 * `maxDatabaseMB` the oldest data goes first: finished rows older than the
 * oldest event, then events.
 */
export class RetentionService {
  private timer: Timer | undefined;
  private rowsDueAt = 0;
  /** Rows and events removed since start, for status and the bench. */
  readonly totals = { events: 0, rows: 0, batches: 0 };
  /** The data is over `maxDatabaseMB` and finished rows older than the log are being cut (logged once). */
  private cappingRows = false;

  constructor(private readonly d: RetentionDeps) {}

  start(): void {
    this.schedule(BACKLOG_MS);
  }

  stop(): void {
    this.timer?.clear();
    this.timer = undefined;
  }

  /** One batch of events and, when due, one batch per aged table. Returns true if more work is waiting. */
  runBatch(): boolean {
    const { tx } = this.d;
    let more = false;
    tx.run('retention', () => {
      const now = this.d.clock.now();
      // Over the size cap the oldest data goes first, whatever it is: finished rows (a number's history keeps
      // 90 days, the events a week) older than the oldest event, then the events themselves.
      const used = this.d.store.retention.usage().usedBytes;
      more = this.cutRowsOverCap(now, used) || this.cutEvents(used);
      if (now >= this.rowsDueAt) {
        const full = this.pruneRows(now);
        if (!full) this.rowsDueAt = now + ROWS_EVERY_MS;
        more ||= full;
      }
    });
    this.totals.batches++;
    return more;
  }

  /** The last forced cuts (newest last). */
  gaps(): GapRecord[] {
    try {
      return JSON.parse(this.d.store.getMeta(GAPS_KEY) ?? '[]') as GapRecord[];
    } catch {
      return [];
    }
  }

  private schedule(ms: number): void {
    this.timer = this.d.clock.setTimer('retention', ms, () => {
      let more = false;
      try {
        more = this.runBatch();
      } catch (e) {
        // A failed batch is retried at the normal pace; its changes were rolled back.
        this.d.log.warn({ err: String(e) }, 'retention batch failed');
      }
      this.schedule(more ? BACKLOG_MS : TICK_MS);
    });
  }

  private cutEvents(used: number): boolean {
    const { store, config, tx, log, cursors } = this.d;
    const now = this.d.clock.now();
    const consumers = cursors.all();
    const positions = consumers.map((c) => c.get());
    const plan = planCut(config.retention, {
      now,
      first: store.retention.firstEvent(),
      lastSeq: store.lastEventSeq(),
      cursors: positions,
      usedBytes: used,
    });
    if (!plan) return false;
    const cut = store.retention.pruneEvents(plan.maxSeq, plan.beforeMs, EVENT_BATCH);
    if (!cut) return false;
    this.totals.events += cut.to - cut.from + 1;
    if (plan.reason !== 'kept') {
      const gaps = this.gaps();
      consumers.forEach((c, i) => {
        const lost = lostRange(positions[i]!, cut);
        if (!lost) return;
        // The consumer resumes after the cut; the gap event, later in the log, tells it what it never saw.
        c.set(cut.to);
        tx.emit({ type: 'gap', consumer: c.name, fromSeq: lost.fromSeq, toSeq: lost.toSeq, reason: plan.reason as GapRecord['reason'] });
        gaps.push({ consumer: c.name, ...lost, reason: plan.reason as GapRecord['reason'], at: now });
        log.error({ consumer: c.name, ...lost, reason: plan.reason }, 'retention hard cap cut events a consumer had not read');
      });
      if (gaps.length > 0) store.setMeta(GAPS_KEY, JSON.stringify(gaps.slice(-KEEP_GAPS)));
      if (plan.reason === 'size') log.warn({ usedMB: Math.round(store.retention.usage().usedBytes / 1048576), capMB: config.retention.maxDatabaseMB }, 'database over its size cap: cutting the oldest events');
    }
    return cut.to - cut.from + 1 >= EVENT_BATCH;
  }

  /** Over the size cap: one batch of finished rows older than the log's oldest event. False when none is left. */
  private cutRowsOverCap(now: number, used: number): boolean {
    const { store, config, log } = this.d;
    if (used <= config.retention.maxDatabaseMB * 1024 * 1024) {
      this.cappingRows = false;
      return false;
    }
    const before = store.retention.firstEvent()?.at ?? now;
    let n = 0;
    for (const t of AGED_TABLES) n += store.retention.pruneRows(t, before, ROW_BATCH);
    this.totals.rows += n;
    if (n > 0 && !this.cappingRows) {
      this.cappingRows = true;
      log.warn({ usedMB: Math.round(used / 1048576), capMB: config.retention.maxDatabaseMB, before }, 'database over its size cap: cutting the oldest call history and finished rows, older than any event');
    }
    return n > 0;
  }

  private pruneRows(now: number): boolean {
    const { store, config } = this.d;
    let full = false;
    for (const t of AGED_TABLES) {
      const n = store.retention.pruneRows(t, now - horizonDays(t, config) * DAY_MS, ROW_BATCH);
      this.totals.rows += n;
      full ||= n >= ROW_BATCH;
    }
    return full;
  }
}

/**
 * Days a finished row is kept: what a number's history shows (summaries,
 * surveys, SMS, finished campaigns) for the history period; operational rows
 * (ended calls, finished callbacks, agent contacts) as long as the events.
 * The cloud's command ledger goes with the history: a command redelivered
 * later than that is long stale anyway.
 */
export function horizonDays(table: AgedTable, config: GatewayConfig): number {
  switch (table) {
    case 'history':
    case 'surveys':
    case 'campaigns':
    case 'sms':
    case 'cloudCommands':
      return config.history.keepDays;
    case 'calls':
    case 'callbacks':
    case 'contacts':
      return Math.max(config.retention.eventsKeepDays, 1);
  }
}
