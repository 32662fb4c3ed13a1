/**
 * What `ccgate install` and the updater leave on a unit: the service user
 * in its device groups, the units and udev rules as the running release
 * ships them, a release key to trust, a complete current release with no
 * update left half-done, and a config that release accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { CcgateConfig } from '../config/CcgateConfig.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { missingGroups, type Account } from '../install/accounts.ts';
import { linkTarget, unitFiles } from '../install/unitFiles.ts';
import { TrustStore } from '../release/trustStore.ts';
import type { UnitPaths } from '../release/unitPaths.ts';
import { linkVersion } from '../update/links.ts';
import { releaseProblem } from '../update/releaseDirs.ts';
import { readState } from '../update/updateState.ts';
import { fail, ok, warn, type Finding } from './Finding.ts';

const INSTALL = 'run ccgate install';

export function checkAccount(account: Account | null): Finding {
  if (account === null) return fail('user', 'there is no ccgate user: the service cannot start', INSTALL);
  const lacking = missingGroups(account);
  if (lacking.length > 0) return fail('user', `ccgate is not in group(s) ${lacking.join(', ')}: their devices stay closed to it`, INSTALL);
  return ok('user', `ccgate (uid ${account.uid}) in ${[...account.groups.keys()].join(', ')}`);
}

/** The installed copies of the units, sysusers snippet and rules against the files of the release in `releaseDir`, and the command link. */
export function checkUnitFiles(p: UnitPaths, releaseDir: string | null): Finding[] {
  const missing: string[] = [];
  const stale: string[] = [];
  for (const { installed, shipped } of unitFiles(p)) {
    if (!existsSync(installed)) missing.push(installed);
    else if (releaseDir !== null && existsSync(join(releaseDir, shipped)) && readFileSync(installed, 'utf8') !== readFileSync(join(releaseDir, shipped), 'utf8')) stale.push(installed);
  }
  if (linkTarget(p.bin) === null) missing.push(`${p.bin} (the service's ExecStartPre runs it)`);
  if (missing.length > 0) return [fail('units', `not installed: ${missing.join(', ')}`, INSTALL)];
  if (stale.length > 0) return [warn('units', `differ from the running release's: ${stale.join(', ')}`, `${INSTALL} (then systemctl daemon-reload), unless the difference is a deliberate local edit (prefer a drop-in: systemctl edit ccgate)`)];
  return [ok('units', 'ccgate.service, ccgate-rollback.service, the sysusers snippet, the udev rules and the command installed')];
}

export function checkTrust(p: UnitPaths): Finding {
  try {
    const keys = TrustStore.load(p.trustStore).keys;
    if (keys.length === 0) return fail('keys', 'the unit trusts no release key: every update is refused', 'ccgate install --trust-key FILE');
    return ok('keys', `trusts ${keys.length} release key(s): ${keys.map((k) => k.id).join(', ')}`);
  } catch (e) {
    return fail('keys', e instanceof Error ? e.message : String(e), 'restore etc/ccgate/release-keys.json from a backup, or reinstall the unit');
  }
}

export function checkRelease(p: UnitPaths): Finding[] {
  const out: Finding[] = [];
  const current = linkVersion(p.current);
  if (current === null) out.push(fail('release', 'no release is installed (no current link)', 'ccgate update apply BUNDLE, or ccgate flash from a laptop'));
  else {
    const problem = releaseProblem(p.release(current), { hashes: false });
    out.push(problem === null ? ok('release', `running ${current}; previous ${linkVersion(p.previous) ?? '(none)'}`) : fail('release', `the current release is damaged: ${problem}`, 'ccgate update rollback, or flash the release again'));
  }
  try {
    const s = readState(p.state);
    if (s.pending !== null) out.push(warn('update', `an update to ${s.pending} is pending (step ${s.step ?? '?'}, ${s.attempts} start(s))`, 'wait for it to finish; if no updater runs: ccgate update recover'));
    else if (s.step !== null) out.push(warn('update', `an update stopped at step ${s.step}`, 'ccgate update recover'));
    if (s.lastRollback !== null) out.push(warn('update', `the last update was rolled back: ${s.lastRollback}`, 'see ccgate update status; fix the release before flashing it again'));
  } catch (e) {
    out.push(fail('update', e instanceof Error ? e.message : String(e), 'ccgate update recover'));
  }
  return out;
}

export function checkConfig(p: UnitPaths): { finding: Finding; config: CcgateConfig | null } {
  if (!existsSync(p.config)) return { finding: fail('config', `there is no ${p.config}`, `${INSTALL} (it writes a skeleton to edit)`), config: null };
  try {
    const config = loadConfig(p.config);
    return { finding: ok('config', `${p.config} accepted (${config.trunks.length} trunk(s), ${config.wallboard.boards.length} board(s))`), config };
  } catch (e) {
    const message = e instanceof CcgateError || e instanceof Error ? e.message : String(e);
    return { finding: fail('config', message, `edit ${p.config}: the message names the key and what it expects`), config: null };
  }
}
