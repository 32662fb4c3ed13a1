import { describe, expect, it } from 'vitest';
import { makeWorld, siteYaml } from '../support/world.ts';

describe('trunk health events', () => {
  it('a registration flapping storm of 5,000 signals costs at most 5 events; the latest detail is written', () => {
    const w = makeWorld(siteYaml({ trunks: `  - { id: gsm1, type: sim, channels: 1, bridge: sameLine }` }));
    const trunk = w.net.trunks[0]!;
    const before = w.ofType('trunkHealthChanged').length;
    // Home ↔ roaming every 2 ms for 10 s: the modem stays in service all along.
    for (let i = 0; i < 5_000; i++) {
      trunk.setHealth(true, i % 2 === 0 ? 'in service (roaming)' : 'in service (home)');
      w.run(2);
    }
    w.run(2 * 60_000);
    const events = w.ofType('trunkHealthChanged').slice(before);
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(5);
    expect(events.every((e) => e.up)).toBe(true);
    expect(events.at(-1)!.detail).toBe('in service (home)');
    // Detail-only changes are at least a minute apart.
    for (let i = 1; i < events.length; i++) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(60_000);
  });

  it('a change of state is an event at once, however soon after the last one', () => {
    const w = makeWorld(siteYaml({ trunks: `  - { id: gsm1, type: sim, channels: 1, bridge: sameLine }` }));
    const trunk = w.net.trunks[0]!;
    const before = w.ofType('trunkHealthChanged').length;
    trunk.setHealth(true, 'in service (roaming)');
    w.run(100);
    trunk.setHealth(false, 'not registered');
    w.run(100);
    trunk.setHealth(true, 'in service (home)');
    w.run(100);
    const events = w.ofType('trunkHealthChanged').slice(before);
    expect(events.map((e) => [e.up, e.detail])).toEqual([
      [true, 'in service (roaming)'],
      [false, 'not registered'],
      [true, 'in service (home)'],
    ]);
  });
});

describe('the lines the boards count', () => {
  it('sums the channels in service over the trunks; a trunk down counts none and is counted down', () => {
    const w = makeWorld(siteYaml({ trunks: ['  - { id: span, type: sim, channels: 30 }', '  - { id: gsm1, type: sim, channels: 1, bridge: sameLine }'].join('\n') }));
    expect(w.gw.lineStatus()).toEqual({ inService: 31, total: 31, trunksDown: 0 });
    w.net.trunks[0]!.setHealth(false, 'LOS alarm');
    expect(w.gw.lineStatus()).toEqual({ inService: 1, total: 31, trunksDown: 1 });
  });
});
