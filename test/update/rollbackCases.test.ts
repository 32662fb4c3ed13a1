/**
 * `ccgate update` end to end on one unit, beyond apply.test.ts: bundles
 * refused before anything changes (a key the unit does not trust, a signature
 * that does not match), a release that becomes ready and then crash-loops
 * during probation, rollbacks that must give the old release back its own
 * config after a newer one added a key to it, and a unit whose wall clock is
 * decades wrong (libfaketime). Real bundles of this checkout, real daemons
 * under the systemctl stand-in (test/support/systemctlStandin.mjs). The cases
 * share the unit and run in order, each from where the one before left it.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probation } from '../../firmware/update/health.ts';
import type { ServiceState } from '../../firmware/update/systemctl.ts';
import type { KeyFiles } from '../../firmware/release/signing.ts';
import { unitPaths } from '../../firmware/release/unitPaths.ts';
import { readState } from '../../firmware/update/updateState.ts';
import {
  acceptTopLevelKey,
  DAEMON_CRASHES_AFTER_READY,
  flipSignatureByte,
  FROM_BUILD,
  makeTestKey,
  makeTestRelease,
  makeTestUnit,
  removeTestReleaseScratch,
  rewriteBundleEntry,
} from '../support/releaseFixture.ts';
import { CCGATE_CLI, releaseTree, resultOf, STANDIN, type UpdateRun } from '../support/updateRun.ts';

const CLI = CCGATE_CLI;

let work: string;
let root: string;
let standinDir: string;
let key: KeyFiles;
/** The config the unit was set up with: what 1.0.0 runs with. */
let originalConfig: string;
const bundles: Record<string, string> = {};

type Run = UpdateRun;

function env(): NodeJS.ProcessEnv {
  return { ...process.env, ...FROM_BUILD, CCGATE_SYSTEMCTL: `${process.execPath} ${STANDIN}`, CCGATE_STANDIN_DIR: standinDir, CCGATE_STANDIN_ROOT: root };
}

/**
 * `ccgate ARGS` as a child process (`prefix`: a program it runs under, such as faketime);
 * `onLine` sees each JSON progress line as it comes, while the command still runs.
 */
function ccgate(args: string[], opts: { prefix?: string[]; extraEnv?: Record<string, string>; onLine?: (l: Record<string, unknown>) => void } = {}): Promise<Run> {
  const argv = [...(opts.prefix ?? []), process.execPath, CLI, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...env(), ...opts.extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    let out = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        opts.onLine?.(parsed);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, lines, stderr }));
  });
}

const apply = (bundle: string, opts: Parameters<typeof ccgate>[1] = {}) => ccgate(['update', 'apply', bundle, '--root', root, '--json', '--probation', '2s'], opts);

const result = resultOf;

const current = (): string => readlinkSync(unitPaths(root).current);
const config = (): string => readFileSync(unitPaths(root).config, 'utf8');
const standin = (): Record<string, unknown> => JSON.parse(readFileSync(join(standinDir, 'state.json'), 'utf8')) as Record<string, unknown>;

/** Replace the unit's config in one rename, as an editor saving it would: a daemon starting meanwhile reads old or new, never half. */
function writeConfig(text: string): void {
  const p = unitPaths(root).config;
  writeFileSync(`${p}.edit`, text);
  renameSync(`${p}.edit`, p);
}

/** The unit's config with the key only the newer releases know, as a technician adds it. */
const withFutureFeature = (): string => `${originalConfig}futureFeature: {enabled: true}\n`;

/**
 * Run under libfaketime with the wall clock at `when`: the updater and all it starts (stand-in,
 * daemons). The monotonic clock, which probation and settling measure with, still runs true.
 */
const wrongClock = (when: string) => ({ prefix: ['faketime', when], extraEnv: { FAKETIME_DONT_FAKE_MONOTONIC: '1' } });
/** The stand-in's journal: its lines are stamped with its wall clock, so they show the clock was wrong for it. */
const journal = (): string => readFileSync(join(standinDir, 'journal.log'), 'utf8');

