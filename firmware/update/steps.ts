/**
 * The steps of `ccgate update apply` as one table: what each changes on the
 * unit, which comes next, and what recovery does when the process died in it
 * (kill -9, a power cut). The state file (updateState.ts) records the step
 * begun while an update is pending, so `update recover`, `update
 * boot-attempt` and the next `update apply` resume from it.
 *
 * The rule behind the table: nothing a running release uses changes before
 * the switch, which is one rename; everything before it is undone by
 * forgetting it, everything after it by switching back. An update whose
 * installer died before its probation ended was never judged healthy, so
 * recovery switches back rather than guessing (the technician flashes
 * again; docs/releases.md).
 */

/** Every step of apply, in order, and `rollback` (the undo, itself resumable). */
export const STEP_NAMES = ['verify', 'unpack', 'preflight', 'prepare', 'save-config', 'switch', 'restart', 'probation', 'commit', 'rollback'] as const;
export type Step = (typeof STEP_NAMES)[number];

/**
 * What recovery does for an update that died in a step:
 * - `nothing`: no state was written (a leftover `releases/<v>.partial` is deleted, a complete
 *   `releases/<v>` that never ran is kept until pruned);
 * - `forget`: the state says pending but the running release was never touched: clear it;
 * - `undo`: switch back to the previous release with its config, restart it, clear the state;
 * - `finish`: the update was judged healthy: finish pruning and clear the step.
 */
export type OnCrash = 'nothing' | 'forget' | 'undo' | 'finish';

export interface StepRow {
  next: Step | null;
  /** What the step changes on the unit (docs and `update status`). */
  changes: string;
  onCrash: OnCrash;
}

export const STEPS: Readonly<Record<Step, StepRow>> = {
  verify: { next: 'unpack', changes: 'nothing: signature, hashes, target, seq and free space are checked on the bundle', onCrash: 'nothing' },
  unpack: { next: 'preflight', changes: 'releases/<v>.partial, fsynced, then renamed to releases/<v>', onCrash: 'nothing' },
  preflight: { next: 'prepare', changes: "nothing: the new release's program reads the config and the database read-only", onCrash: 'nothing' },
  prepare: { next: 'save-config', changes: 'the state file: pending <v>, previous <old>', onCrash: 'forget' },
  'save-config': { next: 'switch', changes: 'releases/<old>/config.yaml: the config the old release ran with', onCrash: 'forget' },
  switch: { next: 'restart', changes: 'current -> releases/<v>, then previous -> releases/<old> (each one rename)', onCrash: 'undo' },
  restart: { next: 'probation', changes: 'the service restarted on <v>', onCrash: 'undo' },
  probation: { next: 'commit', changes: 'nothing: the service and its trunks are watched', onCrash: 'undo' },
  commit: { next: null, changes: 'the state file: pending null; releases beyond --keep deleted', onCrash: 'finish' },
  rollback: { next: null, changes: 'current -> releases/<old>, its config back, previous -> the one before, the service restarted', onCrash: 'undo' },
};

/** The state file fields recovery reads. */
export interface RecoveryInput {
  pending: string | null;
  step: Step | null;
}

/** What to do with the state found on disk (a pure function of it; recover.ts does it). */
export function recoveryAction(state: RecoveryInput): OnCrash {
  if (state.pending === null) return state.step === 'commit' ? 'finish' : 'nothing';
  // Pending without a step cannot be written by this updater; switching back is always safe.
  if (state.step === null) return 'undo';
  const action = STEPS[state.step].onCrash;
  // A pending state is only written from `prepare` on: a step before it means a hand-edited file.
  return action === 'nothing' || action === 'finish' ? 'undo' : action;
}
