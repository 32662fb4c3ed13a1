/**
 * Fleet mode against one real sshd: ten unit roots behind it (--units FILE),
 * flashed in parallel. The updater on each "unit" is the scripted stand-in
 * (test/support/scriptedUpdater.mjs), so the canary limit is checked in a
 * couple of seconds; fleetReal.test.ts flashes ten units with the real
 * updater and daemons and checks the summary table.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashCommand } from '../../firmware/flash/flashCommand.ts';
import type { SummaryJson } from '../../firmware/flash/summaryTable.ts';
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
