import { localHourStart, localParts } from '../core/localTime.ts';
import { emptyCounters } from './KpiCounters.ts';
import type { KpiCounters } from './types.ts';

const HOUR_MS = 3_600_000;

/** Counters of one local hour, per queue. */
export interface HourBucket {
  /** Epoch ms of the local hour start. */
  readonly hourStart: number;
  /** Local date YYYY-MM-DD the hour belongs to ('today' = buckets of today's date). */
  readonly date: string;
  /** 'YYYY-MM-DD HH:00', local. */
  readonly label: string;
  readonly queues: Map<string, KpiCounters>;
}

/**
 * Hourly counters keyed by local hour start, keeping only the last
 * `retainHours` hours (48 by default: today plus all of yesterday, which is
 * all a wallboard shows, and bounded memory on a Raspberry Pi). A bucket is
 * created on first use, so hours without activity take no memory.
 */
export class HourlyBuckets {
  private readonly buckets = new Map<number, HourBucket>();
  /** Oldest hour start still retained; older hours are neither kept nor created. */
  private floor = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly timeZone: string,
    private readonly retainHours = 48,
  ) {}

  /** Local hour start (epoch ms) of the instant `ms`. */
  hourStartOf(ms: number): number {
    return localHourStart(ms, this.timeZone);
  }

  /** Local date (YYYY-MM-DD) of the instant `ms`. */
  dateOf(ms: number): string {
    return localParts(ms, this.timeZone).date;
  }

  /**
   * The counters of `queue` in the hour starting at `hourStart`, created if
   * needed; undefined if that hour has already been dropped (too old).
   */
  counters(hourStart: number, queue: string): KpiCounters | undefined {
    if (hourStart < this.floor) return undefined;
    let b = this.buckets.get(hourStart);
    if (!b) {
      const p = localParts(hourStart, this.timeZone);
      b = { hourStart, date: p.date, label: `${p.date} ${String(p.hour).padStart(2, '0')}:00`, queues: new Map() };
      this.buckets.set(hourStart, b);
    }
    let c = b.queues.get(queue);
    if (!c) {
      c = emptyCounters();
      b.queues.set(queue, c);
    }
    return c;
  }

  /**
   * Drop hours older than the retention window ending with the hour of
   * `latestHourStart`. Returns the new floor (oldest retained hour start).
   * Hours are 3600 s apart in every zone whose offset changes by whole
   * hours, so stepping back in ms is exact for Asia/Tehran and DST zones alike.
   */
  prune(latestHourStart: number): number {
    const floor = latestHourStart - (this.retainHours - 1) * HOUR_MS;
    if (floor > this.floor) this.floor = floor;
    for (const h of this.buckets.keys()) if (h < this.floor) this.buckets.delete(h);
    return this.floor;
  }

  get(hourStart: number): HourBucket | undefined {
    return this.buckets.get(hourStart);
  }

  /** Retained buckets, oldest first. */
  list(): HourBucket[] {
    return [...this.buckets.values()].sort((a, b) => a.hourStart - b.hourStart);
  }
}
