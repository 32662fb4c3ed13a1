import { EventEmitter } from 'node:events';
import type { Timer } from '../../../gateway/core/Clock.ts';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import { LADDER_DEFAULTS, LADDER_ORDER, type LadderCounters, type LadderOutcome, type LadderStep, type LadderTimings, type RecoveryLadderEvents, type RecoveryLadderOptions } from './ladderTypes.ts';

export * from './ladderTypes.ts';

const zero = (): Record<LadderStep, number> => ({ probe: 0, softReset: 0, reopen: 0, powerCycle: 0 });

type StepResult = { kind: 'ok' } | { kind: 'failed'; error: unknown } | { kind: 'aborted' };

/**
 * Runs the recovery ladder: each step only after the previous one failed;
 * all failed → dead. While dead: a cheap `AT` probe every few seconds (the
 * modem is back the moment it answers) and the whole ladder again after a
 * long, growing back-off. One pass at a time; reset() ends the outage (the
 * modem spoke), interrupt() abandons a pass, stop() (or the signal) ends
 * everything.
 */
export class RecoveryLadder extends EventEmitter<RecoveryLadderEvents> {
  private readonly timings: LadderTimings;
  private readonly log: Logger;
  private readonly ac = new AbortController();
  private readonly onOuterAbort = (): void => this.stop();
  private current: Promise<LadderOutcome> | null = null;
  private retryTimer: Timer | null = null;
  private retryDelay: number;
  private deadProbeTimer: Timer | null = null;
  private deadProbeDelay: number;
  private deadProbing: Promise<void> | null = null;
  /** Aborts the running pass only (interrupt()); replaced per pass. */
  private passAc = new AbortController();
  private step: LadderStep | null = null;
  private readonly c: LadderCounters = { attempts: zero(), failures: zero(), passes: 0, recoveries: 0, lastStep: null, deadSince: null, nextRetryAt: null, deadProbes: 0 };

