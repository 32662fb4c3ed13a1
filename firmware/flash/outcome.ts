/**
 * What happened on one unit during a flash: one row of the summary table and
 * of `--json`. `ok` is judged against what was asked: `rolled-back` is a
 * success for `--rollback` and a failure for an update (the unit runs its old
 * release again, and the canary counts it).
 */
export type UnitResult = 'installed' | 'unchanged' | 'dry-run' | 'rolled-back' | 'refused' | 'failed' | 'unknown' | 'not attempted';

export type FlashMode = 'apply' | 'dry-run' | 'rollback';

export interface UnitOutcome {
  unit: string;
  /** The release before (null when not known: the unit was not reached, or had none). */
  from: string | null;
  /** The release after, or the one offered when the unit refused it. */
  to: string | null;
  result: UnitResult;
  ok: boolean;
  /** Wall time on this unit, seconds; null when not attempted. */
  seconds: number | null;
  /** The updater's or the flasher's error code, when there is one. */
  code?: string;
  reason?: string;
  /** Bundle bytes sent over SFTP (all attempts), and connections used for the upload. */
  bytesSent?: number;
  uploadAttempts?: number;
}

const SUCCESS: Record<FlashMode, readonly UnitResult[]> = {
  apply: ['installed', 'unchanged'],
  'dry-run': ['dry-run'],
  rollback: ['rolled-back'],
};

export function isSuccess(mode: FlashMode, result: UnitResult): boolean {
  return SUCCESS[mode].includes(result);
}

export function notAttempted(unit: string): UnitOutcome {
  return { unit, from: null, to: null, result: 'not attempted', ok: false, seconds: null, reason: 'the rollout stopped at --max-failures before this unit' };
}
