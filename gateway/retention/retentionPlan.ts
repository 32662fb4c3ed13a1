import type { RetentionConfig } from '../config/types.ts';

const DAY_MS = 86_400_000;

/** Why events are cut: every consumer is past them and they are old (`kept`), or a hard cap forces it. */
export type CutReason = 'kept' | 'age' | 'size';

export interface CutPlan {
  /** Cut events with seq ≤ maxSeq and time before beforeMs (from the head of the log). */
  maxSeq: number;
  beforeMs: number;
  reason: CutReason;
}

export interface LogState {
  now: number;
  /** Oldest event in the log; null when empty. */
  first: { seq: number; at: number } | null;
  lastSeq: number;
  /** Positions of the registered durable consumers. */
  cursors: readonly number[];
  /** Bytes the data uses. */
  usedBytes: number;
}

/**
 * Which events the next retention batch may cut. Pure: the policy in one
 * place, tested by table. The hard caps win over a lagging consumer: size
 * first (the card must not fill), then age; otherwise the soft rule, which
 * never passes the slowest registered consumer.
 */
export function planCut(config: RetentionConfig, s: LogState): CutPlan | null {
  if (s.first === null || s.first.seq >= s.lastSeq) return null;
  if (s.usedBytes > config.maxDatabaseMB * 1024 * 1024) return { maxSeq: s.lastSeq, beforeMs: s.now, reason: 'size' };
  const hardBefore = s.now - config.eventsMaxDays * DAY_MS;
  if (s.first.at < hardBefore) return { maxSeq: s.lastSeq, beforeMs: hardBefore, reason: 'age' };
  const slowest = s.cursors.length > 0 ? Math.min(...s.cursors) : s.lastSeq;
  const softBefore = s.now - config.eventsKeepDays * DAY_MS;
  if (slowest < s.first.seq || s.first.at >= softBefore) return null;
  return { maxSeq: slowest, beforeMs: softBefore, reason: 'kept' };
}

/** A consumer's lost range after a forced cut of [from, to], or null if it had already passed it. */
export function lostRange(cursor: number, cut: { from: number; to: number }): { fromSeq: number; toSeq: number } | null {
  if (cursor >= cut.to) return null;
  return { fromSeq: Math.max(cursor + 1, cut.from), toSeq: cut.to };
}
