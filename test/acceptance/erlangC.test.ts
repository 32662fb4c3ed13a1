import { beforeAll, describe, expect, it } from 'vitest';
import { runSimulation, type SimulationResult } from '../../firmware/sim/simulate.ts';
import { exponential, SeededRandom } from '../../gateway/core/Random.ts';
import { fcfsWaits } from '../support/fcfsQueue.ts';
import { asaRef, erlangCRef, mmcK, serviceLevelRef } from '../support/queueTheory.ts';

/**
 * `ccgate simulate` against queueing theory, for loads from 1.5 to 50 Erlangs
 * (h = 180 s, T = 20 s, no abandonment, no wrap-up, agents always there), and
 * one overload where the trunk fills and calls are blocked.
 *
 * The theory side never calls gateway/kpi/erlang.ts (which computes the
 * figures `simulate` prints): test/support/queueTheory.ts solves the
 * birth–death chain on its own, and is checked against a value worked by hand.
 *
 * A finite simulation only estimates SL and ASA: near saturation a run of
 * 10,000 calls strays by ±0.02 in SL and ±20 % in ASA by chance alone, and
 * reaching ±0.01 / ±6 % with confidence takes about 500,000 calls per load,
 * minutes per point. So the agreement is shown in steps that together are
 * exact and stay fast:
 *  1. the core is exactly an FCFS M/M/N queue: every call's wait equals the
 *     textbook recursion's on the same arrivals and handle times, and the
 *     printed figures are those of the recursion's waits (not of the waits
 *     the simulator recorded);
 *  2. that queue agrees with Erlang C within ±0.01 and ±6 % on a million
 *     calls from the same random source ccgate simulate uses;
 *  3. the simulator feeds the core Poisson arrivals and exponential handle
 *     times.
 * Short runs also under-estimate ASA more often than not (its sample mean is
 * skewed by rare congestion), which is why step 2 uses a long run.
 */
const H = 180;
const T = 20;
const LOADS: Array<{ a: number; n: number; hours: number }> = [
  { a: 1.5, n: 3, hours: 120 },
  { a: 5, n: 8, hours: 40 },
  { a: 15, n: 19, hours: 16 },
  { a: 30, n: 35, hours: 9 },
  { a: 50, n: 56, hours: 6 },
];

/** The measured window starts this share into the run (simulate's default warm-up). */
const WARMUP = 0.1;
const START = Date.UTC(2026, 0, 5, 0, 0, 0);

/** Share of `xs` at most `limit`, and their mean. */
function summary(xs: readonly number[], limit: number): { within: number; mean: number; positive: number } {
  return {
    within: xs.filter((x) => x <= limit).length / xs.length,
    mean: xs.reduce((s, x) => s + x, 0) / xs.length,
    positive: xs.filter((x) => x > 0).length / xs.length,
  };
}

/** Waits of the recorded calls as the FCFS recursion computes them from entry and handle times alone. */
function modelWaits(r: SimulationResult): number[] {
  const calls = r.calls!;
  return fcfsWaits(
    calls.map((c) => c.enteredAt),
    calls.map((c) => c.handleMs),
    r.input.agents,
  );
}

describe('the reference formulas themselves', () => {
  it('give Erlang C(3 agents, 2 E) = 4/9, worked by hand: Σ_{k<3} 2ᵏ/k! = 5, 2³/3!·3/(3−2) = 4', () => {
    expect(erlangCRef(3, 2)).toBeCloseTo(4 / 9, 14);
    expect(serviceLevelRef(3, 2, 20, 180)).toBeCloseTo(1 - (4 / 9) * Math.exp(-20 / 180), 14);
    expect(asaRef(3, 2, 180)).toBeCloseTo((4 / 9) * 180, 12);
  });

  it('M/M/c/K tends to Erlang C as K grows, and M/M/1/1 blocks a/(1+a) (Erlang B with one line)', () => {
    const big = mmcK(8, 5, 400, T, H);
    expect(big.blocked).toBeLessThan(1e-12);
    expect(big.probWait).toBeCloseTo(erlangCRef(8, 5), 12);
    expect(big.meanWait).toBeCloseTo(asaRef(8, 5, H), 9);
    expect(big.serviceLevel).toBeCloseTo(serviceLevelRef(8, 5, T, H), 12);
    expect(mmcK(1, 0.5, 1, T, H).blocked).toBeCloseTo(0.5 / 1.5, 14);
  });
});

