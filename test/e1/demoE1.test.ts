/**
 * `ccgate demo --e1`: the demo site on one E1 span through the real driver
 * on a PTY, its network end ccgate's own simulator (the libpri harness is not
 * in this test's temporary folder) and, where libpri is available, libpri's
 * harness named by CCGATE_PRI_PEER. Callers reach agents, press their IVR
 * choices and survey scores through the simulated MT8870 decoders.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CCGATE, childEnv, describeResult, removeDir, runCli, tempDir } from '../e2e/helpers.ts';
import { buildLibpriPeer, libpriMissing } from './libpri/libpriPeer.ts';

const dirs: string[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const d of dirs) removeDir(d);
});

/** Processes whose command line (arguments joined by spaces) passes `match`. */
function pidsOf(match: (cmd: string) => boolean): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (match(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' '))) pids.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * `ccgate demo --e1` on libpri's harness in a process group of its own (signalled as a terminal's Ctrl-C
 * signals the foreground group: the demo, socat under its PTY pair and the harness alike), once its span is up
 * and settled (the peer may re-establish the D-channel once just after start).
 */
async function settledDemo(): Promise<{ dir: string; pid: number; exited: Promise<number | null>; output(): string }> {
  const dir = tempDir('ccgate-demo-e1-int-');
  dirs.push(dir);
  const child = spawn(process.execPath, [CCGATE, 'demo', '--e1', '--speed', '60', '--data', join(dir, 'data')], {
    cwd: dir,
    env: childEnv({ TMPDIR: dir, CCGATE_PRI_PEER: buildLibpriPeer() }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const log = join(dir, 'data', 'ccgate.log');
  const deadline = Date.now() + 30_000;
  let seen = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('D-channel')).length : 0;
    if (lines !== seen) [seen, quietSince] = [lines, Date.now()];
    else if (lines > 0 && Date.now() - quietSince >= 3_000) break;
    await sleep(100);
  }
  return { dir, pid: child.pid!, exited, output: () => out };
}

async function demo(env: Record<string, string>): Promise<{ stdout: string; counts: Record<string, number>; queueLog: number }> {
  const dir = tempDir('ccgate-demo-e1-');
  dirs.push(dir);
  const data = join(dir, 'data');
  const r = await runCli(['demo', '--e1', '--minutes', '12', '--speed', '60', '--data', data], { cwd: dir, env: { TMPDIR: dir, ...env }, timeoutMs: 60_000 });
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr).toBe('');
  const db = new Database(join(data, 'ccgate.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT type, count(*) AS n FROM events WHERE type IN ('callAnswered', 'ivrDigitsCollected', 'queueConnected', 'surveyAnswered', 'trunkHealthChanged') GROUP BY type").all() as Array<{ type: string; n: number }>;
    const completes = (db.prepare("SELECT count(*) AS n FROM events WHERE type = 'queueCompleted'").get() as { n: number }).n;
    return { stdout: r.stdout, counts: Object.fromEntries(rows.map((x) => [x.type, x.n])), queueLog: completes };
  } finally {
    db.close();
  }
}

describe('ccgate demo --e1', () => {
  it('runs the demo site on a span whose network end is ccgate’s own simulator', async () => {
    const { stdout, counts, queueLog } = await demo({ CCGATE_PRI_PEER: '' });
    expect(stdout).toMatch(/one E1 span of 30 channels on \S+ \(network end: ccgate network simulator; 4 MT8870 decoders\)/);
    expect(stdout).toMatch(/trunks 1\/1 up|e1-span/);
    // Callers answered, their IVR choices and survey scores read by the decoders, agents reached over the span.
    expect(counts.callAnswered ?? 0).toBeGreaterThan(5);
    expect(counts.ivrDigitsCollected ?? 0).toBeGreaterThan(3);
    expect(counts.queueConnected ?? 0).toBeGreaterThan(3);
    expect(counts.surveyAnswered ?? 0).toBeGreaterThan(0);
    expect(queueLog).toBeGreaterThan(0);
  }, 90_000);

  it.skipIf(libpriMissing() !== null)('drives the span with libpri’s harness when it is built', async () => {
    const { stdout, counts } = await demo({ CCGATE_PRI_PEER: buildLibpriPeer() });
    expect(stdout).toContain('network end: libpri (network side)');
    expect(counts.queueConnected ?? 0).toBeGreaterThan(3);
    expect(counts.surveyAnswered ?? 0).toBeGreaterThan(0);
  }, 90_000);

  it.skipIf(libpriMissing() !== null)('after a Ctrl-C to its process group the last frame shows the site as it ran: the span up', async () => {
    const d = await settledDemo();
    process.kill(-d.pid, 'SIGINT');
    expect(await d.exited, d.output()).toBe(0);
    const last = d.output().slice(d.output().lastIndexOf('ccgate demo – '));
    expect(last).toMatch(/trunks 1\/1 up/);
    expect(last).not.toContain('D-channel down');
    expect(last).toContain('demo stopped after');
  }, 90_000);

  it.skipIf(libpriMissing() !== null)('stops cleanly when the span’s PTY went first (socat killed, the harness gone with it)', async () => {
    const d = await settledDemo();
    const socat = pidsOf((cmd) => cmd.startsWith('socat') && cmd.includes(d.dir));
    expect(socat.length).toBeGreaterThan(0);
    for (const pid of socat) process.kill(pid, 'SIGINT');
    await sleep(2_000);
    process.kill(-d.pid, 'SIGINT');
    expect(await d.exited, d.output()).toBe(0);
    expect(d.output()).toContain('demo stopped after');
  }, 90_000);
});