const tree = (): string[] => releaseTree(unitPaths(root).base);

/** The report of `update preflight` run by the installed release `version`'s own program on the unit. */
function preflightOf(version: string): Promise<Record<string, unknown>> {
  const bin = join(unitPaths(root).release(version), 'bin', 'ccgate.mjs');
  return new Promise((resolve) =>
    execFile(process.execPath, [bin, 'update', 'preflight', '--root', root], { env: { ...env(), CCGATE_FROM_SOURCE: '' } }, (_e, stdout) =>
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>),
    ),
  );
}

function standinCommand(verb: string): Promise<void> {
  return new Promise<void>((resolve) => execFile(process.execPath, [STANDIN, verb, 'ccgate'], { env: env() }, () => resolve()));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccgate-rb-'));
  root = join(work, 'root');
  standinDir = join(work, 'standin');
  key = makeTestKey(join(work, 'keys'));
  // A unix socket path must stay under 108 bytes: the temporary folder's name is short.
  makeTestUnit(root, key, join(work, 's.sock'));
  originalConfig = config();
  const dir = join(work, 'b');
  bundles.v1 = await makeTestRelease({ dir, version: '1.0.0', seq: 1, key });
  // 1.0.0 is installed while the other bundles are made: they share nothing but the staged tree.
  const installed = apply(bundles.v1);
  const other = makeTestKey(join(work, 'keys'), 'other');
  // Bundles of the unchanged tree are made one at a time: writeBundle writes each one's manifest
  // into the shared staged folder before packing it (mutated variants have folders of their own).
  const genuine = makeTestRelease({ dir: join(work, 'b-sig'), version: '1.6.0', seq: 9, key });
  const untrusted = genuine.then(() => makeTestRelease({ dir: join(work, 'b-other'), version: '1.5.0', seq: 9, key: other }));
  [bundles.crashLoop, bundles.future, bundles.untrusted, bundles.flippedSig, bundles.editedManifest] = await Promise.all([
    // Validly signed; its daemon becomes ready, then exits with code 1 a second later, every time.
    makeTestRelease({
      dir,
      version: '1.1.0',
      seq: 2,
      key,
      mutate: (d: string) => {
        acceptTopLevelKey('futureFeature')(d);
        writeFileSync(join(d, 'bin', 'ccgate.mjs'), DAEMON_CRASHES_AFTER_READY);
      },
    }),
    // A newer release that added a setting 1.0.0 does not know.
    makeTestRelease({ dir, version: '2.0.0', seq: 3, key, mutate: acceptTopLevelKey('futureFeature') }),
    // Signed by a key made the same way, which the unit was never told to trust.
    untrusted,
    genuine.then((g) => rewriteBundleEntry(g, 'manifest.sig', flipSignatureByte)),
    // The manifest changed after signing (a higher seq, say), the signature kept.
    genuine.then((g) =>
      rewriteBundleEntry(g, 'manifest.json', (m) => {
        const edited = m.toString('utf8').replace(/"seq": 9\b/, '"seq": 99');
        if (edited === m.toString('utf8')) throw new Error('manifest.json has no "seq": 9 to change');
        return Buffer.from(edited);
      }),
    ),
  ]);
  const r = await installed;
  expect(result(r), r.stderr).toMatchObject({ result: 'installed', to: '1.0.0' });
}, 180_000);

afterAll(async () => {
  if (root !== undefined) await standinCommand('stop');
  rmSync(work, { recursive: true, force: true });
  removeTestReleaseScratch();
});

