/**
 * `ccgate flash` end to end: a real sshd on loopback, real signed bundles of
 * this checkout, and on the "unit" (a temporary root) the real `ccgate update
 * apply` with the systemctl stand-in running each release's own daemon.
 * A good release is installed; a release whose daemon cannot start is rolled
 * back by the unit itself and the flasher's summary says so.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashCommand } from '../../firmware/flash/flashCommand.ts';
import { UPLOAD_DEFAULTS } from '../../firmware/flash/upload.ts';
import { unitPaths } from '../../firmware/release/unitPaths.ts';
import { DAEMON_EXITS_AT_START, makeTestKey, makeTestRelease, makeTestUnit } from '../support/releaseFixture.ts';
import { captureEnv, startSshd, type TestSshd } from '../support/sshd.ts';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const STANDIN = join(CHECKOUT, 'test', 'support', 'systemctlStandin.mjs');
const FAST = { upload: { ...UPLOAD_DEFAULTS, backoffMs: () => 50 }, ssh: { readyTimeoutMs: 5000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 } };

let sshd: TestSshd;
let dir: string;
let root: string;
let standinDir: string;
const bundles: Record<string, string> = {};

/** The unit's ccgate, run by sshd through root's shell: this checkout's CLI with the stand-in as systemctl. */
function remote(): string {
  return [
    'env CCGATE_FROM_SOURCE=1',
    `CCGATE_SYSTEMCTL='${process.execPath} ${STANDIN}'`,
    `CCGATE_STANDIN_DIR=${standinDir}`,
    `CCGATE_STANDIN_ROOT=${root}`,
    `${process.execPath} ${join(CHECKOUT, 'bin', 'ccgate.mjs')}`,
  ].join(' ');
}

async function flash(bundle: string): Promise<{ code: number; summary: Array<Record<string, unknown>>; err: string }> {
  const io = captureEnv();
  const args = [bundle, `root@127.0.0.1:${sshd.port}`, '--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', remote(), '--unit-root', root, '--probation', '2s', '--json'];
  const code = await flashCommand(args, io.env, FAST);
  const parsed = JSON.parse(io.out()) as { units?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
  return { code, summary: Array.isArray(parsed) ? parsed : (parsed.units ?? []), err: io.err() };
}

beforeAll(async () => {
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'ccgate-fl2-'));
  root = join(dir, 'unit');
  standinDir = join(dir, 'standin');
  const key = makeTestKey(join(dir, 'keys'));
  makeTestUnit(root, key, join(dir, 's.sock'));
  bundles.good = await makeTestRelease({ dir: join(dir, 'b'), version: '5.0.0', seq: 5, key });
  bundles.broken = await makeTestRelease({
    dir: join(dir, 'b'),
    version: '5.1.0',
    seq: 6,
    key,
    mutate: (d: string) => writeFileSync(join(d, 'bin', 'ccgate.mjs'), DAEMON_EXITS_AT_START),
  });
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => execFile(process.execPath, [STANDIN, 'stop', 'ccgate'], { env: { ...process.env, CCGATE_STANDIN_DIR: standinDir, CCGATE_STANDIN_ROOT: root } }, () => resolve()));
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ccgate flash with the real updater on the unit', () => {
  it('installs a good release over SSH: the unit runs it', async () => {
    const r = await flash(bundles.good!);
    expect(r.code, r.err).toBe(0);
    expect(JSON.stringify(r.summary)).toContain('installed');
    expect(readlinkSync(unitPaths(root).current)).toBe('releases/5.0.0');
  }, 120_000);

  it('a release that cannot start is rolled back by the unit, and the summary says so', async () => {
    const r = await flash(bundles.broken!);
    expect(r.code).not.toBe(0);
    expect(JSON.stringify(r.summary)).toContain('rolled-back');
    expect(readlinkSync(unitPaths(root).current)).toBe('releases/5.0.0');
  }, 120_000);
});
