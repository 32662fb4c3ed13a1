import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';

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
  /** Wait before re-running the whole ladder once the modem is dead; doubles per dead pass up to retryMaxMs. */
  retryInitialMs: number;
  retryMaxMs: number;
  retryFactor: number;
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
  // 5 min doubling to 1 h: a dead modem costs a few AT lines an hour, never a tight loop (§9 step 5).
  retryInitialMs: 5 * 60_000,
  retryMaxMs: 60 * 60_000,
  retryFactor: 2,
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
}

export interface RecoveryLadderEvents {
  /** A pass began (`pass` counts from 1). */
  started: [pass: number];
  stepStarted: [step: LadderStep, pass: number];
  /** `error` is null when the step ran and the modem still did not answer. */
  stepFailed: [step: LadderStep, error: unknown];
  stepSkipped: [step: LadderStep, why: string];
  recovered: [step: LadderStep];
  /** Every step failed; the next pass runs in `retryInMs`. */
  dead: [since: number, retryInMs: number];
}

const zero = (): Record<LadderStep, number> => ({ probe: 0, softReset: 0, reopen: 0, powerCycle: 0 });

type StepResult = { kind: 'ok' } | { kind: 'failed'; error: unknown } | { kind: 'aborted' };

/**
 * Runs the recovery ladder: each step only after the previous one failed;
 * all failed → dead, and the whole ladder again after a long, growing
 * back-off. One pass at a time; stop() (or the signal) ends everything.
 */
export class RecoveryLadder extends EventEmitter<RecoveryLadderEvents> {
  private readonly timings: LadderTimings;
  private readonly log: Logger;
  private readonly ac = new AbortController();
  private readonly onOuterAbort = (): void => this.stop();
  private current: Promise<LadderOutcome> | null = null;
  private retryTimer: Timer | null = null;
  private retryDelay: number;
  private readonly c: LadderCounters = { attempts: zero(), failures: zero(), passes: 0, recoveries: 0, lastStep: null, deadSince: null, nextRetryAt: null };

