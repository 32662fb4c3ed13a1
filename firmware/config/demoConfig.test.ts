import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closesAt, isOpen, nextOpening } from '../../gateway/ivr/schedule.ts';
import { demoConfig } from './demoConfig.ts';
import { loadConfig } from './loadConfig.ts';

describe('demoConfig', () => {
  const c = demoConfig({ storePath: '/tmp/demo-x/ccgate.db', queueLogPath: null, socketPath: '/tmp/demo-x/ccgate.sock' });

  it('uses the caller’s paths', () => {
    expect(c.store).toEqual({ path: '/tmp/demo-x/ccgate.db', groupCommitMs: 0 });
    expect(c.queueLog).toEqual({ path: null });
    expect(c.api).toEqual({ socketPath: '/tmp/demo-x/ccgate.sock' });
  });

  it('has three queues, nine agents and two 30-channel simulator trunks', () => {
    expect(Object.keys(c.queues)).toEqual(['flights', 'trains', 'hotels']);
    expect(c.agents).toHaveLength(9);
    expect(new Set(c.agents.map((a) => a.id)).size).toBe(9);
    expect(c.trunks).toEqual([
      { id: 'sim1', type: 'sim', channels: 30 },
      { id: 'sim2', type: 'sim', channels: 30 },
    ]);
    // Every queue is staffed, or the demo would show callers waiting forever.
    for (const q of Object.keys(c.queues)) expect(c.agents.some((a) => a.queues.some((aq) => aq.queue === q))).toBe(true);
  });

  it('is open around the clock, every day, so the demo always runs', () => {
    const always = c.schedules.always;
    expect(always).toBeDefined();
    if (!always) return;
    const start = Date.parse('2026-03-20T00:00:00Z'); // a Friday, and the eve of Nowruz
    for (let t = start; t < start + 7 * 86_400_000; t += 37 * 60_000) expect(isOpen(always, t, c.site.timeZone)).toBe(true);
    expect(closesAt(always, start, c.site.timeZone)).toBeNull();
    expect(c.ivr.menus[c.ivr.entry]?.schedule).toBe('always');
  });

  it('returns a fresh object each call', () => {
    const other = demoConfig({ storePath: 'b.db', queueLogPath: 'b.log', socketPath: null });
    expect(other.store.path).toBe('b.db');
    expect(c.store.path).toBe('/tmp/demo-x/ccgate.db');
    expect(other.queues).not.toBe(c.queues);
  });
});

describe('example.yaml opening hours (Iranian week in Asia/Tehran)', () => {
  const c = loadConfig(fileURLToPath(new URL('./example.yaml', import.meta.url)));
  const office = c.schedules.office;
  const teh = (local: string): number => Date.parse(`${local}:00+03:30`);

  it.each([
    ['Saturday morning', '2025-06-14T10:00', true],
    ['Wednesday evening', '2025-06-18T19:59', true],
    ['Thursday afternoon', '2025-06-19T14:00', false],
    ['Friday', '2025-06-20T10:00', false],
    ['Nowruz', '2026-03-22T10:00', false],
  ])('%s (%s) → %s', (_what, local, want) => {
    expect(office && isOpen(office, teh(local), c.site.timeZone)).toBe(want);
  });

  it('after Thursday closing, next opens Saturday 08:00', () => {
    expect(office && nextOpening(office, teh('2025-06-19T14:00'), c.site.timeZone)).toBe(teh('2025-06-21T08:00'));
  });
});
