/**
 * Fleet mode against one real sshd: ten unit roots behind it (--units FILE),
 * flashed in parallel. The updater on each "unit" is the scripted stand-in
 * (test/support/scriptedUpdater.mjs), so the summary table and the canary
 * limit are checked in a second each; fleetReal.test.ts flashes ten units
 * with the real updater and daemons.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashCommand } from '../../firmware/flash/flashCommand.ts';
import { summaryText, type SummaryJson } from '../../firmware/flash/summaryTable.ts';
import { captureEnv, makeScriptedUnit, makeTestBundle, SCRIPTED_REMOTE, startSshd, type TestSshd } from '../support/sshd.ts';

let sshd: TestSshd;
let dir: string;
let bundle: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'ccgate-fleet-'));
  bundle = await makeTestBundle(dir, '0.2.0', 200_000);
});
afterAll(async () => {
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

const names = Array.from({ length: 10 }, (_, i) => `unit-${String(i + 1).padStart(2, '0')}`);

/** Ten roots; `broken` ones roll back (their new release fails probation). Returns the --units file. */
function fleet(tag: string, broken: string[]): { file: string; root: (n: string) => string } {
  const root = (n: string): string => join(dir, tag, n);
  for (const n of names) makeScriptedUnit(root(n), { from: '0.1.0', outcome: broken.includes(n) ? 'rolled-back' : 'installed', reason: 'probation: the daemon restarted 3 times', delayMs: 100 });
  const file = join(dir, `${tag}.units`);
  writeFileSync(file, ['# branch units behind the test sshd', ...names.map((n) => `${n} root@127.0.0.1:${sshd.port} ${root(n)}`)].join('\n') + '\n');
  return { file, root };
}

const common = (): string[] => ['--identity', sshd.clientKeyFile, '--known-hosts', sshd.knownHostsFile, '--remote-ccgate', SCRIPTED_REMOTE];

describe('ccgate flash, fleet mode (ten roots behind one sshd, scripted updater)', () => {
  it('flashes ten units four at a time; the broken one is rolled back and the summary says so', async () => {
    const f = fleet('all', ['unit-07']);
    const io = captureEnv();
    const code = await flashCommand([bundle, '--units', f.file, ...common(), '--json'], io.env);
    expect(code).toBe(1);
    const s = JSON.parse(io.out()) as SummaryJson;
    expect(s).toMatchObject({ mode: 'apply', ok: false, halted: false });
    expect(s.units.map((u) => [u.unit, u.from, u.to, u.result, u.ok])).toEqual(
      names.map((n) => (n === 'unit-07' ? [n, '0.1.0', '0.2.0', 'rolled-back', false] : [n, '0.1.0', '0.2.0', 'installed', true])),
    );
    expect(s.units[6]).toMatchObject({ code: 'PROBATION_FAILED', reason: 'probation: the daemon restarted 3 times' });
    expect(s.units.every((u) => typeof u.seconds === 'number' && u.seconds > 0)).toBe(true);
    for (const n of names) expect(readdirSync(join(f.root(n), 'var/lib/ccgate/incoming'))).toEqual(['ccgate-0.2.0-linux-x64.tar.gz']);

    // The same run as the technician's table: unit, from, to, result, time; then why a unit failed; then the totals.
    const lines = summaryText({ outcomes: s.units, halted: s.halted }).split('\n');
    expect(lines[0]).toMatch(/^unit\s+from\s+to\s+result\s+time$/);
    expect(lines[2]).toMatch(/^unit-01\s+0\.1\.0\s+0\.2\.0\s+installed\s+\d+\.\d s$/);
    expect(lines[8]).toMatch(/^unit-07\s+0\.1\.0\s+0\.2\.0\s+rolled-back \(PROBATION_FAILED\)\s+\d+\.\d s$/);
    expect(lines).toContain('unit-07: probation: the daemon restarted 3 times');
    expect(lines).toContain('10 units: 9 installed, 1 rolled-back');
  });

  it('stops a canary rollout at the first failure: the units after it are not attempted and never touched', async () => {
    const f = fleet('canary', ['unit-02']);
    const io = captureEnv();
    const code = await flashCommand([bundle, '--units', f.file, ...common(), '--parallel', '1', '--max-failures', '1', '--json'], io.env);
    expect(code).toBe(1);
    const s = JSON.parse(io.out()) as SummaryJson;
    expect(s.halted).toBe(true);
    expect(s.units.map((u) => u.result)).toEqual(['installed', 'rolled-back', ...Array<string>(8).fill('not attempted')]);
    expect(s.units[5]).toMatchObject({ from: null, seconds: null });
    for (const n of names.slice(2)) {
      expect(readdirSync(join(f.root(n), 'var/lib/ccgate/incoming'))).toEqual([]);
      expect(existsSync(join(f.root(n), 'scripted-update.log'))).toBe(false);
    }
  });
});
