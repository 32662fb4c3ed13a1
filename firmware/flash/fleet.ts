/**
 * Flash N units with bounded parallelism and a failure budget (the canary):
 * at most `parallel` units at once; once `maxFailures` units have failed, no
 * new unit is started (those already running finish) and the rest are
 * reported "not attempted". `--parallel 1 --max-failures 1` flashes one unit
 * at a time and stops at the first failure.
 *
 * Each unit's life is a small state machine, kept as a table:
 *
 * | from    | input  | to      |
 * |---------|--------|---------|
 * | waiting | start  | running |
 * | waiting | halt   | skipped |
 * | running | finish | done    |
 *
 * (`halt` leaves a running unit alone: stopping it half-way would be worse.)
 */
import { notAttempted, type UnitOutcome } from './outcome.ts';

export type UnitState = 'waiting' | 'running' | 'done' | 'skipped';
export type FleetInput = 'start' | 'halt' | 'finish';

export const UNIT_TRANSITIONS: Readonly<Record<UnitState, Partial<Record<FleetInput, UnitState>>>> = {
  waiting: { start: 'running', halt: 'skipped' },
  running: { finish: 'done' },
  done: {},
  skipped: {},
};

/** The next state, or the same one when the input does not apply (halting a finished unit). */
export function nextUnitState(state: UnitState, input: FleetInput): UnitState {
  return UNIT_TRANSITIONS[state][input] ?? state;
}

export interface FleetOptions {
  /** Units in flight at once (≥ 1). */
  parallel: number;
  /** Stop starting units after this many failures (Infinity: attempt every unit). */
  maxFailures: number;
}

export interface FleetResult {
  /** One outcome per unit, in the order given. */
  outcomes: UnitOutcome[];
  /** True when the failure budget stopped the rollout before every unit was started. */
  halted: boolean;
}

/**
 * Run `flashOne` over the units. `flashOne` must resolve with an outcome
 * (failures included); a rejection is recorded as a failed unit all the same.
 */
export async function runFleet<U extends { name: string }>(units: readonly U[], opts: FleetOptions, flashOne: (unit: U) => Promise<UnitOutcome>): Promise<FleetResult> {
  const states: UnitState[] = units.map(() => 'waiting');
  const outcomes: Array<UnitOutcome | null> = units.map(() => null);
  let failures = 0;
  let halted = false;
  let next = 0;

  await new Promise<void>((resolveAll) => {
    const launch = (): void => {
      while (next < units.length && states.filter((s) => s === 'running').length < opts.parallel && failures < opts.maxFailures) {
        const i = next++;
        const unit = units[i]!;
        states[i] = nextUnitState(states[i]!, 'start');
        flashOne(unit)
          .catch((e: unknown): UnitOutcome => ({ unit: unit.name, from: null, to: null, result: 'failed', ok: false, seconds: null, reason: e instanceof Error ? e.message : String(e) }))
          .then((o) => finish(i, o), () => undefined);
      }
      if (failures >= opts.maxFailures) {
        for (let i = 0; i < units.length; i++) {
          const before = states[i]!;
          states[i] = nextUnitState(before, 'halt');
          if (before === 'waiting') {
            halted = true;
            outcomes[i] = notAttempted(units[i]!.name);
          }
        }
        next = units.length;
      }
      if (states.every((s) => s === 'done' || s === 'skipped')) resolveAll();
    };
    const finish = (i: number, o: UnitOutcome): void => {
      states[i] = nextUnitState(states[i]!, 'finish');
      outcomes[i] = o;
      if (!o.ok) failures++;
      launch();
    };
    launch();
  });
  return { outcomes: outcomes.map((o, i) => o ?? notAttempted(units[i]!.name)), halted };
}