describe.each(LOADS)('$a Erlangs on $n agents', ({ a, n, hours }) => {
  const cph = (a * 3600) / H;
  let r: SimulationResult;
  beforeAll(() => {
    r = runSimulation({ callsPerHour: cph, ahtSec: H, agents: n, patienceSec: null, hours, seed: 11, recordCalls: true });
  });

  it('the core serves exactly as an FCFS M/M/N queue, and prints the figures of the model’s waits', () => {
    const calls = r.calls!;
    expect(calls.length).toBeGreaterThan(1000);
    expect(calls.every((c) => c.waitMs >= 0 && c.handleMs > 0)).toBe(true);
    const model = modelWaits(r);
    let worst = 0;
    for (let i = 0; i < calls.length; i++) worst = Math.max(worst, Math.abs(calls[i]!.waitMs - model[i]!));
    // Virtual time has ms resolution; nothing else may differ.
    expect(worst).toBeLessThanOrEqual(1);

    // No trunk limit is reached at these loads: every arrival enters and is answered.
    const m = r.measured;
    expect(m).toMatchObject({ blocked: 0, abandoned: 0, endedBeforeQueue: 0, answerRate: 1 });
    expect(m.entered).toBe(m.offered);
    expect(m.answered).toBe(m.entered);

    // Callers choose the queue at once, so entry = arrival; the window is by arrival.
    const from = START + hours * 3_600_000 * WARMUP;
    const inWindow = model.filter((_, i) => calls[i]!.enteredAt >= from);
    expect(m.entered).toBe(inWindow.length);
    const s = summary(inWindow, T * 1000);
    // 1 ms of rounding may move a wait across T; allow one call's worth.
    expect(Math.abs(m.serviceLevel - s.within)).toBeLessThanOrEqual(1 / inWindow.length);
    expect(Math.abs(m.asaSec - s.mean / 1000)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(m.probWait - s.positive)).toBeLessThanOrEqual(1 / inWindow.length);
    expect(m.occupancy).toBeGreaterThan(0);
    expect(m.occupancy).toBeLessThanOrEqual(1);
  });

  it('prints the textbook Erlang C figures for the nominal load', () => {
    const ec = r.erlangC!;
    expect(Math.abs(ec.probWait - erlangCRef(n, a))).toBeLessThan(1e-9);
    expect(Math.abs(ec.serviceLevel - serviceLevelRef(n, a, T, H))).toBeLessThan(1e-9);
    expect(Math.abs(ec.asaSec / asaRef(n, a, H) - 1)).toBeLessThan(1e-9);
  });

  it('that queue agrees with Erlang C within ±0.01 SL and ±6 % ASA over a million calls', () => {
    const rnd = new SeededRandom(2026);
    const count = 1_000_000;
    const arrivals: number[] = [];
    const services: number[] = [];
    let t = 0;
    for (let i = 0; i < count; i++) {
      t += exponential(rnd, 3_600_000 / cph);
      arrivals.push(t);
      services.push(exponential(rnd, H * 1000));
    }
    const s = summary(fcfsWaits(arrivals, services, n).slice(count / 10), T * 1000);
    expect(Math.abs(s.within - serviceLevelRef(n, a, T, H))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(s.mean / 1000 / asaRef(n, a, H) - 1)).toBeLessThanOrEqual(0.06);
    expect(Math.abs(s.positive - erlangCRef(n, a))).toBeLessThanOrEqual(0.01);
  });

  it('ccgate simulate feeds the core Poisson arrivals and exponential handle times', () => {
    const calls = r.calls!;
    const gaps = calls.slice(1).map((c, i) => c.enteredAt - calls[i]!.enteredAt);
    const handles = calls.map((c) => c.handleMs);
    // Exponential samples: mean within 4 standard errors, coefficient of variation near 1.
    const check = (xs: number[], mean: number) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
      expect(Math.abs(m - mean)).toBeLessThanOrEqual((4 * mean) / Math.sqrt(xs.length));
      expect(Math.abs(sd / m - 1)).toBeLessThanOrEqual(8 / Math.sqrt(xs.length));
    };
    check(gaps, 3_600_000 / cph);
    check(handles, H * 1000);
  });
});