  constructor(private readonly opts: RecoveryLadderOptions) {
    super();
    const t = opts.timings ?? {};
    this.timings = { ...LADDER_DEFAULTS, ...t, stepTimeoutMs: { ...LADDER_DEFAULTS.stepTimeoutMs, ...t.stepTimeoutMs } };
    this.retryDelay = this.timings.retryInitialMs;
    this.deadProbeDelay = this.timings.deadProbeInitialMs;
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

  /** The step of the running pass, or null. */
  get currentStep(): LadderStep | null {
    return this.step;
  }

  /** Declared dead and not recovered since (reset() or a recovery ends it). */
  get dead(): boolean {
    return this.c.deadSince !== null;
  }

  /**
   * The lone probe in flight while dead, settling once its outcome has been
   * handled (answeredWhileDead emitted or not); null when none runs. Its `AT`
   * may have gone out while the modem was still silent: whoever acts on the
   * modem coming back waits for it, or its late timeout re-pauses the queue.
   */
  get deadProbeInFlight(): Promise<void> | null {
    return this.deadProbing;
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

  /**
   * The modem came back on its own (boot markers, any URC or an answer while
   * dead): forget the outage and both back-offs, cancel the retry pass and
   * the dead probes. A pass still running is left alone (see interrupt()).
   */
  reset(): void {
    this.clearRetry();
    this.deadProbeTimer?.clear();
    this.deadProbeTimer = null;
    this.retryDelay = this.timings.retryInitialMs;
    this.deadProbeDelay = this.timings.deadProbeInitialMs;
    this.c.deadSince = null;
  }

  /**
   * Abandon the running pass (its step's signal aborts; the pass resolves
   * `aborted` and emits nothing more). The ladder stays usable: run() starts
   * a new pass. A no-op when no pass runs.
   */
  interrupt(): void {
    if (!this.current) return;
    this.log.info({ step: this.step }, 'recovery pass interrupted: the modem spoke');
    this.passAc.abort();
  }

  /** Stop for good: aborts the running step, cancels the retry. Idempotent. */
  stop(): void {
    this.opts.signal?.removeEventListener('abort', this.onOuterAbort);
    this.clearRetry();
    this.deadProbeTimer?.clear();
    this.deadProbeTimer = null;
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
    this.passAc = new AbortController();
    try {
      return await this.steps(this.passAc.signal);
    } finally {
      this.step = null;
    }
  }

  private async steps(passSignal: AbortSignal): Promise<LadderOutcome> {
    const pass = ++this.c.passes;
    this.log.warn({ pass }, 'recovery ladder started');
    this.emit('started', pass);
    for (const step of LADDER_ORDER) {
      if (this.ac.signal.aborted || passSignal.aborted) return { kind: 'aborted' };
      if (step === 'powerCycle' && !this.canPowerCycle()) {
        this.log.info({ step }, 'ladder step skipped: no power-cycle hook configured');
        this.emit('stepSkipped', step, 'no power-cycle hook');
        continue;
      }
      this.c.attempts[step]++;
      this.c.lastStep = step;
      this.log.warn({ step, pass, attempt: this.c.attempts[step] }, 'ladder step started');
      this.emit('stepStarted', step, pass);
      this.step = step;
      const result = await this.runStep(step, passSignal);
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
    const first = this.c.deadSince === null;
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
    if (first) this.log.error({ deadSince: this.c.deadSince, retryInMs, probeEveryMs: this.timings.deadProbeMaxMs }, 'modem dead: all recovery steps failed; probing it every few seconds');
    else this.log.warn({ deadSince: this.c.deadSince, retryInMs }, 'recovery pass failed: modem still dead');
    this.scheduleDeadProbe();
    this.emit('dead', this.c.deadSince, retryInMs);
    return { kind: 'dead' };
  }

  /** `sinceLastMs`: how long the last probe took; the interval runs from its start (a 2 s timeout inside a 5 s gap). */
  private scheduleDeadProbe(sinceLastMs = 0): void {
    if (this.ac.signal.aborted || this.deadProbeTimer) return;
    const ms = Math.max(0, this.deadProbeDelay - sinceLastMs);
    this.deadProbeDelay = Math.min(this.timings.deadProbeMaxMs, this.deadProbeDelay * 2);
    this.deadProbeTimer = this.opts.clock.setTimer('modem.ladder.deadProbe', ms, () => {
      this.deadProbeTimer = null;
      const probing = this.deadProbe()
        .catch((e: unknown) => this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'dead probe handling failed'))
        .finally(() => {
          if (this.deadProbing === probing) this.deadProbing = null;
        });
      this.deadProbing = probing;
    });
  }

  /**
   * One lone `AT` while dead. Quiet on failure (the next one follows); no
   * `started`/`dead` events, so the health state does not cycle. A pass
   * running meanwhile probes on its own and schedules the next probe when it
   * fails.
   */
  private async deadProbe(): Promise<void> {
    if (this.current || !this.dead || this.ac.signal.aborted) return;
    this.c.deadProbes++;
    const started = this.opts.clock.now();
    // No pass signal: reset() does not abort a probe in flight, its answer is just not reported.
    const result = await this.runStep('probe', new AbortController().signal);
    // The outage ended meanwhile (reset by a reboot or a URC) or a pass took over: not ours to report.
    if (this.current || !this.dead || result.kind === 'aborted') return;
    if (result.kind === 'failed') {
      this.log.debug({ probes: this.c.deadProbes }, 'dead modem still silent');
      this.scheduleDeadProbe(this.opts.clock.now() - started);
      return;
    }
    this.c.recoveries++;
    this.reset();
    this.log.info({ probes: this.c.deadProbes }, 'dead modem answers again');
    this.emit('answeredWhileDead');
  }

  /** Run one step under its ceiling, the ladder's signal and the pass's. Never rejects. */
  private async runStep(step: LadderStep, passSignal: AbortSignal): Promise<StepResult> {
    const child = new AbortController();
    const master = this.ac.signal;
    const relay = (): void => child.abort();
    master.addEventListener('abort', relay, { once: true });
    passSignal.addEventListener('abort', relay, { once: true });
    const ceiling = this.timings.stepTimeoutMs[step];
    const timer = this.opts.clock.setTimer(`modem.ladder.${step}`, ceiling, () => child.abort());
    try {
      // Promise.resolve().then: a step that throws synchronously still becomes a failed step.
      const running = Promise.resolve().then(() => this.opts.steps[step](child.signal));
      return await new Promise<StepResult>((resolve) => {
        child.signal.addEventListener(
          'abort',
          () => resolve(master.aborted || passSignal.aborted ? { kind: 'aborted' } : { kind: 'failed', error: new CcgateError('AT_TIMEOUT', `ladder step ${step} exceeded ${ceiling} ms`, { step, ceilingMs: ceiling }) }),
          { once: true },
        );
        running.then(
          (ok) => resolve(ok ? { kind: 'ok' } : { kind: 'failed', error: null }),
          (error: unknown) => resolve(master.aborted || passSignal.aborted ? { kind: 'aborted' } : { kind: 'failed', error }),
        );
      });
    } finally {
      timer.clear();
      master.removeEventListener('abort', relay);
      passSignal.removeEventListener('abort', relay);
      // Tell a step we stopped waiting for (ceiling) to give up as well.
      child.abort();
    }
  }
}
