import type { AtCommand } from './AtCommand.ts';
import { isMarkerCommand } from './resyncMarker.ts';
import type { AbortReason, Outcome } from './Transaction.ts';

/** One queued unit of work: a command or a health probe. */
export interface Job {
  readonly priority: 'urgent' | 'normal';
  /** Runs while the queue is paused (the probe of the recovery ladder). */
  readonly bypassPause: boolean;
  /** Set when the job's caller or abortAll gave up on it. */
  abortReason: AbortReason | null;
  run(): Promise<void>;
  /** Settle without running (still queued when aborted). */
  cancel(reason: AbortReason): void;
}

/** The resync probe (gsm-modems.md §9 ladder step 1). */
export const PROBE: AtCommand = { text: 'AT', timeout: 'quick' };

/**
 * A command line the session's resync writes: the `AT` probe or the marker
 * that follows it after a failure (resyncMarker.ts). When one of them times
 * out the session pauses its queue: whoever watches health must act.
 */
export function isResyncCommand(text: string): boolean {
  return text === PROBE.text || isMarkerCommand(text);
}

/** Timeouts and SIM/device busy (+CME ERROR: 14 / 515, §7) are worth retrying for idempotent queries. */
export function isRetryable(o: Extract<Outcome, { ok: false }>): boolean {
  if (o.reason === 'timeout') return true;
  return o.reason === 'cme' && o.final?.kind === 'cme' && (o.final.code === 14 || o.final.code === 515);
}
