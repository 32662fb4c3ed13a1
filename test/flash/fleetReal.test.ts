/**
 * A fleet flashed end to end: ten unit roots behind a real sshd on loopback,
 * each running the real `ccgate update apply` (this checkout's updater) with
 * the systemctl stand-in starting each release's own compiled daemon, and a
 * real signed bundle. The release has a bug that only one branch's config
 * brings out (its daemon exits at start there): that unit rolls itself back to
 * the release it ran, the nine others run the new one, and the summary says so.
 *
 * The units start from a template: the old release unpacked once, current
 * and stopped, then copied ten times with each unit's own config.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashCommand } from '../../firmware/flash/flashCommand.ts';
import { summaryText, type SummaryJson } from '../../firmware/flash/summaryTable.ts';
import { currentTarget } from '../../firmware/release/manifest.ts';
import { TrustStore } from '../../firmware/release/trustStore.ts';
import { unitPaths } from '../../firmware/release/unitPaths.ts';
import { verifyBundle } from '../../firmware/release/verifyBundle.ts';
import { switchLink } from '../../firmware/update/links.ts';
import { readState } from '../../firmware/update/updateState.ts';
import { makeTestKey, makeTestRelease, makeTestUnit } from '../support/releaseFixture.ts';
import { captureEnv, startSshd, type TestSshd } from '../support/sshd.ts';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(CHECKOUT, 'bin', 'ccgate.mjs');
const STANDIN = join(CHECKOUT, 'test', 'support', 'systemctlStandin.mjs');
const names = Array.from({ length: 10 }, (_, i) => `unit-${String(i + 1).padStart(2, '0')}`);
/** Flashed alone, its link cut while the unit watches the new release. */
const CUT = 'unit-11';
const BROKEN = 'unit-07';
/** What the broken unit's config has and the others' do not: the release's bug trips on it. */
const MARKER = '# legacy-ivr';

let sshd: TestSshd;
let dir: string;
let wrapper: string;
let bundle: string;

const rootOf = (n: string): string => join(dir, n);
const standinState = (root: string): Record<string, unknown> => JSON.parse(readFileSync(join(`${root}.standin`, 'state.json'), 'utf8')) as Record<string, unknown>;

/** The unit's config: its own API socket (short path) and database; the broken unit's carries the marker. */
function configFor(n: string): string {
  const p = unitPaths(rootOf(n));
  return ['version: 1', `site: {name: ${n}, drainMs: 1s}`, `store: {path: '${p.database}'}`, 'queueLog: {path: null}', `api: {socketPath: '${join(dir, `${n.slice(-2)}.sock`)}'}`, 'trunks:', '  - {id: sim1, type: sim, channels: 2}', 'log: {level: warn}', ...(n === BROKEN ? [MARKER] : []), ''].join('\n');
}

beforeAll(async () => {
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'ccgate-flt-'));
  const key = makeTestKey(join(dir, 'keys'));
  const old = await makeTestRelease({ dir: join(dir, 'b'), version: '3.0.0', seq: 30, key });
  bundle = await makeTestRelease({
    dir: join(dir, 'b'),
    version: '3.1.0',
    seq: 31,
    key,
    // The bug: the daemon exits at start on a site whose config has the marker; every other command works.
    mutate: (d: string) =>
      writeFileSync(
        join(d, 'bin', 'ccgate.mjs'),
        `#!/usr/bin/env node\nimport { readFileSync } from 'node:fs';\nconst i = process.argv.indexOf('--config');\nif (process.argv[2] === 'run' && i > 0 && readFileSync(process.argv[i + 1], 'utf8').includes(${JSON.stringify(MARKER)})) process.exit(1);\nconst m = await import('../dist/firmware/cli/main.js');\nprocess.exitCode = await m.main(process.argv.slice(2));\n`,
      ),
  });
  // The template: the old release unpacked and verified by the updater's own code, current and not
  // running (apply.test.ts installs a first release through the whole updater).
  const template = join(dir, 'template');
  const p = makeTestUnit(template, key, join(dir, 't.sock'));
  await (await verifyBundle(old, { trust: TrustStore.load(p.trustStore), target: currentTarget() })).extractTo(p.release('3.0.0'));
  switchLink(p.current, '3.0.0');
  for (const n of [...names, CUT]) {
    // Hard links (cp -al): ten copies of ~2,800 files in no time. The updater never writes into a
    // release's files or the trust store, and replaces its state by rename; the config is replaced here.
    execFileSync('cp', ['-al', template, rootOf(n)]);
    rmSync(unitPaths(rootOf(n)).config);
    writeFileSync(unitPaths(rootOf(n)).config, configFor(n));
  }
  // The unit's `ccgate`, as sshd runs it: this checkout's updater, with the stand-in for the root given by --root.
  wrapper = join(dir, 'unit-ccgate.sh');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      'root=""; prev=""',
      'for a in "$@"; do [ "$prev" = "--root" ] && root="$a"; prev="$a"; done',
      `export CCGATE_FROM_SOURCE=0 CCGATE_SYSTEMCTL='${process.execPath} ${STANDIN}' CCGATE_STANDIN_DIR="$root.standin" CCGATE_STANDIN_ROOT="$root"`,
      `exec '${process.execPath}' '${CLI}' "$@"`,
      '',
    ].join('\n'),
  );
}, 240_000);

