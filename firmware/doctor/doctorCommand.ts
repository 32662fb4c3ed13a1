/**
 * `ccgate doctor`: look a unit over and say what to fix. Reads only: the
 * service manager, the daemon's API, the files under ROOT, the process
 * table. Everything is read under `--root` so tests lay out a unit of their
 * own; the service manager is CCGATE_SYSTEMCTL, as for the updater.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, str, type CommandEnv } from '../cli/args.ts';
import { readAccount } from '../install/accounts.ts';
import { fileBytes } from '../store/dbFiles.ts';
import { unitPaths, type UnitPaths } from '../release/unitPaths.ts';
import { readTrunks, socketPathOf } from '../update/daemonTrunks.ts';
import { linkVersion } from '../update/links.ts';
import { installedManifest } from '../update/releaseDirs.ts';
import { systemctlFrom, type ServiceState } from '../update/systemctl.ts';
import { configuredDevices, checkDevices } from './checkDevices.ts';
import { checkClock, checkDisk, fileEvidence, readDisk, timesyncFlag, type ClockEvidence } from './checkHost.ts';
import { checkAccount, checkConfig, checkRelease, checkTrust, checkUnitFiles } from './checkInstall.ts';
import { exitCodeOf, fail, findingsText, ok, warn, type Finding } from './Finding.ts';
import { scanProcesses } from './processes.ts';
import { underRoot } from './underRoot.ts';

const USAGE = `usage: ccgate doctor [--root DIR] [--json]
  Look this unit over and say what to fix: the service, the installed release and any
  update left half-done, the config, the ccgate user and its groups, the configured
  ports (present, open to ccgate, not held by ModemManager or another program), the
  free space for the database, and the clock. Exit 0 when nothing fails (warnings
  allowed), 1 otherwise. Run it as root to see which processes hold each port.
  --root DIR   a unit's tree mounted elsewhere (or a test's)
  --json       the findings as one JSON array
`;

async function checkService(p: UnitPaths, env: NodeJS.ProcessEnv): Promise<{ findings: Finding[]; state: ServiceState | null }> {
  let state: ServiceState;
  try {
    state = await systemctlFrom(env).show();
  } catch (e) {
    return { findings: [warn('service', `the service manager did not answer: ${(e instanceof Error ? e.message : String(e)).trim().replace(/\s*\n\s*/g, '; ')}`, 'is this a systemd machine? ccgate runs under systemd on a unit (docs/systemd.md)')], state: null };
  }
  const logs = 'journalctl -u ccgate -n 100 says why';
  if (state.activeState === 'failed') return { findings: [fail('service', `ccgate.service failed (${state.subState})`, `${logs}; then systemctl reset-failed ccgate && systemctl start ccgate`)], state };
  if (state.activeState !== 'active') return { findings: [fail('service', `ccgate.service is ${state.activeState} (${state.subState})`, `systemctl enable --now ccgate; if it does not stay up, ${logs}`)], state };
  const findings: Finding[] = [
    state.nRestarts > 0
      ? warn('service', `active, pid ${state.mainPid}, but restarted ${state.nRestarts} time(s)`, logs)
      : ok('service', `active, pid ${state.mainPid}`),
  ];
  const trunks = await readTrunks(socketPathOf(p.config, p.root));
  if (trunks === null) findings.push(warn('trunks', 'the daemon is running but its API does not answer', `check api.socketPath in ${p.config}; ${logs}`));
  else {
    const down = trunks.filter((t) => !t.up).map((t) => t.id);
    findings.push(down.length === 0 ? ok('trunks', `${trunks.length} trunk(s) up`) : warn('trunks', `down: ${down.join(', ')} (${trunks.length - down.length}/${trunks.length} up)`, 'ccgate status shows why each is down (no SIM, no network, modem not answering)'));
  }
  return { findings, state };
}


export async function doctor(p: UnitPaths, env: NodeJS.ProcessEnv, now: Date): Promise<Finding[]> {
  const findings: Finding[] = [];
  const service = await checkService(p, env);
  findings.push(...service.findings);
  const releaseFindings = checkRelease(p);
  findings.push(...releaseFindings);
  const current = linkVersion(p.current);
  findings.push(...checkUnitFiles(p, current === null ? null : p.release(current)));
  findings.push(checkTrust(p));
  const account = readAccount(p.root);
  findings.push(checkAccount(account));
  const { finding, config } = checkConfig(p);
  findings.push(finding);
  if (config !== null) {
    findings.push(
      ...checkDevices({
        root: p.root,
        devices: configuredDevices(config),
        account,
        procs: scanProcesses(p.root),
        servicePid: service.state?.mainPid ?? 0,
        mmRuleInstalled: existsSync(join(p.udevRules, '77-ccgate-modems.rules')),
      }),
    );
  }
  const database = config === null ? p.database : underRoot(p.root, config.store.path);
  const dbBytes = fileBytes(database) + fileBytes(`${database}-wal`);
  findings.push(checkDisk(readDisk(existsSync(p.data) ? p.data : p.root), dbBytes));
  const built = current === null ? undefined : installedManifest(p.release(current))?.createdAt;
  const evidence: Array<ClockEvidence | null> = [
    fileEvidence(database, 'the database was written'),
    fileEvidence(`${database}-wal`, 'the database was written'),
    fileEvidence(p.state, 'the last update was recorded'),
    built === undefined || Number.isNaN(Date.parse(built)) ? null : { what: `release ${current ?? ''} was built`, at: new Date(built) },
  ];
  findings.push(checkClock({ now, evidence, synchronized: timesyncFlag(p.root) }));
  return findings;
}

export async function doctorCommand(args: string[], env: CommandEnv): Promise<number> {
  if (args.includes('--help')) {
    env.io.out(USAGE);
    return 0;
  }
  const { values } = parse('doctor', args, { root: { type: 'string' }, json: { type: 'boolean' } }, 0);
  const p = unitPaths(env.path(str(values.root) ?? '/'));
  const findings = await doctor(p, process.env, new Date());
  env.io.out(values.json === true ? JSON.stringify(findings) + '\n' : findingsText(findings));
  return exitCodeOf(findings);
}