/**
 * Overload: 6 Erlangs on 5 agents can never be served, so callers pile up
 * until the trunk is full and further arrivals are blocked. A waiting caller
 * holds one channel and a caller with an agent two (the agent leg is bridged
 * on the same trunk), so 14 channels hold K = 14 − 5 = 9 callers: the queue
 * is M/M/5/9, whose blocking, waits and occupancy have closed forms.
 * Replications with different seeds give the run-to-run spread; each figure
 * must sit within 4 standard errors of the theory (the seeds are fixed, so
 * the test is deterministic; 4 SE keeps it from resting on a lucky seed).
 */
describe('overload: 6 Erlangs on 5 agents behind a 14-channel trunk', () => {
  const c = 5;
  const a = 6;
  const channels = 14;
  const theory = mmcK(c, a, channels - c, T, H);
  const runs: SimulationResult[] = [];
  beforeAll(() => {
    for (let seed = 1; seed <= 6; seed++) {
      runs.push(runSimulation({ callsPerHour: (a * 3600) / H, ahtSec: H, agents: c, patienceSec: null, hours: 30, seed, trunkChannels: channels, recordCalls: true }));
    }
  });

  it('accounts for every arrival: offered = blocked + entered, and blocked calls count against the answer rate', () => {
    for (const r of runs) {
      const m = r.measured;
      expect(r.input.trunkChannels).toBe(channels);
      expect(m.blocked).toBeGreaterThan(0);
      expect(m.offered).toBe(m.blocked + m.entered + m.endedBeforeQueue);
      expect(m.endedBeforeQueue).toBe(0);
      expect(m.answered + m.abandoned).toBe(m.entered);
      expect(m.answerRate).toBeCloseTo(m.answered / m.offered, 12);
      expect(m.answerRate).toBeLessThan(1);
      expect(m.occupancy).toBeLessThanOrEqual(1);
      // Erlang C assumes an unlimited queue: nothing to compare with here.
      expect(r.erlangC).toBeNull();
      expect(r.erlangCRealised).toBeNull();
    }
  });

  it('blocking leaves the queue FCFS: every admitted call waits exactly as the recursion says', () => {
    for (const r of runs) {
      const model = modelWaits(r);
      let worst = 0;
      r.calls!.forEach((call, i) => (worst = Math.max(worst, Math.abs(call.waitMs - model[i]!))));
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    ['blocked share', (r: SimulationResult) => r.measured.blockedShare, theory.blocked],
    ['answer rate', (r: SimulationResult) => r.measured.answerRate, 1 - theory.blocked],
    ['ASA (s)', (r: SimulationResult) => r.measured.asaSec, theory.meanWait],
    ['P(wait)', (r: SimulationResult) => r.measured.probWait, theory.probWait],
    ['service level', (r: SimulationResult) => r.measured.serviceLevel, theory.serviceLevel],
    ['occupancy', (r: SimulationResult) => r.measured.occupancy, theory.occupancy],
  ] as const)('%s agrees with M/M/5/9 within 4 standard errors of 6 replications', (_, figure, expected) => {
    const xs = runs.map(figure);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const se = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) / xs.length);
    expect(se).toBeGreaterThan(0);
    expect(Math.abs(mean - expected), `mean ${mean}, theory ${expected}, SE ${se}`).toBeLessThanOrEqual(4 * se);
  });
});
