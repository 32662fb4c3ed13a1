/**
 * `ccgate update apply BUNDLE`: the steps of steps.ts in order, each one
 * recorded in the state file before it changes anything, so a crash at any
 * point is finished or undone by recovery. Refusals (bundle, downgrade,
 * space, preflight) happen before the running release is touched; a failure
 * after the switch switches back and restarts the old release.
 */
import { existsSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fsyncDir } from '../release/atomicFile.ts';
import { isReleaseError } from '../release/ReleaseError.ts';
import type { CheckedBundle } from './bundleCheck.ts';
import { readTrunks, socketPathOf } from './daemonTrunks.ts';
import { probation } from './health.ts';
import { linkVersion, removeLink, switchLink } from './links.ts';
import { runPreflight } from './preflight.ts';
import type { UpdateResult } from './progress.ts';
import { recover, undo } from './recover.ts';
import { installedManifest, pruneReleases, releaseProblem, saveConfigCopy } from './releaseDirs.ts';
import { isUpdateError, UpdateError } from './UpdateError.ts';
import { EMPTY_STATE, patchState, writeState, type UpdateState } from './updateState.ts';
import type { UpdateDeps } from './UpdateDeps.ts';

export interface ApplyOptions {
  bundle: string;
  probationMs: number;
  /** Releases kept after a commit, current and previous included (>= 2). */
  keep: number;
  dryRun: boolean;
  allowDowngrade: boolean;
  /** Between two looks at the service during probation (ms). */
  pollMs: number;
  /** How long the old release must stay up after an undo (ms). */
  settleMs: number;
}

/** Free space asked for beyond the release's own bytes: file system blocks, the config copy, the state. */
const SPACE_MARGIN_BYTES = 8 * 1024 * 1024;

