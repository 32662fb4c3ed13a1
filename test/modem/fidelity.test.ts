import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { startFakeModemOnPty, type FakeModemOnPty } from '../../drivers/modem/sim/startFakeModemOnPty.ts';
import type { ModemFamily } from '../../drivers/modem/sim/state.ts';

/**
 * Fidelity of the fake modem against an independent AT client: Debian's
 * gammu (1.42) talks to it over the PTY exactly as it would to a real phone
 * (ATE1, AT+CMEE=1, AT+CSCS=?, AT+CGMI/CGMM/CGMR/CGSN/CIMI, AT+CSCA?,
 * AT+CMGF=0, AT+CMGS=<n> + PDU + Ctrl-Z). If gammu accepts the fake, the fake
 * is at least as plausible as the modems gammu knows. gammu paces itself
 * (≈0.3 s per command), so only the SIM800 and Quectel dialects run here.
 */

function gammuInstalled(): boolean {
  try {
    execFileSync('gammu', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * gammu is a required test tool (.ci/run installs it): without it these tests
 * fail with a message saying so, never skip, or a machine without gammu
 * would report the fake's fidelity as checked when it was not.
 */
const HAVE_GAMMU = gammuInstalled();
const GAMMU_REQUIRED = 'gammu is required: apt-get install gammu';

function gammu(rc: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('gammu', ['-c', rc, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const EXPECTED: Partial<Record<ModemFamily, { manufacturer: string; model: string; imei: string }>> = {
  sim800: { manufacturer: 'SIMCOM_Ltd', model: 'SIMCOM_SIM800L', imei: '866262031234567' },
  quectel: { manufacturer: 'Quectel', model: 'EC25', imei: '867698041234567' },
};

beforeEach(() => {
  expect.hasAssertions();
});

describe('gammu', () => {
  it('is installed', () => {
    expect(HAVE_GAMMU, GAMMU_REQUIRED).toBe(true);
  });
});

describe.each(Object.keys(EXPECTED) as ModemFamily[])('gammu against the fake %s', (family) => {
  const want = EXPECTED[family]!;
  let clock: SystemClock;
  let m: FakeModemOnPty;
  let dir: string;
  let rc: string;
  beforeEach(async () => {
    if (!HAVE_GAMMU) throw new Error(GAMMU_REQUIRED);
    clock = new SystemClock();
    m = await startFakeModemOnPty({ family, clock });
    dir = mkdtempSync(join(tmpdir(), 'ccgate-gammu-'));
    rc = join(dir, 'gammurc');
    writeFileSync(rc, `[gammu]\ndevice = ${m.hostPath}\nconnection = at115200\n`);
  });
  afterEach(async () => {
    // Nothing was started when gammu is missing.
    if (!HAVE_GAMMU) return;
    await m.close();
    clock.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gammu identify reads manufacturer, model and IMEI', async () => {
    const r = await gammu(rc, ['identify']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Manufacturer\\s*:\\s*${want.manufacturer}`, 'i'));
    expect(r.stdout).toContain(want.model);
    expect(r.stdout).toMatch(new RegExp(`IMEI\\s*:\\s*${want.imei}`));
    expect(m.fake.received).toEqual(expect.arrayContaining(['ATE1', 'AT+CGMI', 'AT+CGMM', 'AT+CGSN']));
  });

  it('gammu sendsms delivers the text to the fake', async () => {
    const r = await gammu(rc, ['sendsms', 'TEXT', '+15551234567', '-text', 'hello']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK, message reference=1/);
    expect(m.fake.sms.sent).toHaveLength(1);
    expect(m.fake.sms.sent[0]).toMatchObject({ number: '+15551234567', text: 'hello' });
  });
});
