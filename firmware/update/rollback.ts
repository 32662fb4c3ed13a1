/**
 * `ccgate update rollback`: back to the previous release, with the config
 * it last ran with (also what ccgate-rollback.service runs when the service
 * fails past its start limit). An update still pending is undone as
 * recovery would; otherwise current and previous swap, so a second rollback
 * returns. Done as an undo of the running release (recover.ts), so a crash
 * in the middle is resumed by `update recover` like any other step.
 */
import type { UpdateResult } from './progress.ts';
import { linkVersion } from './links.ts';
import { recover, undo } from './recover.ts';
import { releaseProblem, saveConfigCopy } from './releaseDirs.ts';
import { readState, writeState, EMPTY_STATE, type UpdateState } from './updateState.ts';
import type { UpdateDeps } from './UpdateDeps.ts';

export async function rollback(deps: UpdateDeps, settleMs: number): Promise<UpdateResult> {
  const { paths, report } = deps;
  const pending = readState(paths.state);
  if (pending.pending !== null) {
    const r = await recover(deps, settleMs);
    if (r.action === 'undo') {
      return r.outcome.healthy
        ? { result: 'rolled-back', from: r.pending, to: r.to, reason: 'the pending update was undone' }
        : { result: 'rolled-back', from: r.pending, to: r.to, reason: r.outcome.detail, code: 'ROLLBACK_UNHEALTHY' };
    }
  }
  const from = linkVersion(paths.current);
  const to = linkVersion(paths.previous);
  if (from === null) return { result: 'refused', from, to, reason: `no release is installed (${paths.current} is missing)`, code: 'NOT_INSTALLED' };
  if (to === null || to === from) return { result: 'refused', from, to, reason: `there is no previous release to go back to (${paths.previous})`, code: 'NO_PREVIOUS' };
  const problem = releaseProblem(paths.release(to), { hashes: false });
  if (problem !== null) return { result: 'refused', from, to, reason: `the previous release is not complete: ${problem}`, code: 'STATE_INVALID' };
  report.step('rollback', 'start', `${from} -> ${to}`);
  // Kept so that rolling forward again restores what `from` ran with.
  saveConfigCopy(paths, from);
  const state: UpdateState = { ...EMPTY_STATE, pending: from, previous: to, prior: from, step: 'rollback', startedAt: deps.wallClock().toISOString() };
  writeState(paths.state, state);
  const outcome = await undo(deps, state, 'asked for (update rollback)', settleMs);
  report.step('rollback', outcome.healthy ? 'ok' : 'failed', outcome.detail);
  return outcome.healthy ? { result: 'rolled-back', from, to } : { result: 'rolled-back', from, to, reason: outcome.detail, code: 'ROLLBACK_UNHEALTHY' };
}
