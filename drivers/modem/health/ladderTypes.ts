import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';

/*
 * The recovery ladder's vocabulary: its steps, timings, options, counters and
 * events (RecoveryLadder.ts runs it).
 */

/** The ladder's rungs, in order (gsm-modems.md §9; STYLE.md rule 14). Step 5, "dead", is the outcome when all fail. */
export type LadderStep = 'probe' | 'softReset' | 'reopen' | 'powerCycle';
export const LADDER_ORDER: readonly LadderStep[] = ['probe', 'softReset', 'reopen', 'powerCycle'];

/**
 * The steps, injected by the façade (so the ladder runs on a FakeClock in
 * tests). Each resolves true when the modem answers `AT` again afterwards,
 * false (or rejects) when it does not; each should honour `signal`.
 */
export interface LadderSteps {
  /** 1. `AT` after a quiet period (the same resync as after every timeout, §2 P8). */
  probe(signal: AbortSignal): Promise<boolean>;
  /** 2. `ATZ`, then `AT+CFUN=1,1` and wait for a boot marker (`RDY` …) up to the reboot timeout. */
  softReset(signal: AbortSignal): Promise<boolean>;
  /** 3. Close and reopen the tty (reopenWithBackoff with bounded attempts), then probe. */
  reopen(signal: AbortSignal): Promise<boolean>;
  /** 4. Power-cycle through ModemLines, wait for boot, then probe. */
  powerCycle(signal: AbortSignal): Promise<boolean>;
}

/** Timing of the ladder (ms). */
export interface LadderTimings {
  /**
   * Hard ceiling per step: a step still running then is aborted and counted
   * failed, so a step that forgets its own timeout cannot hang the ladder.
   */
  stepTimeoutMs: Record<LadderStep, number>;
  /**
   * Wait before re-running the whole ladder once the modem is dead (a soft
   * reset or power cycle may revive a wedged module later); doubles per
   * dead pass up to retryMaxMs. These passes run quietly: the modem stays
   * `dead` unless one of them brings it back.
   */
  retryInitialMs: number;
  retryMaxMs: number;
  retryFactor: number;
  /**
   * While dead, between the passes: a lone `AT` probe this long after the
   * last one started, doubling up to deadProbeMaxMs, so a modem that answers again is back
   * within a few seconds instead of at the next pass (issue #9: a 60 s
   * silence cost 4.5 min of outage). Three bytes a probe.
   */
  deadProbeInitialMs: number;
  deadProbeMaxMs: number;
}

export const LADDER_DEFAULTS: LadderTimings = {
  stepTimeoutMs: {
    // quiet period (~1 s) + quick-class AT timeout (2 s), with margin.
    probe: 10_000,
    // ATZ (2 s) + CFUN=1,1 (10 s) + boot wait: EC25 RDY ≈ 11 s, mbed-os#12618 raised it to 15 s (PR#12651); 30 s reboot class, §9.
    softReset: 45_000,
    // reopenWithBackoff 1 s doubling to 30 s, a handful of attempts, while USB re-enumerates; then probe.
    reopen: 90_000,
    // relay/uhubctl off time (2–5 s) + cold boot (~15 s) + re-enumeration + probe.
    powerCycle: 90_000,
  },
  // Full passes (ATZ, AT+CFUN=1,1, reopen, power-cycle) 5 min apart doubling to 1 h: resets are not for a tight loop (§9 step 5).
  retryInitialMs: 5 * 60_000,
  retryMaxMs: 60 * 60_000,
  retryFactor: 2,
  // 1 s, 2 s, 4 s, then every 5 s: back within ~5 s of answering, at ~0.6 byte/s while dead.
  deadProbeInitialMs: 1_000,
  deadProbeMaxMs: 5_000,
};

export interface RecoveryLadderOptions {
  clock: Clock;
  logger: Logger;
  steps: LadderSteps;
  /** Whether step 4 is available (ModemLines.canPowerCycle); skipped when false. */
  canPowerCycle: boolean | (() => boolean);
  timings?: Partial<Omit<LadderTimings, 'stepTimeoutMs'>> & { stepTimeoutMs?: Partial<Record<LadderStep, number>> };
  /** Closing the driver: stops the running pass and the retry timer for good. */
  signal?: AbortSignal;
}

export type LadderOutcome = { kind: 'recovered'; step: LadderStep } | { kind: 'dead' } | { kind: 'aborted' };

/** Counters for status and KPIs (STYLE.md rule 14: each step logged and counted). */
export interface LadderCounters {
  /** Times each step was started. */
  attempts: Record<LadderStep, number>;
  /** Times each step failed (false, error, or its ceiling). */
  failures: Record<LadderStep, number>;
  /** Ladder passes started (first run plus retries). */
  passes: number;
  recoveries: number;
  lastStep: LadderStep | null;
  /** Epoch ms when the modem was first declared dead in the current outage; null when not dead. */
  deadSince: number | null;
  /** Epoch ms of the scheduled retry pass, or null. */
  nextRetryAt: number | null;
  /** Lone `AT` probes sent while dead (between passes). */
  deadProbes: number;
}

export interface RecoveryLadderEvents {
  /** A pass began (`pass` counts from 1). */
  started: [pass: number];
  stepStarted: [step: LadderStep, pass: number];
  /** `error` is null when the step ran and the modem still did not answer. */
  stepFailed: [step: LadderStep, error: unknown];
  stepSkipped: [step: LadderStep, why: string];
  /** A step of a pass worked: the modem answers again (after a reset or reopen its settings are gone). */
  recovered: [step: LadderStep];
  /** A lone probe while dead got an answer: nothing was reset, the modem had only stopped answering. */
  answeredWhileDead: [];
  /** Every step failed; the next pass runs in `retryInMs` (probes run in between). */
  dead: [since: number, retryInMs: number];
}
