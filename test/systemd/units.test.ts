import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_NODE_FLAGS } from '../../firmware/runtime/nodeFlags.ts';

/** Exposure aim of issue 13 (systemd-analyze's threshold is the score × 10). */
const EXPOSURE_THRESHOLD = 40;
const UNITS = ['ccgate.service', 'ccgate-rollback.service'];
const unitDir = join(dirname(fileURLToPath(import.meta.url)), '../../systemd');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!hasAnalyze) console.warn('SKIPPED test/systemd/units.test.ts: systemd-analyze is missing (apt-get install systemd)');

let root: string;
beforeAll(() => {
  if (!hasAnalyze) return;
  // A staged root: the units, stand-ins for the executables they name, and the
  // host's own targets (verify needs sysinit.target and the like under --root).
  root = mkdtempSync(join(tmpdir(), 'ccgate-units-'));
  const units = join(root, 'etc/systemd/system');
  mkdirSync(units, { recursive: true });
  for (const u of UNITS) copyFileSync(join(unitDir, u), join(units, u));
  for (const exe of ['usr/bin/node', 'usr/local/bin/ccgate']) {
    mkdirSync(dirname(join(root, exe)), { recursive: true });
    writeFileSync(join(root, exe), '#!/bin/sh\n');
    chmodSync(join(root, exe), 0o755);
  }
  if (existsSync('/usr/lib/systemd/system')) cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!hasAnalyze)('systemd units, checked offline', () => {
  it('systemd-analyze verify prints nothing (it exits 0 on unknown keys, so any output is a failure)', () => {
    const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, ...UNITS], { cwd: join(root, 'etc/systemd/system'), encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it(`ccgate.service's exposure is at most ${EXPOSURE_THRESHOLD / 10}`, () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', `--root=${root}`, `--threshold=${EXPOSURE_THRESHOLD}`, 'ccgate.service'], { cwd: join(root, 'etc/systemd/system'), encoding: 'utf8' });
    const score = /exposure level for ccgate\.service: ([\d.]+)/.exec(r.stdout)?.[1];
    expect(Number(score)).toBeLessThanOrEqual(EXPOSURE_THRESHOLD / 10);
    expect(r.status).toBe(0);
  });

  it('runs the release with the deploy node flags and keeps serial, GPIO, I2C and SPI open', () => {
    const unit = readFileSync(join(unitDir, 'ccgate.service'), 'utf8');
    expect(unit).toContain(`ExecStart=/usr/bin/node ${DEPLOY_NODE_FLAGS.join(' ')} /opt/ccgate/current/bin/ccgate.mjs run --config /etc/ccgate/ccgate.yaml`);
    for (const dev of ['ttyUSB', 'ttyACM', 'ttyAMA', 'gpiochip', 'i2c', 'spi']) expect(unit).toContain(`DeviceAllow=char-${dev} rw`);
    expect(unit).not.toMatch(/^PrivateDevices=yes/m);
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
    // No value followed by a comment on its line (systemd would take the comment as part of the value).
    expect(unit.split('\n').filter((l) => !l.startsWith('#') && l.includes('#'))).toEqual([]);
  });
});