afterAll(async () => {
  // SIGKILL, not a drained stop: ten daemons draining would add seconds for nothing.
  for (const n of dir === undefined ? [] : [...names, CUT]) {
    let s: Record<string, unknown>;
    try {
      s = standinState(rootOf(n));
    } catch {
      continue;
    }
    for (const pid of [s.supervisorPid, s.MainPID]) {
      try {
        if (typeof pid === 'number' && pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await sshd?.stop();
  // maxRetries: a process killed a moment ago may still be closing files in there.
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

/** sshd's processes under `pid` (the per-connection monitor and session processes), from /proc: not the programs they run. */
function sshdSessionsUnder(pid: number): number[] {
  const procs: Array<{ pid: number; ppid: number; comm: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      procs.push({ pid: Number(name), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (parent: number): void => {
    for (const p of procs.filter((x) => x.ppid === parent)) {
      if (p.comm.startsWith('sshd')) out.push(p.pid);
      walk(p.pid);
    }
  };
  walk(pid);
  return out;
}

describe('ccgate flash: ten units with the real updater', () => {
  it('installs on nine, and the unit the release breaks rolls itself back to the release it ran; the summary says so', async () => {
    const units = join(dir, 'units');
    writeFileSync(units, names.map((n) => `${n} root@127.0.0.1:${sshd.port} ${rootOf(n)}`).join('\n') + '\n');
    const io = captureEnv();
    const code = await flashCommand([bundle, '--units', units, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', `sh ${wrapper}`, '--probation', '1s', '--parallel', '5', '--json'], io.env);
    expect(code, io.err()).toBe(1);
    const s = JSON.parse(io.out()) as SummaryJson;
    expect(s.units.map((u) => [u.unit, u.from, u.to, u.result])).toEqual(names.map((n) => [n, '3.0.0', '3.1.0', n === BROKEN ? 'rolled-back' : 'installed']));
    expect(String(s.units[6]?.reason)).not.toBe('');
    // The technician's table: unit, from, to, result, time; then why a unit failed; then the totals.
    const lines = summaryText({ outcomes: s.units, halted: s.halted }).split('\n');
    expect(lines[0]).toMatch(/^unit\s+from\s+to\s+result\s+time$/);
    expect(lines[2]).toMatch(/^unit-01\s+3\.0\.0\s+3\.1\.0\s+installed\s+\d+\.\d s$/);
    expect(lines[8]).toMatch(/^unit-07\s+3\.0\.0\s+3\.1\.0\s+rolled-back \([A-Z_]+\)\s+\d+\.\d s$/);
    expect(lines).toContain(`unit-07: ${String(s.units[6]?.reason)}`);
    expect(lines).toContain('10 units: 9 installed, 1 rolled-back');
    for (const n of names) {
      const p = unitPaths(rootOf(n));
      expect(readlinkSync(p.current), n).toBe(n === BROKEN ? 'releases/3.0.0' : 'releases/3.1.0');
      // Either way the unit ends with a running daemon: the new release, or the old one restarted.
      expect(standinState(rootOf(n)), n).toMatchObject({ ActiveState: 'active' });
    }
  }, 300_000);

  it('a unit whose link drops in the middle of the update finishes it on its own; the flasher says the link was lost', async () => {
    const io = captureEnv();
    const flashing = flashCommand([bundle, `root@127.0.0.1:${sshd.port}`, '--unit-root', rootOf(CUT), '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', `sh ${wrapper}`, '--probation', '1s', '--json'], io.env);
    // Cut the connection while the unit unpacks (kill sshd's session processes): every step from the
    // switch on runs with nobody reading the updater's output.
    const sshdPid = Number(readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8'));
    const until = Date.now() + 60_000;
    while (!io.err().includes('unpack') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(io.err()).toContain('unpack');
    const sessions = sshdSessionsUnder(sshdPid);
    expect(sessions.length).toBeGreaterThan(0);
    for (const pid of sessions) process.kill(pid, 'SIGKILL');
    const code = await flashing;
    expect(code).not.toBe(0);
    const s = JSON.parse(io.out()) as SummaryJson;
    expect(s.units[0]).toMatchObject({ unit: `root@127.0.0.1:${sshd.port}`, ok: false, code: 'CONNECTION_LOST' });
    // The updater on the unit did not die with the link: it judges the release and commits it.
    const p = unitPaths(rootOf(CUT));
    const deadline = Date.now() + 30_000;
    const settled = (): boolean => readlinkSync(p.current) === 'releases/3.1.0' && readState(p.state).pending === null && readState(p.state).step === null;
    while (Date.now() < deadline && !settled()) await new Promise((r) => setTimeout(r, 200));
    expect(readState(p.state)).toMatchObject({ pending: null, step: null, lastRollback: null });
    expect(readlinkSync(p.current)).toBe('releases/3.1.0');
    expect(readlinkSync(p.previous)).toBe('releases/3.0.0');
    expect(standinState(rootOf(CUT))).toMatchObject({ ActiveState: 'active', SubState: 'running' });
  }, 120_000);
});
