import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { capturingLogger } from '../../../gateway/core/Logger.ts';
import { isDialableStat } from './registrationStat.ts';
import { RegistrationWatch, type SimStatus } from './RegistrationWatch.ts';
import { advanceSettled as advance } from '../testing/fakeTime.ts';


/** `+CREG: <stat>[,…]` URC as the parser delivers it. */
const creg = (stat: number) => ({ kind: 'registration' as const, domain: 'cs' as const, stat, lac: null, ci: null, act: null });

function setup(simAnswers: SimStatus[] = []) {
  const clock = new FakeClock();
  const { logger, records } = capturingLogger();
  const cycles: number[] = [];
  const simChecks: number[] = [];
  const watch = new RegistrationWatch({
    clock,
    logger,
    radioCycle: async () => void cycles.push(clock.now()),
    checkSim: async () => {
      simChecks.push(clock.now());
      return simAnswers.shift() ?? 'missing';
    },
  });
  return { clock, records, cycles, simChecks, watch };
}

describe('registration stats (27.007)', () => {
  it.each([
    [0, false], [1, true], [2, false], [3, false], [4, false], [5, true], [6, false], [7, false], [8, false], [9, false], [10, false], [11, false], [null, false],
  ] as const)('stat %s dialable: %s', (stat, dialable) => {
    expect(isDialableStat(stat)).toBe(dialable);
  });
});

describe('RegistrationWatch (scenario 16)', () => {
  it('refuses dials while stat ∉ {1,5}; roaming counts; emits each flip once', () => {
    const { watch } = setup();
    const flips: boolean[] = [];
    watch.on('dialableChanged', (d) => flips.push(d));
    const seen: boolean[] = [];
    for (const stat of [2, 0, 5, 1]) {
      watch.applyUrc(creg(stat));
      seen.push(watch.canDial());
    }
    expect(seen).toEqual([false, false, true, true]);
    expect(flips).toEqual([true]);
    expect(watch.snapshot()).toMatchObject({ cs: 1, canDial: true, detail: 'registered, home network', unregisteredSince: null });
    watch.stop();
  });

  it('uses the EPS stat only while no CS stat is known', () => {
    const { watch } = setup();
    watch.update('eps', 1);
    expect(watch.canDial()).toBe(true);
    watch.update('cs', 2);
    expect(watch.canDial()).toBe(false);
    watch.stop();
  });

  it('radio-cycles after the unregistered period, at most once per period, with back-off; registration resets it', async () => {
    const { clock, watch, cycles } = setup();
    const t0 = clock.now();
    watch.applyUrc(creg(2));
    await advance(clock, 119_999);
    expect(cycles).toEqual([]);
    await advance(clock, 1);
    expect(cycles).toEqual([t0 + 120_000]);
    watch.applyUrc(creg(0)); // still unregistered: no extra cycle
    await advance(clock, 239_999);
    expect(cycles).toHaveLength(1);
    await advance(clock, 1);
    expect(cycles).toEqual([t0 + 120_000, t0 + 360_000]);
    expect(watch.snapshot()).toMatchObject({ unregisteredSince: t0, radioCycles: 2 });

    watch.applyUrc(creg(5));
    expect(clock.pendingTimers('modem.registration.radioCycle')).toEqual([]);
    const t1 = clock.now();
    watch.applyUrc(creg(3));
    await advance(clock, 120_000);
    expect(cycles.at(-1)).toBe(t1 + 120_000);
    watch.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('a failing radio cycle is logged and still backs off', async () => {
    const clock = new FakeClock();
    const { logger, records } = capturingLogger();
    let calls = 0;
    const watch = new RegistrationWatch({ clock, logger, unregisteredPeriodMs: 1_000, radioCycle: async () => { calls++; throw new Error('+CME ERROR: 3'); }, checkSim: async () => 'ready' });
    const outcomes: boolean[] = [];
    watch.on('radioCycled', (ok) => outcomes.push(ok));
    watch.update('cs', 0);
    await advance(clock, 1_000 + 2_000 + 4_000);
    expect(calls).toBe(3);
    expect(outcomes).toEqual([false, false, false]);
    expect(records.filter((r) => r.msg === 'radio cycle failed')).toHaveLength(3);
    watch.stop();
  });

  it('+CME ERROR: 10 → simMissing: no dials, no radio cycle, a slow SIM re-check (60 s) until ready', async () => {
    const { clock, watch, cycles, simChecks } = setup(['missing', 'missing', 'ready']);
    const sims: SimStatus[] = [];
    watch.on('simChanged', (s) => sims.push(s));
    watch.applyUrc(creg(1));
    const t0 = clock.now();
    watch.simMissing();
    watch.simMissing(); // repeated errors do not add checks
    expect(watch.canDial()).toBe(false);
    expect(watch.snapshot().detail).toBe('no SIM');
    watch.applyUrc(creg(0));
    await advance(clock, 59_999);
    expect(simChecks).toEqual([]);
    await advance(clock, 1 + 60_000 + 60_000);
    expect(simChecks).toEqual([t0 + 60_000, t0 + 120_000, t0 + 180_000]);
    expect(sims).toEqual(['missing', 'ready']);
    expect(cycles).toEqual([]);
    // SIM back, still unregistered: the radio-cycle clock starts now.
    expect(clock.pendingTimers()).toEqual(['modem.registration.radioCycle']);
    await advance(clock, 120_000);
    expect(simChecks).toHaveLength(3);
    expect(cycles).toEqual([t0 + 180_000 + 120_000]);
    watch.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('stops on the driver signal', async () => {
    const clock = new FakeClock();
    const closing = new AbortController();
    const watch = new RegistrationWatch({ clock, logger: capturingLogger().logger, radioCycle: async () => undefined, checkSim: async () => 'missing', signal: closing.signal });
    watch.update('cs', 2);
    watch.simMissing();
    expect(clock.pendingCount).toBe(1);
    closing.abort();
    expect(clock.pendingCount).toBe(0);
    await advance(clock, 3_600_000);
    expect(clock.pendingCount).toBe(0);
  });
});
