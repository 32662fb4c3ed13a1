/**
 * Wallboard warning (amber) and critical (red) thresholds, defaults from
 * docs/kpis.md ("Wallboard thresholds"). One definition for the terminal
 * view, the LED boards and the web board; the site's config overrides the
 * defaults and each board may override the site's.
 */
import type { ThresholdConfig } from '../config/BoardConfig.ts';
import type { Level } from '../model/BoardView.ts';

/** Threshold set; each pair is [warning, critical]. */
export interface Thresholds extends ThresholdConfig {
  /** Live callers waiting: warn ≥ 3, critical ≥ 6. */
  callsWaiting: [number, number];
  /** Longest current wait, seconds: warn ≥ 60, critical ≥ 120. */
  longestWaitSec: [number, number];
  /** Service level today, fraction: warn below the configured target (default 0.8), critical below 0.6. */
  serviceLevel: [number, number];
  /** Ready agents: warn ≤ 1; critical 0 while callers wait. */
  agentsFreeWarnAtMost: number;
  /** Abandoned today as a fraction of offered: warn ≥ 5 %, critical ≥ 10 %. */
  abandonedShare: [number, number];
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  callsWaiting: [3, 6],
  longestWaitSec: [60, 120],
  serviceLevel: [0.8, 0.6],
  agentsFreeWarnAtMost: 1,
  abandonedShare: [0.05, 0.1],
};

/**
 * Thresholds with the SL warning moved to the site's configured target. The
 * critical bound stays below it so the amber band is never empty (Intermedia
 * rejects boards whose amber band vanishes).
 */
export function withSlTarget(t: Thresholds, target: number | null | undefined): Thresholds {
  if (target === null || target === undefined || !Number.isFinite(target)) return t;
  return { ...t, serviceLevel: [target, Math.min(t.serviceLevel[1], target - 0.05)] };
}

/** Level of a "higher is worse" figure. */
export function atLeast(v: number, [warn, crit]: [number, number]): Level {
  return v >= crit ? 'crit' : v >= warn ? 'warn' : 'ok';
}

/** Service-level level: lower is worse; no data is never an alarm. */
export function slLevel(sl: number | null, t: Thresholds): Level {
  if (sl === null) return 'ok';
  const [warn, crit] = t.serviceLevel;
  return sl < crit ? 'crit' : sl < warn ? 'warn' : 'ok';
}

/** Ready-agents level: none ready with callers waiting is critical. */
export function agentsFreeLevel(ready: number, waiting: number, t: Thresholds): Level {
  if (ready === 0 && waiting > 0) return 'crit';
  return ready <= t.agentsFreeWarnAtMost ? 'warn' : 'ok';
}

/**
 * The cloud outbox is late from a minute and critical from ten (`ccgate
 * status` uses the same bounds); nothing is lost meanwhile, the events wait
 * in the store.
 */
export const OUTBOX_WARN_MS = 60_000;
export const OUTBOX_CRIT_MS = 10 * 60_000;

export function outboxLevel(oldestAgeMs: number): Level {
  return oldestAgeMs >= OUTBOX_CRIT_MS ? 'crit' : oldestAgeMs >= OUTBOX_WARN_MS ? 'warn' : 'ok';
}

/** Abandoned share of offered today; no offered calls = no alarm. */
export function abandonLevel(abandoned: number, offered: number, t: Thresholds): Level {
  return offered > 0 ? atLeast(abandoned / offered, t.abandonedShare) : 'ok';
}