describe('ccgate update: refusals, crash loops, config rollbacks, a wrong clock', () => {
  it('refuses a bundle signed by a key the unit does not trust, and one whose signature does not match, changing nothing', async () => {
    const before = tree();
    const cases: Array<[string, string]> = [
      [bundles.untrusted!, 'UNTRUSTED_KEY'],
      [bundles.flippedSig!, 'BAD_SIGNATURE'],
      [bundles.editedManifest!, 'BAD_SIGNATURE'],
    ];
    for (const [bundle, code] of cases) {
      const r = await apply(bundle);
      expect(result(r), r.stderr).toMatchObject({ result: 'refused', code, from: '1.0.0' });
      expect(r.code).toBe(1);
      // Refused at the first step: nothing unpacked, the service never touched.
      expect(r.lines.filter((l) => l.step !== undefined && l.step !== 'verify')).toEqual([]);
    }
    expect(tree()).toEqual(before);
    expect(current()).toBe('releases/1.0.0');
    expect(standin()).toMatchObject({ ActiveState: 'active' });
  }, 60_000);

  it('rolls back a release that becomes ready and then crash-loops, with the config the old release ran with', async () => {
    let edited = false;
    const r = await apply(bundles.crashLoop!, {
      onLine: (l) => {
        // A technician configures the new release's setting as soon as it runs (1.1.0 accepts it):
        // the rollback must put back what 1.0.0 ran with, which 1.0.0 could not start without.
        if (l.step === 'probation' && l.status === 'start') {
          writeConfig(withFutureFeature());
          edited = true;
        }
      },
    });
    const res = result(r);
    expect(res, r.stderr).toMatchObject({ result: 'rolled-back', from: '1.0.0', to: '1.1.0', code: 'UNHEALTHY' });
    expect(r.code).toBe(3);
    // Gate 1 passed (it became ready): the probation caught it, and says it is a crash loop.
    expect(r.lines).toContainEqual({ step: 'restart', status: 'ok', detail: 'the service is up' });
    expect(r.lines).toContainEqual(expect.objectContaining({ step: 'probation', status: 'failed' }));
    expect(String(res.reason)).toMatch(/crash loop/);
    // The config had changed since it was saved: the rollback says it put 1.0.0's own back.
    expect(r.lines).toContainEqual({ step: 'rollback', status: 'ok', detail: '1.0.0 restarted with its own config' });
    expect(edited).toBe(true);
    expect(config()).toBe(originalConfig);
    expect(current()).toBe('releases/1.0.0');
    expect(standin()).toMatchObject({ ActiveState: 'active', SubState: 'running' });
  }, 90_000);

  it('a crash-looping release whose updater died (power cut, dropped SSH) is rolled back by the boot counter alone', async () => {
    // The updater is killed as the probation starts: nobody watches the new release any more.
    const killed = await apply(bundles.crashLoop!, { extraEnv: { CCGATE_UPDATE_CRASH_AT: 'probation' } });
    expect(killed.code).not.toBe(0);
    expect(current()).toBe('releases/1.1.0');
    // The service manager restarts it; each start runs `update boot-attempt` (ExecStartPre), which
    // counts the pending release's starts and switches back after the third.
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && !(current() === 'releases/1.0.0' && readState(unitPaths(root).state).pending === null && standin().SubState === 'running')) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(current()).toBe('releases/1.0.0');
    const state = readState(unitPaths(root).state);
    expect(state).toMatchObject({ pending: null, step: null });
    expect(String(state.lastRollback)).toMatch(/^1\.1\.0: crash loop: 3 starts/);
    // And 1.0.0 stays up: started once more, not crash-looping.
    const { NRestarts } = standin();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(standin()).toMatchObject({ ActiveState: 'active', SubState: 'running', NRestarts });
    expect(config()).toBe(originalConfig);
  }, 90_000);

  it('update rollback after a release that added a config key: the old release runs with its own saved config', async () => {
    const r = await apply(bundles.future!);
    expect(result(r), r.stderr).toMatchObject({ result: 'installed', from: '1.0.0', to: '2.0.0' });
    // The technician turns the new setting on and restarts the service: 2.0.0 runs with it.
    writeConfig(withFutureFeature());
    const [, oldCheck, newCheck] = await Promise.all([standinCommand('restart'), preflightOf('1.0.0'), preflightOf('2.0.0')]);
    expect(standin()).toMatchObject({ ActiveState: 'active' });
    // 1.0.0's own program refuses that config: without its saved copy it could not start.
    expect(oldCheck).toMatchObject({ ok: false, reason: expect.stringContaining('futureFeature') });
    expect(newCheck).toMatchObject({ ok: true });

    const back = await ccgate(['update', 'rollback', '--root', root, '--json']);
    expect(result(back), back.stderr).toMatchObject({ result: 'rolled-back', from: '2.0.0', to: '1.0.0' });
    expect(back.code).toBe(0);
    expect(current()).toBe('releases/1.0.0');
    expect(readlinkSync(unitPaths(root).previous)).toBe('releases/2.0.0');
    expect(config()).toBe(originalConfig);
    // Kept beside 2.0.0, so rolling forward again gives it its setting back.
    expect(readFileSync(join(unitPaths(root).release('2.0.0'), 'config.yaml'), 'utf8')).toBe(withFutureFeature());
    expect(standin()).toMatchObject({ ActiveState: 'active', SubState: 'running' });
  }, 90_000);

  it('installs with the unit clock in 2001: the probation passes on the monotonic clock', async () => {
    const r = await apply(bundles.future!, wrongClock('2001-01-01 00:00:00'));
    expect(result(r), r.stderr).toMatchObject({ result: 'installed', from: '1.0.0', to: '2.0.0' });
    expect(r.code).toBe(0);
    expect(r.lines).toContainEqual(expect.objectContaining({ step: 'probation', status: 'ok' }));
    expect(current()).toBe('releases/2.0.0');
    expect(standin()).toMatchObject({ ActiveState: 'active' });
    expect(journal()).toContain('[standin 2001-');
  }, 90_000);

  it('rolls back by hand with the unit clock in 2040: the old release settles on the monotonic clock', async () => {
    const r = await ccgate(['update', 'rollback', '--root', root, '--json'], wrongClock('2040-06-01 00:00:00'));
    expect(result(r), r.stderr).toMatchObject({ result: 'rolled-back', from: '2.0.0', to: '1.0.0' });
    expect(r.code).toBe(0);
    expect(current()).toBe('releases/1.0.0');
    expect(config()).toBe(originalConfig);
    expect(standin()).toMatchObject({ ActiveState: 'active', SubState: 'running' });
    expect(journal()).toContain('[standin 2040-');
  }, 90_000);
});

