import { runSimulation, type SimulationInput } from '../../firmware/sim/simulate.ts';
import { maxRssMB, round } from './rss.ts';

export const SIMULATE_INPUT: SimulationInput = { callsPerHour: 1000, ahtSec: 180, agents: 55, patienceSec: null, hours: 10, seed: 1 };

/**
 * Throughput of `ccgate simulate` (firmware/sim/simulate.ts: M/M/N on the
 * real core, SqliteStore with group commit per virtual minute). It runs
 * synchronously, so peak memory is the kernel's maxRSS of the process.
 */
export function simulateBench(input: SimulationInput = SIMULATE_INPUT): Record<string, unknown> {
  const t0 = performance.now();
  const r = runSimulation(input);
  const wallSec = (performance.now() - t0) / 1000;
  // Arrivals over the whole run (measured.calls excludes the warm-up share).
  const expectedArrivals = input.callsPerHour * input.hours;
  return {
    name: 'simulate',
    input,
    wallSec: round(wallSec, 3),
    callsMeasured: r.measured.calls,
    callsExpected: expectedArrivals,
    callsPerSec: Math.round(expectedArrivals / wallSec),
    virtualHoursPerSec: round(input.hours / wallSec, 2),
    measured: { answered: r.measured.answered, serviceLevel: round(r.measured.serviceLevel, 3), asaSec: round(r.measured.asaSec, 1), occupancy: round(r.measured.occupancy, 3) },
    erlangC: r.erlangC ? { serviceLevel: round(r.erlangC.serviceLevel, 3), asaSec: round(r.erlangC.asaSec, 1) } : null,
    maxRssMB: maxRssMB(),
  };
}
