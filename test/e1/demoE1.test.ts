/**
 * `ccgate demo --e1`: the demo site on one E1 span through the real driver
 * on a PTY, its network end ccgate's own simulator (the libpri harness is not
 * in this test's temporary folder) and, where libpri is available, libpri's
 * harness named by CCGATE_PRI_PEER. Callers reach agents, press their IVR
 * choices and survey scores through the simulated MT8870 decoders.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeResult, removeDir, runCli, tempDir } from '../e2e/helpers.ts';
import { buildLibpriPeer, libpriMissing } from './libpri/libpriPeer.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

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
});