export async function apply(deps: UpdateDeps, opts: ApplyOptions): Promise<UpdateResult> {
  const { paths, report } = deps;
  if (!opts.dryRun) await recover(deps, opts.settleMs);
  const from = linkVersion(paths.current);

  // verify: nothing on the unit changes until the bundle, the seq and the space are known good.
  report.step('verify', 'start');
  deps.crash('verify');
  let bundle: CheckedBundle;
  try {
    // Loaded here: tar and the signature code are not needed by boot-attempt, status or recover.
    const { checkBundle } = await import('./bundleCheck.ts');
    bundle = await checkBundle(opts.bundle, paths.trustStore);
  } catch (e) {
    if (!isReleaseError(e)) throw e;
    report.step('verify', 'failed', e.message);
    return { result: 'refused', from, to: null, reason: e.message, code: e.code };
  }
  const m = bundle.manifest;
  const to = m.version;
  const refuse = (e: UpdateError): UpdateResult => {
    report.step('verify', 'failed', e.message);
    return { result: 'refused', from, to, reason: e.message, code: e.code };
  };
  // from === null: a first install (a fresh unit, a USB stick): there is nothing to switch back to.
  if (from === to) {
    report.step('verify', 'ok', `${to} is the running release`);
    return { result: 'unchanged', from, to };
  }
  const running = from === null ? null : installedManifest(paths.release(from));
  if (running !== null && m.seq < running.seq && !opts.allowDowngrade) {
    return refuse(new UpdateError('DOWNGRADE', `${to} (seq ${m.seq}) is older than the running ${from} (seq ${running.seq}); --allow-downgrade installs it anyway`, { seq: m.seq, runningSeq: running.seq }));
  }
  const need = Object.values(m.files).reduce((n, f) => n + f.size, 0) + SPACE_MARGIN_BYTES;
  const fs = statfsSync(paths.releases);
  const free = fs.bavail * fs.bsize;
  if (free < need) return refuse(new UpdateError('NO_SPACE', `${paths.releases} has ${mb(free)} free, ${to} needs ${mb(need)}`, { free, need }));
  report.step('verify', 'ok', `${to} (seq ${m.seq}) signed by a trusted key, ${Object.keys(m.files).length} files, ${mb(free)} free`);
  if (opts.dryRun) return { result: 'dry-run', from, to };

  // unpack: beside the running release, never over it.
  report.step('unpack', 'start');
  const dir = paths.release(to);
  const fresh = !existsSync(dir);
  try {
    if (fresh || releaseProblem(dir, { hashes: true }) !== null || installedManifest(dir)?.seq !== m.seq) {
      const partial = paths.partial(to);
      rmSync(partial, { recursive: true, force: true });
      await bundle.extractTo(partial);
      deps.crash('unpack');
      if (!fresh) renameSync(dir, paths.partial(`${to}.old`));
      renameSync(partial, dir);
      fsyncDir(paths.releases);
      rmSync(paths.partial(`${to}.old`), { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(paths.partial(to), { recursive: true, force: true });
    const err = new UpdateError('UNPACK_FAILED', `unpacking ${to} failed: ${(e as Error).message}`, {}, { cause: e });
    report.step('unpack', 'failed', err.message);
    return { result: 'refused', from, to, reason: err.message, code: isReleaseError(e) ? e.code : err.code };
  }
  report.step('unpack', 'ok', dir);

  // preflight: the new release's own program on this unit's config and database.
  report.step('preflight', 'start');
  deps.crash('preflight');
  const pre = await runPreflight(dir, paths.root, deps.env);
  if (!pre.ok) {
    if (fresh) rmSync(dir, { recursive: true, force: true });
    report.step('preflight', 'failed', pre.reason);
    return { result: 'refused', from, to, reason: pre.reason, code: 'PREFLIGHT_FAILED' };
  }
  report.step('preflight', 'ok', pre.detail);

  // Trunks as the old release sees them, the yardstick of the probation.
  const socket = socketPathOf(paths.config, paths.root);
  const trunksBefore = from === null ? [] : await readTrunks(socket);
  const state: UpdateState = {
    ...EMPTY_STATE,
    pending: to,
    previous: from,
    startedAt: deps.wallClock().toISOString(),
    step: 'prepare',
    prior: linkVersion(paths.previous),
    keep: opts.keep,
  };
  writeState(paths.state, state);
  deps.crash('prepare');
  patchState(paths.state, { step: 'save-config' });
  if (from !== null) saveConfigCopy(paths, from);
  deps.crash('save-config');

  report.step('switch', 'start');
  patchState(paths.state, { step: 'switch' });
  switchLink(paths.current, to);
  deps.crash('switch');
  if (from !== null) switchLink(paths.previous, from);
  report.step('switch', 'ok', from === null ? `current -> releases/${to} (first install)` : `current -> releases/${to}, previous -> releases/${from}`);

  const fail = async (stage: 'restart' | 'probation', reason: string, code: 'UNHEALTHY' | 'SYSTEMCTL_FAILED'): Promise<UpdateResult> => {
    report.step(stage, 'failed', reason);
    if (from === null) {
      await undoFirstInstall(deps);
      return { result: 'failed', from, to, reason, code };
    }
    report.step('rollback', 'start', `back to ${from}`);
    const outcome = await undo(deps, { ...state, step: stage }, reason, opts.settleMs);
    report.step('rollback', outcome.healthy ? 'ok' : 'failed', outcome.detail);
    return outcome.healthy
      ? { result: 'rolled-back', from, to, reason, code }
      : { result: 'rolled-back', from, to, reason: `${reason}; and after switching back: ${outcome.detail}`, code: 'ROLLBACK_UNHEALTHY' };
  };

  report.step('restart', 'start');
  patchState(paths.state, { step: 'restart' });
  let restarted;
  try {
    restarted = await deps.systemctl.restart();
  } catch (e) {
    return fail('restart', (e as Error).message, 'SYSTEMCTL_FAILED');
  }
  deps.crash('restart');
  if (!restarted.ok) return fail('restart', restarted.detail, 'UNHEALTHY');
  report.step('restart', 'ok', 'the service is up');

  report.step('probation', 'start', `${Math.round(opts.probationMs / 1000)} s`);
  patchState(paths.state, { step: 'probation' });
  let verdict;
  try {
    let polls = 0;
    verdict = await probation(
      { systemctl: deps.systemctl, readTrunks: () => readTrunks(socket), now: () => deps.now(), sleep: (ms) => deps.sleep(ms), onPoll: () => polls++ === 0 && deps.crash('probation') },
      { probationMs: opts.probationMs, pollMs: opts.pollMs, trunksBefore },
    );
  } catch (e) {
    if (!isUpdateError(e)) throw e;
    return fail('probation', e.message, 'SYSTEMCTL_FAILED');
  }
  if (!verdict.ok) return fail('probation', verdict.reason, 'UNHEALTHY');
  report.step('probation', 'ok', verdict.detail);

  report.step('commit', 'start');
  writeState(paths.state, { ...EMPTY_STATE, previous: from, step: 'commit', keep: opts.keep });
  deps.crash('commit');
  const pruned = pruneReleases(paths, opts.keep, [to, from]);
  patchState(paths.state, { step: null });
  report.step('commit', 'ok', pruned.length > 0 ? `removed ${pruned.join(', ')}` : 'nothing to remove');
  return { result: 'installed', from, to };
}

/** A first install that failed: stop the service and take the link away (the release stays, for a look). */
export async function undoFirstInstall(deps: UpdateDeps): Promise<void> {
  await deps.systemctl.stop();
  removeLink(deps.paths.current);
  writeState(deps.paths.state, { ...EMPTY_STATE });
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The monotonic clock of a unit (the wall clock may be wrong, or stepped by NTP mid-probation). */
export const monotonicNow = (): number => performance.now();
