/**
 * `kill -9` of the updater at each step of `ccgate update apply`
 * (CCGATE_UPDATE_CRASH_AT makes the real process SIGKILL itself there),
 * then `ccgate update recover`: the unit always ends on a complete release
 * whose files match its signed manifest, with no update left pending, and a
 * service that was restarted onto the new release is restarted back. The
 * service manager here is a recording fake (a shell script) so that the
 * nine crashes run side by side in a few seconds; apply.test.ts runs real
 * daemons.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTarget } from '../../firmware/release/manifest.ts';
import { TrustStore } from '../../firmware/release/trustStore.ts';
import { unitPaths } from '../../firmware/release/unitPaths.ts';
import { verifyBundle } from '../../firmware/release/verifyBundle.ts';
import { linkVersion, switchLink } from '../../firmware/update/links.ts';
import { releaseProblem } from '../../firmware/update/releaseDirs.ts';
import { STEP_NAMES } from '../../firmware/update/steps.ts';
import { readState } from '../../firmware/update/updateState.ts';
import { FROM_BUILD, makeTestKey, makeTestRelease, makeTestUnit } from '../support/releaseFixture.ts';

const CLI = fileURLToPath(new URL('../../bin/ccgate.mjs', import.meta.url));
let work: string;
let template: string;
let v2: string;

/** systemctl that logs its verbs and always reports an active service. */
const FAKE_SYSTEMCTL = `#!/bin/sh
echo "$1" >> "$(dirname "$0")/systemctl.log"
if [ "$1" = show ]; then printf 'ActiveState=active\\nSubState=running\\nNRestarts=0\\nMainPID=4242\\n'; fi
exit 0
`;

function run(root: string, args: string[], extra: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'update', ...args, '--root', root, '--json'],
      { env: { ...process.env, ...FROM_BUILD, CCGATE_SYSTEMCTL: join(root, '..', 'systemctl'), ...extra }, timeout: 120_000 },
      (error) => resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : -1),
    );
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccgate-kill-'));
  template = join(work, 'template');
  const key = makeTestKey(join(work, 'keys'));
  const p = makeTestUnit(template, key, null);
  const v1 = await makeTestRelease({ dir: join(work, 'b'), version: '1.0.0', seq: 1, key });
  v2 = await makeTestRelease({ dir: join(work, 'b'), version: '2.0.0', seq: 2, key });
  // The unit as installed: 1.0.0 current, no update pending.
  await (await verifyBundle(v1, { trust: TrustStore.load(p.trustStore), target: currentTarget() })).extractTo(p.release('1.0.0'));
  switchLink(p.current, '1.0.0');
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the updater killed at each step', () => {
  const steps = STEP_NAMES.filter((s) => s !== 'verify' && s !== 'rollback');
  it(`recovery leaves a complete release and nothing pending, whichever step it died in (${steps.join(', ')})`, async () => {
    const outcomes = await Promise.all(
      steps.map(async (step) => {
        const unit = join(work, step);
        const root = join(unit, 'root');
        cpSync(template, root, { recursive: true, verbatimSymlinks: true });
        writeFileSync(join(unit, 'systemctl'), FAKE_SYSTEMCTL);
        chmodSync(join(unit, 'systemctl'), 0o755);
        const killed = await run(root, ['apply', v2, '--probation', '1s'], { CCGATE_UPDATE_CRASH_AT: step });
        const afterKill = linkVersion(unitPaths(root).current);
        const recovered = await run(root, ['recover']);
        const p = unitPaths(root);
        const current = linkVersion(p.current);
        const log = readFileSync(join(unit, 'systemctl.log'), { encoding: 'utf8', flag: 'a+' }).trim().split('\n').filter(Boolean);
        return { step, killed, afterKill, recovered, current, complete: current === null ? 'none' : releaseProblem(p.release(current), { hashes: true }), pending: readState(p.state).pending, lastVerb: log.filter((v) => v !== 'show').at(-1) ?? null };
      }),
    );
    for (const o of outcomes) {
      // Killed by SIGKILL: no exit code of its own.
      expect(o.killed, o.step).not.toBe(0);
      expect(o.recovered, o.step).toBe(0);
      expect(o.complete, o.step).toBeNull();
      expect(o.pending, o.step).toBeNull();
      // Before its commit an update was never judged healthy: recovery goes back to 1.0.0; after it, 2.0.0 stays.
      expect(o.current, o.step).toBe(o.step === 'commit' ? '2.0.0' : '1.0.0');
      // Once the switch happened, the service is restarted onto what `current` names now.
      if (['switch', 'restart', 'probation'].includes(o.step)) expect(o.lastVerb, o.step).toBe('restart');
    }
  }, 180_000);
});