  constructor(private readonly opts: RecoveryLadderOptions) {
    super();
    const t = opts.timings ?? {};
    this.timings = { ...LADDER_DEFAULTS, ...t, stepTimeoutMs: { ...LADDER_DEFAULTS.stepTimeoutMs, ...t.stepTimeoutMs } };
    this.retryDelay = this.timings.retryInitialMs;
    this.log = opts.logger.child({ component: 'modem.ladder' });
    if (opts.signal?.aborted) this.ac.abort();
    else opts.signal?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get counters(): LadderCounters {
    return { ...this.c, attempts: { ...this.c.attempts }, failures: { ...this.c.failures } };
  }

  get running(): boolean {
    return this.current !== null;
  }

  /**
   * Run one pass now (cancelling a scheduled retry). While a pass runs, returns
   * that pass's outcome. After stop(), resolves `aborted` at once.
   */
  run(): Promise<LadderOutcome> {
    if (this.ac.signal.aborted) return Promise.resolve({ kind: 'aborted' });
    if (this.current) return this.current;
    this.clearRetry();
    const pass = this.pass().finally(() => (this.current = null));
    this.current = pass;
    return pass;
  }

  /** The modem came back on its own (boot markers while dead): forget the outage and the back-off. */
  reset(): void {
    this.clearRetry();
    this.retryDelay = this.timings.retryInitialMs;
    this.c.deadSince = null;
  }

  /** Stop for good: aborts the running step, cancels the retry. Idempotent. */
  stop(): void {
    this.opts.signal?.removeEventListener('abort', this.onOuterAbort);
    this.clearRetry();
    if (!this.ac.signal.aborted) {
      this.log.info({}, 'recovery ladder stopped');
      this.ac.abort();
    }
  }

  private clearRetry(): void {
    this.retryTimer?.clear();
    this.retryTimer = null;
    this.c.nextRetryAt = null;
  }

  private canPowerCycle(): boolean {
    const c = this.opts.canPowerCycle;
    return typeof c === 'function' ? c() : c;
  }

  private async pass(): Promise<LadderOutcome> {
    const pass = ++this.c.passes;
    this.log.warn({ pass }, 'recovery ladder started');
    this.emit('started', pass);
    for (const step of LADDER_ORDER) {
      if (this.ac.signal.aborted) return { kind: 'aborted' };
      if (step === 'powerCycle' && !this.canPowerCycle()) {
        this.log.info({ step }, 'ladder step skipped: no power-cycle hook configured');
        this.emit('stepSkipped', step, 'no power-cycle hook');
        continue;
      }
      this.c.attempts[step]++;
      this.c.lastStep = step;
      this.log.warn({ step, pass, attempt: this.c.attempts[step] }, 'ladder step started');
      this.emit('stepStarted', step, pass);
      const result = await this.runStep(step);
      if (result.kind === 'aborted') {
        this.log.info({ step }, 'ladder aborted');
        return { kind: 'aborted' };
      }
      if (result.kind === 'ok') {
        this.c.recoveries++;
        this.reset();
        this.log.info({ step, pass }, 'modem recovered');
        this.emit('recovered', step);
        return { kind: 'recovered', step };
      }
      this.c.failures[step]++;
      this.log.warn({ step, err: result.error instanceof Error ? result.error.message : null }, 'ladder step failed');
      this.emit('stepFailed', step, result.error);
    }
    return this.declareDead();
  }

  private declareDead(): LadderOutcome {
    const now = this.opts.clock.now();
    this.c.deadSince ??= now;
    const retryInMs = this.retryDelay;
    this.retryDelay = Math.min(this.timings.retryMaxMs, this.retryDelay * this.timings.retryFactor);
    this.c.nextRetryAt = now + retryInMs;
    this.retryTimer = this.opts.clock.setTimer('modem.ladder.retry', retryInMs, () => {
      this.retryTimer = null;
      this.c.nextRetryAt = null;
      // The outcome is reported through the events; nothing awaits this pass
      // (a rejection can only come from a throwing event listener).
      this.run().catch((e: unknown) => this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'ladder retry pass failed'));
    });
    this.log.error({ deadSince: this.c.deadSince, retryInMs }, 'modem dead: all recovery steps failed');
    this.emit('dead', this.c.deadSince, retryInMs);
    return { kind: 'dead' };
  }

  /** Run one step under its ceiling and the ladder's signal. Never rejects. */
  private async runStep(step: LadderStep): Promise<StepResult> {
    const child = new AbortController();
    const master = this.ac.signal;
    const relay = (): void => child.abort();
    master.addEventListener('abort', relay, { once: true });
    const ceiling = this.timings.stepTimeoutMs[step];
    const timer = this.opts.clock.setTimer(`modem.ladder.${step}`, ceiling, () => child.abort());
    try {
      // Promise.resolve().then: a step that throws synchronously still becomes a failed step.
      const running = Promise.resolve().then(() => this.opts.steps[step](child.signal));
      return await new Promise<StepResult>((resolve) => {
        child.signal.addEventListener(
          'abort',
          () => resolve(master.aborted ? { kind: 'aborted' } : { kind: 'failed', error: new CcgateError('AT_TIMEOUT', `ladder step ${step} exceeded ${ceiling} ms`, { step, ceilingMs: ceiling }) }),
          { once: true },
        );
        running.then(
          (ok) => resolve(ok ? { kind: 'ok' } : { kind: 'failed', error: null }),
          (error: unknown) => resolve(master.aborted ? { kind: 'aborted' } : { kind: 'failed', error }),
        );
      });
    } finally {
      timer.clear();
      master.removeEventListener('abort', relay);
      // Tell a step we stopped waiting for (ceiling) to give up as well.
      child.abort();
    }
  }
}
