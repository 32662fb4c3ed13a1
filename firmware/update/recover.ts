/**
 * Recovery: finishing or undoing an update that died (steps.ts says which),
 * as `update recover`, at the start of every `update apply` and, for the
 * crash-loop case, `update boot-attempt` (ExecStartPre of the service).
 */
import type { UnitPaths } from '../release/unitPaths.ts';
import { linkVersion, removeLink, switchLink } from './links.ts';
import { lockHolder } from './lock.ts';
import { pruneReleases, removePartials, restoreConfigCopy } from './releaseDirs.ts';
import { recoveryAction, STEP_NAMES, type Step } from './steps.ts';
import { serviceDown } from './health.ts';
import { DEFAULT_KEEP, MAX_BOOT_ATTEMPTS, type UpdateDeps } from './UpdateDeps.ts';
import { EMPTY_STATE, patchState, readState, writeState, type UpdateState } from './updateState.ts';

export interface UndoOutcome {
  /** The old release is running (or was already, untouched). */
  healthy: boolean;
  detail: string;
}

/** Whether the service may have been restarted onto the pending release in `step`. */
function restartedIn(step: Step | null): boolean {
  return step === null || STEP_NAMES.indexOf(step) >= STEP_NAMES.indexOf('restart');
}

/**
 * Switch back from `state.pending` to `state.previous`: the link, the config that release ran with,
 * `previous` as it was before the update, then restart it when anything it runs on changed, and clear
 * the state. Every part is idempotent, so an undo a crash interrupted is resumed by running it again.
 */
export async function undo(deps: UpdateDeps, state: UpdateState, reason: string, settleMs: number): Promise<UndoOutcome> {
  const { paths } = deps;
  const to = state.previous;
  if (to === null) {
    // An interrupted first install: nothing to go back to; the service stays stopped until an install passes.
    await deps.systemctl.stop();
    removeLink(paths.current);
    writeState(paths.state, { ...EMPTY_STATE, lastRollback: `${state.pending ?? '?'}: ${reason}` });
    return { healthy: false, detail: `no previous release: ${state.pending ?? '?'} (a first install) was taken out of service` };
  }
  patchState(paths.state, { step: 'rollback' });
  deps.crash('rollback');
  const switched = linkVersion(paths.current) !== to;
  if (switched) switchLink(paths.current, to);
  const configBack = restoreConfigCopy(paths, to);
  if (state.prior !== null && state.prior !== to) switchLink(paths.previous, state.prior);
  else removeLink(paths.previous);
  let down: string | null = null;
  try {
    down = serviceDown(await deps.systemctl.show());
  } catch (e) {
    down = (e as Error).message;
  }
  let outcome: UndoOutcome = { healthy: true, detail: `back on ${to}${configBack ? ' with its own config' : ''}` };
  if (switched || configBack || restartedIn(state.step) || down !== null) {
    await deps.systemctl.resetFailed();
    const r = await deps.systemctl.restart();
    outcome = r.ok ? await settle(deps, settleMs) : { healthy: false, detail: r.detail };
    if (outcome.healthy) outcome = { healthy: true, detail: `${to} restarted${configBack ? ' with its own config' : ''}` };
  }
  writeState(paths.state, { ...EMPTY_STATE, previous: state.prior !== to ? state.prior : null, lastRollback: `${state.pending ?? '?'}: ${reason}` });
  return outcome;
}

/** The service stays active, without a restart, for `ms`. */
async function settle(deps: UpdateDeps, ms: number): Promise<UndoOutcome> {
  const first = await deps.systemctl.show();
  const end = deps.now() + ms;
  let s = first;
  for (;;) {
    const down = serviceDown(s);
    if (down !== null) return { healthy: false, detail: down };
    if (s.nRestarts > first.nRestarts || s.mainPid !== first.mainPid) return { healthy: false, detail: 'it restarted while settling' };
    const left = end - deps.now();
    if (left <= 0) return { healthy: true, detail: 'running' };
    await deps.sleep(Math.min(500, left));
    s = await deps.systemctl.show();
  }
}

export type RecoverOutcome =
  | { action: 'nothing' }
  | { action: 'forget'; pending: string }
  | { action: 'finish'; pruned: string[] }
  | { action: 'undo'; pending: string; to: string; outcome: UndoOutcome };

/** What apply does first and `update recover` alone. The caller holds the update lock. */
export async function recover(deps: UpdateDeps, settleMs: number): Promise<RecoverOutcome & { partials: string[] }> {
  const { paths } = deps;
  const partials = removePartials(paths);
  const state = readState(paths.state);
  switch (recoveryAction(state)) {
    case 'nothing':
      return { action: 'nothing', partials };
    case 'forget':
      writeState(paths.state, { ...EMPTY_STATE, previous: linkVersion(paths.previous), lastRollback: state.lastRollback });
      return { action: 'forget', pending: state.pending ?? '?', partials };
    case 'finish': {
      const pruned = pruneReleases(paths, state.keep ?? DEFAULT_KEEP, [linkVersion(paths.current), linkVersion(paths.previous)]);
      patchState(paths.state, { step: null });
      return { action: 'finish', pruned, partials };
    }
    case 'undo': {
      const pending = state.pending ?? '?';
      deps.report.step('rollback', 'start', `undoing the interrupted update to ${pending} (it died in step ${state.step ?? '?'})`);
      const outcome = await undo(deps, state, `the update was interrupted in step ${state.step ?? '?'}`, settleMs);
      deps.report.step('rollback', outcome.healthy ? 'ok' : 'failed', outcome.detail);
      return { action: 'undo', pending, to: state.previous ?? '?', outcome, partials };
    }
  }
}

/**
 * `update boot-attempt`, the service's ExecStartPre (as root): clear half-unpacked releases (unless an
 * updater is running: it may be unpacking), count a start of a pending release, and after
 * MAX_BOOT_ATTEMPTS starts that never reached the end of probation switch back to the previous
 * release, with its config. No restart here: the start that runs this goes on with the release
 * `current` now names. Returns a line for the journal.
 */
export function bootAttempt(paths: UnitPaths, lockPath: string): string {
  const partials = lockHolder(lockPath) === null ? removePartials(paths) : [];
  const cleared = partials.length > 0 ? `removed ${partials.join(', ')}; ` : '';
  const state = readState(paths.state);
  if (state.pending === null || linkVersion(paths.current) !== state.pending) return `${cleared}no update pending`;
  const attempts = state.attempts + 1;
  if (attempts <= MAX_BOOT_ATTEMPTS) {
    patchState(paths.state, { attempts });
    return `${cleared}start ${attempts} of pending release ${state.pending} (of ${MAX_BOOT_ATTEMPTS} before it is rolled back)`;
  }
  const to = state.previous;
  if (to === null) return `${cleared}pending release ${state.pending} failed ${state.attempts} starts, and there is no previous release to go back to`;
  patchState(paths.state, { step: 'rollback', attempts });
  switchLink(paths.current, to);
  const configBack = restoreConfigCopy(paths, to);
  if (state.prior !== null && state.prior !== to) switchLink(paths.previous, state.prior);
  else removeLink(paths.previous);
  const reason = `crash loop: ${state.attempts} starts without passing probation`;
  writeState(paths.state, { ...EMPTY_STATE, previous: state.prior !== to ? state.prior : null, lastRollback: `${state.pending}: ${reason}` });
  return `${cleared}rolled back from ${state.pending} to ${to}${configBack ? ' with its config' : ''}: ${reason}`;
}
