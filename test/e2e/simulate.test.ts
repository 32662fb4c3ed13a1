/** `ccgate simulate`: a seeded virtual-time run of the real core beside Erlang C. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, killAll, removeDir, runCli, tempDir, type CliResult } from './helpers.ts';

/** $TMPDIR of the children, so whatever scratch files a run makes are removed with it. */
let scratch: string;

beforeAll(() => {
  scratch = tempDir();
});

afterAll(() => {
  killAll();
  removeDir(scratch);
});

interface SimResult {
  input: { callsPerHour: number; ahtSec: number; agents: number; hours: number; seed: number };
  offeredLoadErlangs: number;
  measured: { calls: number; answered: number; abandoned: number; serviceLevel: number; asaSec: number; probWait: number; occupancy: number };
  erlangC: { probWait: number; serviceLevel: number; asaSec: number } | null;
  wallMs: number;
}

const ARGS = ['simulate', '--calls-per-hour', '120', '--aht', '180', '--agents', '8', '--hours', '4', '--json'];

function parse(r: CliResult): SimResult {
  expect(r.code, describeResult(r)).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as SimResult;
}

describe('ccgate simulate --json', () => {
  it('prints measured and erlangC blocks; the same seed gives identical measured figures, another seed does not', async () => {
    const [a, b, c] = await Promise.all([
      runCli([...ARGS, '--seed', '3'], { env: { TMPDIR: scratch }, timeoutMs: 30_000 }),
      runCli([...ARGS, '--seed', '3'], { env: { TMPDIR: scratch }, timeoutMs: 30_000 }),
      runCli([...ARGS, '--seed', '4'], { env: { TMPDIR: scratch }, timeoutMs: 30_000 }),
    ]);
    const first = parse(a);
    const again = parse(b);
    const other = parse(c);

    expect(first.input).toMatchObject({ callsPerHour: 120, ahtSec: 180, agents: 8, hours: 4, seed: 3 });
    expect(first.offeredLoadErlangs).toBeCloseTo(6, 6); // 120/h × 180 s
    const m = first.measured;
    for (const k of ['calls', 'answered', 'abandoned', 'serviceLevel', 'asaSec', 'probWait', 'occupancy'] as const) {
      expect(Number.isFinite(m[k]), `measured.${k} = ${m[k]}`).toBe(true);
    }
    // ~480 arrivals in 4 h (less a warm-up share); nobody abandons without --patience.
    expect(m.calls).toBeGreaterThan(300);
    expect(m.calls).toBeLessThan(600);
    expect(m.abandoned).toBe(0);
    expect(m.answered).toBe(m.calls);
    for (const share of [m.serviceLevel, m.probWait, m.occupancy]) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    expect(m.occupancy).toBeGreaterThan(0.6); // 6 Erlangs on 8 agents ≈ 0.75
    expect(m.occupancy).toBeLessThan(0.9);

    expect(first.erlangC).not.toBeNull();
    const ec = first.erlangC!;
    expect(ec.probWait).toBeCloseTo(0.357, 2); // Erlang C(8, 6 E)
    expect(ec.serviceLevel).toBeGreaterThan(0);
    expect(ec.serviceLevel).toBeLessThan(1);
    expect(ec.asaSec).toBeGreaterThan(0);
    expect(Math.abs(m.probWait - ec.probWait)).toBeLessThan(0.2);

    expect(again.measured).toEqual(first.measured);
    expect(again.erlangC).toEqual(first.erlangC);
    expect(other.measured).not.toEqual(first.measured);
  });

  it('a bad number is a usage error naming the flag (exit 2)', async () => {
    const r = await runCli(['simulate', '--calls-per-hour', 'many', '--aht', '180', '--agents', '8'], { env: { TMPDIR: scratch } });
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('--calls-per-hour: expected a number > 0, got "many"');
  });
});
