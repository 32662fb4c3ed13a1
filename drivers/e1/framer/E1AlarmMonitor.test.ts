/**
 * Alarm integration in virtual time against the simulated DS26521: raised
 * only after persisting 2.5 s, cleared only after 10 s absent, a short LOS
 * seen through the latched register, counters read once per chip second,
 * slips counted, and a framer that stops answering reported without a guess.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import { DS26521 } from './ds26521.ts';
import { E1AlarmMonitor } from './E1AlarmMonitor.ts';
import type { RegisterAccess } from './RegisterAccess.ts';
import { SimDs26521 } from './SimDs26521.ts';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function rig(opts: { e1?: boolean } = {}) {
  const clock = new FakeClock();
  const chip = new SimDs26521({ e1: opts.e1 ?? true });
  const inner = chip.access();
  const faults = { failing: false };
  const regs: RegisterAccess = {
    name: 'sim',
    read: (a) => (faults.failing ? Promise.reject(new Error('EIO')) : inner.read(a)),
    write: (a, v) => (faults.failing ? Promise.reject(new Error('EIO')) : inner.write(a, v)),
    close: () => Promise.resolve(),
  };
  const mon = new E1AlarmMonitor({ regs, clock, pollMs: 500, raiseMs: 2_500, clearMs: 10_000 });
  const events: string[] = [];
  mon.on('raised', (c) => events.push(`+${c}@${clock.now() - t0}`));
  mon.on('cleared', (c) => events.push(`-${c}@${clock.now() - t0}`));
  mon.on('access', (e) => events.push(e === null ? 'access ok' : 'access lost'));
  const t0 = clock.now();
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      await flush();
    }
  };
  mon.start();
  return { clock, chip, mon, events, run, faults };
}

describe('E1AlarmMonitor', () => {
  it('raises a LOS that persists 2.5 s and clears it after 10 s without', async () => {
    const { chip, mon, events, run } = rig();
    await run(1_000);
    chip.set('los', true);
    await run(2_000);
    expect(mon.raised).toEqual([]);
    await run(1_000);
    expect(mon.raised).toEqual(['los']);
    chip.set('los', false);
    await run(9_000);
    expect(mon.raised).toEqual(['los']);
    await run(1_500);
    expect(mon.raised).toEqual([]);
    // Onset at 1 s, first seen by the poll at 1.5 s: raised 2.5 s later; gone at 4 s, first missed at 4.5 s: cleared 10 s later.
    expect(events).toEqual(['+los@4000', '-los@14500']);
    // Every latched bit read was acknowledged.
    expect(chip.peek(DS26521.RLS1)).toBe(0);
  });

  it('does not raise for a glitch shorter than the integration, even one the poll only saw latched', async () => {
    const { chip, mon, run } = rig();
    await run(1_000);
    chip.set('lof', true);
    chip.set('lof', false);
    await run(5_000);
    chip.set('rai', true);
    await run(1_500);
    chip.set('rai', false);
    await run(5_000);
    expect(mon.raised).toEqual([]);
  });

  it('counts errors once per chip second and every slip', async () => {
    const { chip, mon, run } = rig();
    chip.addErrors({ crc4Errors: 300, farEndBlockErrors: 2 });
    chip.tickSecond();
    await run(1_000);
    // Nothing new latched: the same second is not counted again.
    await run(1_000);
    chip.addErrors({ crc4Errors: 70_000, lineCodeViolations: 5, slips: 1 });
    chip.tickSecond();
    await run(1_000);
    expect(mon.counters).toEqual({ lineCodeViolations: 5, crc4Errors: 300 + 0xffff, fasErrors: 0, farEndBlockErrors: 2, slips: 1 });
  });

  it('reports an unreadable framer once and leaves the alarms as they were', async () => {
    const { chip, mon, events, run, faults } = rig();
    chip.set('ais', true);
    await run(3_000);
    expect(mon.raised).toEqual(['ais']);
    faults.failing = true;
    await run(20_000);
    expect(mon.raised).toEqual(['ais']);
    expect(mon.accessError).toContain('EIO');
    faults.failing = false;
    chip.set('ais', false);
    await run(11_000);
    // Within one poll of the integration times: raised by 3 s, cleared 10.5 s after it went (at 23 s).
    expect(events).toEqual(['+ais@3000', 'access lost', 'access ok', '-ais@33500']);
    expect(mon.stats.failedPolls).toBeGreaterThan(30);
  });

  it('says when the board left the framer in T1 mode', async () => {
    const { mon, run } = rig({ e1: false });
    await run(600);
    expect(mon.stats.modeProblem).toBe('the framer is in T1 mode, not E1');
  });
});
