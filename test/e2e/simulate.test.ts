/** `ccgate simulate`: a seeded virtual-time run of the real core beside Erlang C. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../firmware/sim/simulate.ts';
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

/** The JSON the command prints is the simulator's result as it is. */
type SimResult = SimulationResult;

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
    for (const k of ['offered', 'blocked', 'entered', 'calls', 'answered', 'abandoned', 'answerRate', 'serviceLevel', 'asaSec', 'probWait', 'occupancy'] as const) {
      expect(Number.isFinite(m[k]), `measured.${k} = ${m[k]}`).toBe(true);
    }
    // ~480 arrivals in 4 h (less a warm-up share); nobody abandons without --patience.
    expect(m.calls).toBeGreaterThan(300);
    expect(m.calls).toBeLessThan(600);
    expect(m.abandoned).toBe(0);
    expect(m.answered).toBe(m.calls);
    // The 480-channel trunk never fills at 6 Erlangs: every arrival enters the queue.
    expect(m).toMatchObject({ blocked: 0, answerRate: 1 });
    expect(m.entered).toBe(m.offered);
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

  it('under overload shows the calls blocked at the trunk, the trunk size, and an occupancy ≤ 1 over the measured window', async () => {
    // 30 Erlangs on 12 agents: the queue grows until the 480-channel trunk is full
    // (≈ 1.3 virtual hours in), then arrivals are blocked. Issue #8: they were in no figure.
    const overload = ['simulate', '--calls-per-hour', '600', '--aht', '180', '--agents', '12', '--hours', '2', '--seed', '7'];
    const [j, t] = await Promise.all([
      runCli([...overload, '--json'], { env: { TMPDIR: scratch }, timeoutMs: 60_000 }),
      runCli(overload, { env: { TMPDIR: scratch }, timeoutMs: 60_000 }),
    ]);
    const r = parse(j);
    const m = r.measured;
    expect(r.input.trunkChannels).toBe(480);
    expect(m.blocked).toBeGreaterThan(0);
    expect(m.offered).toBe(m.blocked + m.entered + m.endedBeforeQueue);
    expect(m.endedBeforeQueue).toBe(0);
    expect(m.answered + m.abandoned).toBe(m.entered);
    // ~600/h × 1.8 measured hours arrive; the answer rate counts the blocked ones against it.
    expect(m.offered).toBeGreaterThan(900);
    expect(m.answerRate).toBeCloseTo(m.answered / m.offered, 12);
    expect(m.answerRate).toBeLessThan(0.95);
    expect(m.blockedShare).toBeCloseTo(m.blocked / m.offered, 12);
    // Every agent is busy all the time, but never more than all the time.
    expect(m.occupancy).toBeLessThanOrEqual(1);
    expect(m.occupancy).toBeGreaterThan(0.99);
    expect(r.erlangC).toBeNull();

    expect(t.code, describeResult(t)).toBe(0);
    const text = t.stdout;
    expect(text).toMatch(/^trunk +480 channels/m);
    expect(text).toContain(`calls offered     ${m.offered}: blocked ${m.blocked} (${(m.blockedShare * 100).toFixed(1)} %), entered queue ${m.entered}`);
    expect(text).toContain(`answered ${m.answered} (${(m.answerRate * 100).toFixed(1)} % of offered), abandoned 0`);
    const occ = /^occupancy +([\d.]+) %/m.exec(text);
    expect(occ, text).not.toBeNull();
    expect(Number(occ![1])).toBeLessThanOrEqual(100);
  });

  it('a bad number is a usage error naming the flag (exit 2)', async () => {
    const r = await runCli(['simulate', '--calls-per-hour', 'many', '--aht', '180', '--agents', '8'], { env: { TMPDIR: scratch } });
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('--calls-per-hour: expected a number > 0, got "many"');
  });
});
