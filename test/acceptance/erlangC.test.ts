import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../firmware/sim/simulate.ts';
import { exponential, SeededRandom } from '../../gateway/core/Random.ts';
import { asa, erlangC, serviceLevel } from '../../gateway/kpi/erlang.ts';
import { fcfsWaits } from '../support/fcfsQueue.ts';

/**
 * `ccgate simulate` against Erlang C, for loads from 1.5 to 50 Erlangs
 * (h = 180 s, T = 20 s, no abandonment, no wrap-up, agents always there).
 *
 * A finite simulation only estimates SL and ASA: near saturation a run of
 * 10,000 calls strays by ±0.02 in SL and ±20 % in ASA by chance alone, and
 * reaching ±0.01 / ±6 % with confidence takes about 500,000 calls per load,
 * minutes per point. So the agreement is shown in three steps that together
 * are exact and stay fast:
 *  1. the core is exactly an FCFS M/M/N queue: every call's wait equals the
 *     textbook recursion's on the same arrivals and handle times;
 *  2. that queue agrees with the Erlang C formulas within ±0.01 and ±6 % on
 *     a million calls from the same random source ccgate simulate uses;
 *  3. the simulator feeds the core Poisson arrivals and exponential handle
 *     times, and prints figures computed from exactly what the core did.
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

describe.each(LOADS)('$a Erlangs on $n agents', ({ a, n, hours }) => {
  const cph = (a * 3600) / H;

  it('the core serves exactly as an FCFS M/M/N queue (every wait equals the recursion’s)', () => {
    const r = runSimulation({ callsPerHour: cph, ahtSec: H, agents: n, patienceSec: null, hours, seed: 11, recordCalls: true });
    const calls = r.calls!;
    expect(calls.length).toBeGreaterThan(1000);
    expect(calls.every((c) => c.waitMs >= 0 && c.handleMs > 0)).toBe(true);
    const model = fcfsWaits(
      calls.map((c) => c.enteredAt),
      calls.map((c) => c.handleMs),
      n,
    );
    let worst = 0;
    for (let i = 0; i < calls.length; i++) worst = Math.max(worst, Math.abs(calls[i]!.waitMs - model[i]!));
    // Virtual time has ms resolution; nothing else may differ.
    expect(worst).toBeLessThanOrEqual(1);
    expect(r.measured.abandoned).toBe(0);
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
    const waits = fcfsWaits(arrivals, services, n);
    const measured = waits.slice(count / 10);
    const sl = measured.filter((w) => w <= T * 1000).length / measured.length;
    const meanWait = measured.reduce((s, w) => s + w, 0) / measured.length / 1000;
    expect(Math.abs(sl - serviceLevel(n, a, T, H))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(meanWait / asa(n, a, H) - 1)).toBeLessThanOrEqual(0.06);
    expect(Math.abs(measured.filter((w) => w > 0).length / measured.length - erlangC(n, a))).toBeLessThanOrEqual(0.01);
  });

  it('ccgate simulate feeds the core Poisson arrivals and exponential handle times, and prints what the core did', () => {
    const r = runSimulation({ callsPerHour: cph, ahtSec: H, agents: n, patienceSec: null, hours, seed: 5, recordCalls: true });
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
    // The printed summary is computed from exactly these calls (after the warm-up).
    const from = calls[0]!.enteredAt - (calls[0]!.enteredAt % 3_600_000) + hours * 3_600_000 * 0.1;
    const measured = calls.filter((c) => c.enteredAt >= from);
    expect(r.measured.calls).toBe(measured.length);
    expect(r.measured.serviceLevel).toBeCloseTo(measured.filter((c) => c.waitMs <= T * 1000).length / measured.length, 12);
    expect(r.measured.asaSec).toBeCloseTo(measured.reduce((s, c) => s + c.waitMs, 0) / measured.length / 1000, 9);
    expect(r.erlangC).toMatchObject({ serviceLevel: serviceLevel(n, a, T, H), asaSec: asa(n, a, H), probWait: erlangC(n, a) });
  });
});
