import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../gateway/core/Clock.ts';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { RecoveryLadder, type LadderOutcome, type LadderStep, type LadderSteps } from './RecoveryLadder.ts';
import { advanceSettled as advance, settle as flush } from '../testing/fakeTime.ts';


/** Wait on the clock like a real step would (boot marker wait), honouring the signal. */
const waitOn = (clock: Clock, ms: number, signal: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    const t = clock.setTimer('test.bootWait', ms, () => resolve(false));
    signal.addEventListener('abort', () => (t.clear(), resolve(false)), { once: true });
  });

function fakeSteps(results: Partial<Record<LadderStep, (signal: AbortSignal) => Promise<boolean>>> = {}) {
  const calls: LadderStep[] = [];
  const make = (step: LadderStep) => (signal: AbortSignal) => {
    calls.push(step);
    return results[step]?.(signal) ?? Promise.resolve(false);
  };
  const steps: LadderSteps = { probe: make('probe'), softReset: make('softReset'), reopen: make('reopen'), powerCycle: make('powerCycle') };
  return { steps, calls };
}

describe('RecoveryLadder', () => {
  it('silent modem: every step in order, then dead; one retry pass after the back-off, then a longer one', async () => {
    const clock = new FakeClock();
    const { logger, records } = capturingLogger();
    const { steps, calls } = fakeSteps();
    const ladder = new RecoveryLadder({ clock, logger, steps, canPowerCycle: true });
    const events: string[] = [];
    ladder.on('stepStarted', (s) => events.push(`start:${s}`));
    ladder.on('stepFailed', (s) => events.push(`fail:${s}`));
    ladder.on('dead', (_since, retryInMs) => events.push(`dead:${retryInMs}`));

    const t0 = clock.now();
    expect(await ladder.run()).toEqual<LadderOutcome>({ kind: 'dead' });
    expect(calls).toEqual(['probe', 'softReset', 'reopen', 'powerCycle']);
    expect(events).toEqual(['start:probe', 'fail:probe', 'start:softReset', 'fail:softReset', 'start:reopen', 'fail:reopen', 'start:powerCycle', 'fail:powerCycle', 'dead:300000']);
    expect(ladder.counters).toMatchObject({ passes: 1, lastStep: 'powerCycle', deadSince: t0, nextRetryAt: t0 + 300_000, attempts: { probe: 1, softReset: 1, reopen: 1, powerCycle: 1 } });
    expect(records.filter((r) => r.msg === 'ladder step started')).toHaveLength(4);
    expect(clock.pendingTimers().sort()).toEqual(['modem.ladder.deadProbe', 'modem.ladder.retry']);

    // No full pass before the back-off ends: only lone probes, 1 s, 2 s, 4 s, then every 5 s.
    await advance(clock, 299_999);
    expect(calls.slice(4, 9)).toEqual(['probe', 'probe', 'probe', 'probe', 'probe']);
    expect(calls.slice(4).every((c) => c === 'probe')).toBe(true);
    expect(calls).toHaveLength(4 + 3 + Math.floor((299_999 - 7_000) / 5_000));
    expect(ladder.counters.deadProbes).toBe(calls.length - 4);
    const before = calls.length;
    await advance(clock, 1);
    expect(calls.slice(before)).toEqual(['probe', 'softReset', 'reopen', 'powerCycle']);
    expect(events.at(-1)).toBe('dead:600000');
    expect(ladder.counters).toMatchObject({ passes: 2, deadSince: t0, attempts: { probe: 2, powerCycle: 2 } });
    ladder.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('recovers at step 2 (soft reset) without running later steps, and resets the outage', async () => {
    const clock = new FakeClock();
    const { steps, calls } = fakeSteps({ softReset: () => Promise.resolve(true) });
    const ladder = new RecoveryLadder({ clock, logger: capturingLogger().logger, steps, canPowerCycle: true });
    const recovered: LadderStep[] = [];
    ladder.on('recovered', (s) => recovered.push(s));
    expect(await ladder.run()).toEqual({ kind: 'recovered', step: 'softReset' });
    expect(calls).toEqual(['probe', 'softReset']);
    expect(recovered).toEqual(['softReset']);
    expect(ladder.counters).toMatchObject({ recoveries: 1, deadSince: null, nextRetryAt: null, failures: { probe: 1, softReset: 0, reopen: 0 } });
    expect(clock.pendingCount).toBe(0);
  });

  it('abort mid-ladder (driver closed) ends the pass and leaves no pending timers', async () => {
    const clock = new FakeClock();
    const closing = new AbortController();
    const { steps, calls } = fakeSteps({ softReset: (signal) => waitOn(clock, 15_000, signal) });
    const ladder = new RecoveryLadder({ clock, logger: capturingLogger().logger, steps, canPowerCycle: true, signal: closing.signal });
    const outcome = ladder.run();
    await flush();
    expect(clock.pendingTimers().sort()).toEqual(['modem.ladder.softReset', 'test.bootWait']);
    await advance(clock, 5_000);
    closing.abort();
    expect(await outcome).toEqual({ kind: 'aborted' });
    expect(calls).toEqual(['probe', 'softReset']);
    expect(clock.pendingCount).toBe(0);
    expect(await ladder.run()).toEqual({ kind: 'aborted' });
  });

  it('a hanging step is cut at its ceiling, a throwing step counts as failed, and power-cycle is skipped without a hook', async () => {
    const clock = new FakeClock();
    const { steps, calls } = fakeSteps({
      probe: () => new Promise<boolean>(() => undefined),
      softReset: () => Promise.reject(new Error('write EIO')),
    });
    const ladder = new RecoveryLadder({ clock, logger: capturingLogger().logger, steps, canPowerCycle: () => false, timings: { stepTimeoutMs: { probe: 3_000 }, retryInitialMs: 1_000 } });
    const errors: unknown[] = [];
    ladder.on('stepFailed', (_s, e) => errors.push(e));
    const skipped: LadderStep[] = [];
    ladder.on('stepSkipped', (s) => skipped.push(s));
    const outcome = ladder.run();
    await advance(clock, 2_999);
    expect(calls).toEqual(['probe']);
    await advance(clock, 1);
    expect(await outcome).toEqual({ kind: 'dead' });
    expect(calls).toEqual(['probe', 'softReset', 'reopen']);
    expect(skipped).toEqual(['powerCycle']);
    expect((errors[0] as { code: string }).code).toBe('AT_TIMEOUT');
    expect((errors[1] as Error).message).toBe('write EIO');
    expect(errors[2]).toBeNull();
    expect(ladder.counters.attempts.powerCycle).toBe(0);
    ladder.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('run() during a pass joins it; run() while dead starts at once and cancels the scheduled retry', async () => {
    const clock = new FakeClock();
    const { steps, calls } = fakeSteps();
    const ladder = new RecoveryLadder({ clock, logger: capturingLogger().logger, steps, canPowerCycle: false });
    const a = ladder.run();
    expect(ladder.run()).toBe(a);
    await a;
    expect(clock.pendingTimers().sort()).toEqual(['modem.ladder.deadProbe', 'modem.ladder.retry']);
    await ladder.run();
    expect(calls).toHaveLength(6);
    expect(clock.pendingTimers().sort()).toEqual(['modem.ladder.deadProbe', 'modem.ladder.retry']);
    ladder.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('dead: a lone probe that gets an answer recovers at once, with no pass started and the back-offs reset', async () => {
    const clock = new FakeClock();
    let answers = false;
    const { steps, calls } = fakeSteps({ probe: () => Promise.resolve(answers) });
    const ladder = new RecoveryLadder({ clock, logger: capturingLogger().logger, steps, canPowerCycle: false });
    const events: string[] = [];
    ladder.on('started', (p) => events.push(`started:${p}`));
    ladder.on('dead', () => events.push('dead'));
    ladder.on('recovered', (s) => events.push(`recovered:${s}`));
    ladder.on('answeredWhileDead', () => events.push('answeredWhileDead'));
    await ladder.run();
    await advance(clock, 60_000);
    expect(events).toEqual(['started:1', 'dead']);
    answers = true;
    await advance(clock, 5_000);
    expect(events).toEqual(['started:1', 'dead', 'answeredWhileDead']);
    expect(ladder.deadProbeInFlight).toBeNull();
    expect(ladder.dead).toBe(false);
    expect(ladder.counters).toMatchObject({ passes: 1, recoveries: 1, deadSince: null, nextRetryAt: null });
    expect(clock.pendingCount).toBe(0);
    // The next outage starts the probes from 1 s again.
    answers = false;
    await ladder.run();
    const n = calls.length;
    await advance(clock, 1_000);
    expect(calls.length).toBe(n + 1);
    ladder.stop();
  });

  it('reset() (the modem spoke) cancels the probes and the retry; interrupt() abandons a running pass', async () => {
    const clock = new FakeClock();
    const { steps, calls } = fakeSteps({ softReset: (signal) => waitOn(clock, 15_000, signal) });
    const ladder = new RecoveryLadder({ clock, logger: capturingLogger().logger, steps, canPowerCycle: false, timings: { stepTimeoutMs: { softReset: 20_000 } } });
    const first = ladder.run();
    await advance(clock, 15_000);
    expect(await first).toEqual({ kind: 'dead' });
    ladder.reset();
    expect(clock.pendingCount).toBe(0);
    expect(ladder.dead).toBe(false);

    const pass = ladder.run();
    await advance(clock, 1_000);
    expect(ladder.currentStep).toBe('softReset');
    ladder.interrupt();
    expect(await pass).toEqual({ kind: 'aborted' });
    expect(ladder.running).toBe(false);
    expect(ladder.currentStep).toBeNull();
    expect(clock.pendingCount).toBe(0);
    expect(calls).toEqual(['probe', 'softReset', 'reopen', 'probe', 'softReset']);
    // Still usable.
    const again = ladder.run();
    await advance(clock, 20_000);
    expect(await again).toEqual({ kind: 'dead' });
    ladder.stop();
  });
});
