/**
 * A fleet flashed end to end: ten unit roots behind a real sshd on loopback,
 * each running the real `ccgate update apply` (this checkout's updater) with
 * the systemctl stand-in starting each release's own compiled daemon, and a
 * real signed bundle. The release has a bug that only one branch's config
 * brings out (its daemon exits at start there): that unit rolls itself back to
 * the release it ran, the nine others run the new one, and the summary says so.
 *
 * The units start from a template: the old release installed once by the
 * real updater, then copied ten times with each unit's own config.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashCommand } from '../../firmware/flash/flashCommand.ts';
import type { SummaryJson } from '../../firmware/flash/summaryTable.ts';
import { unitPaths } from '../../firmware/release/unitPaths.ts';
import { makeTestKey, makeTestRelease, makeTestUnit } from '../support/releaseFixture.ts';
import { captureEnv, startSshd, type TestSshd } from '../support/sshd.ts';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(CHECKOUT, 'bin', 'ccgate.mjs');
const STANDIN = join(CHECKOUT, 'test', 'support', 'systemctlStandin.mjs');
const names = Array.from({ length: 10 }, (_, i) => `unit-${String(i + 1).padStart(2, '0')}`);
const BROKEN = 'unit-07';
/** What the broken unit's config has and the others' do not: the release's bug trips on it. */
const MARKER = '# legacy-ivr';

let sshd: TestSshd;
let dir: string;
let wrapper: string;
let bundle: string;

const rootOf = (n: string): string => join(dir, n);
const standinEnv = (root: string): NodeJS.ProcessEnv => ({ ...process.env, CCGATE_STANDIN_DIR: `${root}.standin`, CCGATE_STANDIN_ROOT: root });
const standinState = (root: string): Record<string, unknown> => JSON.parse(readFileSync(join(`${root}.standin`, 'state.json'), 'utf8')) as Record<string, unknown>;

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 180_000, maxBuffer: 1 << 22 }, (e, out, err) => resolve({ code: e === null ? 0 : Number(e.code), out, err }));
  });
}

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
  // The template: the old release installed by the real updater, then stopped.
  const template = join(dir, 'template');
  makeTestUnit(template, key, join(dir, 't.sock'));
  const first = await run([CLI, 'update', 'apply', old, '--root', template, '--json', '--probation', '1s'], { ...standinEnv(template), CCGATE_FROM_SOURCE: '1', CCGATE_SYSTEMCTL: `${process.execPath} ${STANDIN}` });
  if (first.code !== 0) throw new Error(`template install failed: ${first.out}${first.err}`);
  await run([STANDIN, 'stop', 'ccgate'], standinEnv(template));
  for (const n of names) {
    cpSync(template, rootOf(n), { recursive: true, verbatimSymlinks: true });
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
      `export CCGATE_FROM_SOURCE=1 CCGATE_SYSTEMCTL='${process.execPath} ${STANDIN}' CCGATE_STANDIN_DIR="$root.standin" CCGATE_STANDIN_ROOT="$root"`,
      `exec '${process.execPath}' '${CLI}' "$@"`,
      '',
    ].join('\n'),
  );
}, 240_000);

afterAll(async () => {
  if (dir !== undefined) await Promise.all(names.map((n) => run([STANDIN, 'stop', 'ccgate'], standinEnv(rootOf(n)))));
  await sshd?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('ccgate flash: ten units with the real updater', () => {
  it('installs on nine, and the unit the release breaks rolls itself back to the release it ran; the summary says so', async () => {
    const units = join(dir, 'units');
    writeFileSync(units, names.map((n) => `${n} root@127.0.0.1:${sshd.port} ${rootOf(n)}`).join('\n') + '\n');
    const io = captureEnv();
    const code = await flashCommand([bundle, '--units', units, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', `sh ${wrapper}`, '--probation', '2s', '--parallel', '5', '--json'], io.env);
    expect(code, io.err()).toBe(1);
    const s = JSON.parse(io.out()) as SummaryJson;
    expect(s.units.map((u) => [u.unit, u.from, u.to, u.result])).toEqual(names.map((n) => [n, '3.0.0', '3.1.0', n === BROKEN ? 'rolled-back' : 'installed']));
    expect(String(s.units[6]?.reason)).not.toBe('');
    for (const n of names) {
      const p = unitPaths(rootOf(n));
      expect(readlinkSync(p.current), n).toBe(n === BROKEN ? 'releases/3.0.0' : 'releases/3.1.0');
      // Either way the unit ends with a running daemon: the new release, or the old one restarted.
      expect(standinState(rootOf(n)), n).toMatchObject({ ActiveState: 'active' });
    }
  }, 300_000);
});
