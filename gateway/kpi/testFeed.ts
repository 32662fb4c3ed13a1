import type { KpiConfig } from '../config/types.ts';
import type { DeliveryKind, GatewayEvent, StoredEvent } from '../events.ts';
import { KpiAggregator } from './KpiAggregator.ts';

/** Test support for gateway/kpi/*.test.ts: hand-written event sequences in site time. */

export const TZ = 'Asia/Tehran';

/** Asia/Tehran is UTC+03:30 all year (no DST since 2022). Epoch ms of a local wall-clock time. */
export function tehran(y: number, mo: number, d: number, h: number, mi = 0, s = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) - 3.5 * 3_600_000;
}

export const CONFIG: KpiConfig = {
  serviceLevelSec: 20,
  serviceLevelTarget: 0.8,
  shortAbandonSec: 5,
  slAbandonTreatment: 'ignored',
  fcrWindowHours: 24,
};

/**
 * Collects events (in any order), then hands them to the aggregator sorted
 * by time with gap-free seqs, as the event log would. `log` keeps every
 * stored event for replay tests.
 */
export class Feed {
  readonly log: StoredEvent[] = [];
  private queued: GatewayEvent[] = [];

  constructor(readonly agg: KpiAggregator = new KpiAggregator(CONFIG, TZ)) {}

  add(...evs: GatewayEvent[]): this {
    this.queued.push(...evs);
    return this;
  }

  /** Consume everything added so far (or only events at or before `until`), oldest first; ties keep insertion order. */
  run(until = Number.POSITIVE_INFINITY): KpiAggregator {
    const sorted = this.queued.sort((a, b) => a.at - b.at);
    const evs = sorted.filter((e) => e.at <= until);
    this.queued = sorted.filter((e) => e.at > until);
    for (const ev of evs) {
      const stored: StoredEvent = { ...ev, seq: this.log.length + 1 };
      this.log.push(stored);
      this.agg.consume(stored);
    }
    return this.agg;
  }

  enter(callId: string, queue: string, at: number, opts: { number?: string; kind?: DeliveryKind } = {}): this {
    return this.add({ type: 'queueEntered', at, callId, queue, callerNumber: opts.number ?? '', position: 1, priority: 0, joinedAt: at, kind: opts.kind ?? 'inbound' });
  }

  /** Enter at `at`, connect after `waitMs`, complete after `talkMs` more. */
  answered(callId: string, queue: string, at: number, waitMs: number, talkMs: number, opts: { number?: string; kind?: DeliveryKind; agent?: string } = {}): this {
    const agent = opts.agent ?? 'a1';
    const kind = opts.kind ?? 'inbound';
    this.enter(callId, queue, at, opts);
    return this.add(
      { type: 'queueConnected', at: at + waitMs, callId, queue, agent, waitMs, ringMs: 1000, kind },
      { type: 'queueCompleted', at: at + waitMs + talkMs, callId, queue, agent, by: 'caller', dropped: false, waitMs, talkMs, origPosition: 1 },
    );
  }

  /** Enter at `at` and leave after `waitMs` for `reason`. */
  left(callId: string, queue: string, at: number, waitMs: number, reason: 'abandon' | 'timeout' | 'key' | 'empty' | 'restart', number = ''): this {
    this.enter(callId, queue, at, { number });
    return this.add({ type: 'queueExited', at: at + waitMs, callId, queue, reason, position: 1, origPosition: 1, waitMs, ...(reason === 'key' ? { key: '1' } : {}) });
  }
}