describe('probation names a crash loop whichever moment it is seen in', () => {
  /** `systemctl show` answers in turn (the last repeats), in virtual time. */
  async function judge(states: ServiceState[]): Promise<string> {
    let t = 0;
    let i = 0;
    const v = await probation(
      {
        systemctl: { show: () => Promise.resolve(states[Math.min(i++, states.length - 1)]!) },
        readTrunks: () => Promise.resolve([]),
        now: () => t,
        sleep: (ms) => Promise.resolve(void (t += ms)),
      },
      { probationMs: 5_000, pollMs: 1_000, trunksBefore: [] },
    );
    return v.ok ? 'ok' : v.reason;
  }
  const running: ServiceState = { activeState: 'active', subState: 'running', nRestarts: 0, mainPid: 100 };

  it('between the crash and the restart (systemd: auto-restart, NRestarts not yet counted), and while the restart starts', async () => {
    expect(await judge([running, { activeState: 'activating', subState: 'auto-restart', nRestarts: 0, mainPid: 0 }])).toMatch(/crash loop/);
    expect(await judge([running, { activeState: 'activating', subState: 'start', nRestarts: 1, mainPid: 101 }])).toMatch(/crash loop/);
    // A service that just stopped is not called a crash loop.
    expect(await judge([running, { activeState: 'inactive', subState: 'dead', nRestarts: 0, mainPid: 0 }])).toBe('the service is inactive (dead) during probation');
  });
});
