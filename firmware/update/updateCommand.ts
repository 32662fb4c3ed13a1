/**
 * `ccgate update apply|rollback|status|boot-attempt|recover|preflight`: the
 * updater on the unit, as root (docs/releases.md "Updating a unit"). `ccgate
 * flash` runs `update apply BUNDLE --json` over SSH; a USB stick install runs
 * the same command by hand. Exit codes: 0 installed, unchanged, dry run or
 * done; 1 refused before any change (or a failure); 2 bad arguments; 3
 * rolled back, the old release running.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandEnv, Values } from '../cli/args.ts';
import { onlyFor, parse, str } from '../cli/args.ts';
import { parseDuration } from '../config/duration.ts';
import { UsageError } from '../cli/usage.ts';
import { unitPaths, type UnitPaths } from '../release/unitPaths.ts';
import { apply, monotonicNow } from './apply.ts';
import { crashHookFrom } from './crashHook.ts';
import { takeLock } from './lock.ts';
import { preflightHere } from './preflight.ts';
import { surviveLostLink } from './lostLink.ts';
import { exitCodeOf, jsonReporter, textReporter, type Reporter, type UpdateResult } from './progress.ts';
import { bootAttempt, recover } from './recover.ts';
import { rollback } from './rollback.ts';
import { statusText, updateStatus } from './status.ts';
import { systemctlFrom } from './systemctl.ts';
import { isUpdateError } from './UpdateError.ts';
import { DEFAULT_KEEP, DEFAULT_SETTLE_MS, type UpdateDeps } from './UpdateDeps.ts';

export const UPDATE_USAGE = `Usage: ccgate update apply BUNDLE [--root DIR] [--json] [--probation DURATION] [--keep N] [--dry-run] [--allow-downgrade]
       ccgate update rollback [--root DIR] [--json]
       ccgate update status [--root DIR] [--json]
       ccgate update recover [--root DIR] [--json]
       ccgate update boot-attempt [--root DIR]

  On the unit, as root. apply: verify BUNDLE (signature against etc/ccgate/release-keys.json, every
  file's hash, the target, seq not lower than the running release's) and the free space, unpack it
  beside the running release, check the unit's config and database with the new release's own
  program, switch opt/ccgate/current, restart the service, and keep it if it stays up for the
  probation with no crash loop and no trunk down that was up; anything failing switches back to
  the previous release and its config, restarts it and says why.
  --root DIR            the unit's file system root (default /; tests use a temporary tree)
  --json                progress as JSON lines, the result as the last line
  --probation DURATION  how long the new release must stay healthy, e.g. 5m, 90s (default 5m)
  --keep N              releases kept after an update, current and previous included (default 3, >= 2)
  --dry-run             verify and check only; nothing on the unit changes
  --allow-downgrade     install a release with a lower seq than the running one
  rollback      back to the previous release, with the config it last ran with
  status        current, previous and pending releases, the releases kept, the service
  recover       finish or undo an update that was interrupted (apply does this first)
  boot-attempt  the service's ExecStartPre: clears half-unpacked releases, counts the starts of a
                pending release and switches back after 3 that never passed probation
  Exit status: 0 installed, unchanged or done; 1 refused (nothing changed) or failed;
  3 rolled back (the previous release runs). Environment: CCGATE_SYSTEMCTL, the systemctl to run.
`;

const ACTIONS = ['apply', 'rollback', 'status', 'recover', 'boot-attempt', 'preflight'] as const;
type Action = (typeof ACTIONS)[number];

const OPTIONS = {
  root: { type: 'string' },
  json: { type: 'boolean' },
  probation: { type: 'string' },
  keep: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'allow-downgrade': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function updateCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'update';
  const { values, positionals } = parse(command, args, OPTIONS, 2);
  if (values.help === true) {
    env.io.out(UPDATE_USAGE);
    return 0;
  }
  const [word, bundle] = positionals;
  if (word === undefined || !(ACTIONS as readonly string[]).includes(word)) {
    throw new UsageError(`update: expected an action (${ACTIONS.filter((a) => a !== 'preflight').join(', ')}), got ${JSON.stringify(word ?? '')}`, command);
  }
  const action = word as Action;
  if (action !== 'apply') {
    if (bundle !== undefined) throw new UsageError(`update ${action}: unexpected argument ${JSON.stringify(bundle)}`, command);
    onlyFor(command, values, ['probation', 'keep', 'dry-run', 'allow-downgrade'], 'update apply');
  }
  const paths = unitPaths(env.path(str(values.root) ?? '/'));
  // Changes in progress finish whatever happens to the caller's connection.
  if (action === 'apply' || action === 'rollback' || action === 'recover') surviveLostLink();
  const json = values.json === true;
  const report = json ? jsonReporter((t) => env.io.out(t)) : textReporter((t) => env.io.out(t));
  const deps: UpdateDeps = {
    paths,
    systemctl: systemctlFrom(process.env),
    env: process.env,
    crash: crashHookFrom(process.env),
    now: monotonicNow,
    wallClock: () => new Date(),
    sleep: (ms) => sleep(ms),
    report,
  };
  try {
    return await run(action, bundle, values, deps, env);
  } catch (e) {
    if (!isUpdateError(e)) throw e;
    // LOCKED, STATE_INVALID, SYSTEMCTL_FAILED outside apply's gates: the unit was not changed by this run.
    return finish({ result: 'refused', from: null, to: null, reason: e.message, code: e.code }, report);
  }
}

async function run(action: Action, bundle: string | undefined, values: Values, deps: UpdateDeps, env: CommandEnv): Promise<number> {
  const { paths, report } = deps;
  switch (action) {
    case 'preflight': {
      // Run by the installer in the NEW release's folder; one JSON line, read by runPreflight().
      const r = await preflightHere(paths);
      env.io.out(JSON.stringify(r) + '\n');
      return r.ok ? 0 : 1;
    }
    case 'boot-attempt':
      env.io.err(`ccgate update boot-attempt: ${bootAttempt(paths, lockPath(paths))}\n`);
      // Never fail the start it runs in: a broken state file must not keep the phones down.
      return 0;
    case 'status': {
      const s = await updateStatus(paths, deps.systemctl);
      env.io.out(values.json === true ? JSON.stringify(s, null, 2) + '\n' : statusText(s));
      return 0;
    }
    case 'recover':
      return locked(paths, async () => {
        const r = await recover(deps, DEFAULT_SETTLE_MS);
        const partials = r.partials.length > 0 ? `removed ${r.partials.join(', ')}; ` : '';
        const what =
          r.action === 'nothing' ? 'nothing to recover'
          : r.action === 'forget' ? `forgot the update to ${r.pending}: it had not switched yet`
          : r.action === 'finish' ? `finished an interrupted commit${r.pruned.length > 0 ? `, removed ${r.pruned.join(', ')}` : ''}`
          : `undid the update to ${r.pending}: ${r.outcome.detail}`;
        if (values.json === true) env.io.out(JSON.stringify({ recovered: r.action, detail: partials + what }) + '\n');
        else report.note(partials + what);
        return r.action === 'undo' && !r.outcome.healthy ? 1 : 0;
      });
    case 'rollback':
      return locked(paths, async () => finish(await rollback(deps, DEFAULT_SETTLE_MS), report, true));
    case 'apply': {
      if (bundle === undefined) throw new UsageError('update apply: expected the BUNDLE to install', 'update');
      const probation = str(values.probation);
      const probationMs = probation === undefined ? 5 * 60_000 : parseDuration(probation);
      if (probationMs === undefined || probationMs < 0) throw new UsageError(`--probation: expected a duration such as 5m or 90s, got ${JSON.stringify(probation)}`, 'update');
      const keepRaw = str(values.keep);
      const keep = keepRaw === undefined ? DEFAULT_KEEP : Number(keepRaw);
      if (!Number.isSafeInteger(keep) || keep < 2) throw new UsageError(`--keep: expected a whole number >= 2 (current and previous are always kept), got ${JSON.stringify(keepRaw)}`, 'update');
      const opts = {
        bundle: env.path(bundle),
        probationMs,
        keep,
        dryRun: values['dry-run'] === true,
        allowDowngrade: values['allow-downgrade'] === true,
        pollMs: Math.min(1_000, Math.max(100, probationMs / 8)),
        settleMs: Math.min(DEFAULT_SETTLE_MS, probationMs),
      };
      if (opts.dryRun) return finish(await apply(deps, opts), report);
      return locked(paths, async () => finish(await apply(deps, opts), report));
    }
  }
}

function lockPath(paths: UnitPaths): string {
  return join(paths.base, 'update.lock');
}

async function locked(paths: UnitPaths, fn: () => Promise<number>): Promise<number> {
  const lock = takeLock(lockPath(paths));
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Print the result; a rollback asked for by hand that worked is a success (exit 0). */
function finish(r: UpdateResult, report: Reporter, askedRollback = false): number {
  report.result(r);
  if (askedRollback && r.result === 'rolled-back' && r.code === undefined) return 0;
  return exitCodeOf(r);
}
