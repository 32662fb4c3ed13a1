/**
 * `ccgate update apply` on a unit in a temporary root, with real release
 * bundles built from this checkout, real processes and a stand-in for
 * systemctl that runs each release's own daemon (test/support/systemctlStandin.mjs):
 * a first install, an update kept after probation, refusals that change
 * nothing, and a release that cannot start rolled back. The updater killed
 * at each step is killAtEachStep.test.ts; crash loops, config rollbacks and
 * a wrong clock are rollbackCases.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitPaths } from '../../firmware/release/unitPaths.ts';
import { DAEMON_EXITS_AT_START, FROM_BUILD, makeTestKey, makeTestRelease, makeTestUnit, tamperBundle } from '../support/releaseFixture.ts';
import { CCGATE_CLI, releaseTree, resultOf, STANDIN, type UpdateRun } from '../support/updateRun.ts';
import type { KeyFiles } from '../../firmware/release/signing.ts';

const CLI = CCGATE_CLI;

let work: string;
let root: string;
let standinDir: string;
let key: KeyFiles;
const bundles: Record<string, string> = {};

type Run = UpdateRun;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...FROM_BUILD,
    CCGATE_SYSTEMCTL: `${process.execPath} ${STANDIN}`,
    CCGATE_STANDIN_DIR: standinDir,
    CCGATE_STANDIN_ROOT: root,
    ...extra,
  };
}

function ccgate(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: env(extra), timeout: 120_000, maxBuffer: 1 << 22 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, lines, stderr });
    });
  });
}

const apply = (bundle: string, extra: Record<string, string> = {}, flags: string[] = []) =>
  ccgate(['update', 'apply', bundle, '--root', root, '--json', '--probation', '1s', ...flags], extra);

const result = resultOf;

function current(): string {
  return readlinkSync(unitPaths(root).current);
}

function standin(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(standinDir, 'state.json'), 'utf8')) as Record<string, unknown>;
}

const tree = (): string[] => releaseTree(unitPaths(root).base);

async function stopService(): Promise<void> {
  await new Promise<void>((resolve) => execFile(process.execPath, [STANDIN, 'stop', 'ccgate'], { env: env() }, () => resolve()));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccgate-upd-'));
  root = join(work, 'root');
  standinDir = join(work, 'standin');
  key = makeTestKey(join(work, 'keys'));
  // A unix socket path must stay under 108 bytes: the temporary folder's name is short.
  makeTestUnit(root, key, join(work, 's.sock'));
  bundles.v1 = await makeTestRelease({ dir: join(work, 'b'), version: '1.0.0', seq: 1, key });
  bundles.v2 = await makeTestRelease({ dir: join(work, 'b'), version: '1.1.0', seq: 2, key });
  // Validly signed, but its program exits at once: the service never becomes ready.
  bundles.broken = await makeTestRelease({
    dir: join(work, 'b'),
    version: '1.2.0',
    seq: 3,
    key,
    mutate: (dir: string) => writeFileSync(join(dir, 'bin', 'ccgate.mjs'), DAEMON_EXITS_AT_START),
  });
  bundles.v3 = await makeTestRelease({ dir: join(work, 'b'), version: '1.3.0', seq: 4, key });
}, 180_000);

afterAll(async () => {
  if (root !== undefined) await stopService();
  rmSync(work, { recursive: true, force: true });
});

describe('ccgate update apply', () => {
  it('installs the first release on a fresh unit, and runs it', async () => {
    const r = await apply(bundles.v1!);
    expect(result(r), r.stderr).toMatchObject({ result: 'installed', from: null, to: '1.0.0' });
    expect(r.code).toBe(0);
    expect(current()).toBe('releases/1.0.0');
    expect(standin()).toMatchObject({ ActiveState: 'active' });
  }, 120_000);

  it('updates to a good release: switched, healthy after probation, the previous one kept', async () => {
    const r = await apply(bundles.v2!);
    expect(result(r), r.stderr).toMatchObject({ result: 'installed', from: '1.0.0', to: '1.1.0' });
    expect(r.lines.map((l) => `${String(l.step)}:${String(l.status)}`)).toEqual(
      expect.arrayContaining(['verify:ok', 'unpack:ok', 'preflight:ok', 'switch:ok', 'restart:ok', 'probation:ok', 'commit:ok']),
    );
    expect(current()).toBe('releases/1.1.0');
    expect(readlinkSync(unitPaths(root).previous)).toBe('releases/1.0.0');
    expect(standin()).toMatchObject({ ActiveState: 'active' });
  }, 120_000);

  it('refuses a tampered bundle and a wrong target before anything changes', async () => {
    const before = tree();
    const tampered = await tamperBundle(bundles.v3!, 'package.json', Buffer.from('{"name":"ccgate","version":"6.6.6"}\n'));
    const t = await apply(tampered);
    expect(result(t)).toMatchObject({ result: 'refused', code: 'HASH_MISMATCH' });
    expect(t.code).toBe(1);
    const other = await makeTestRelease({ dir: join(work, 'b2'), version: '1.4.0', seq: 5, key, target: { arch: process.arch === 'arm64' ? 'x64' : 'arm64' } });
    const w = await apply(other);
    expect(result(w)).toMatchObject({ result: 'refused', code: 'WRONG_TARGET' });
    expect(tree()).toEqual(before);
    expect(current()).toBe('releases/1.1.0');
  }, 120_000);

  it('rolls a release that cannot start back to the running one, and says why', async () => {
    const r = await apply(bundles.broken!);
    expect(result(r), r.stderr).toMatchObject({ result: 'rolled-back', from: '1.1.0', to: '1.2.0' });
    expect(r.code).toBe(3);
    expect(String(result(r).reason)).not.toBe('');
    expect(current()).toBe('releases/1.1.0');
    expect(standin()).toMatchObject({ ActiveState: 'active' });
  }, 120_000);
});
