/**
 * The libgpiod backend through its real child-process path, against fake
 * v1 and v2 tools first on PATH: version detection, name lookup (v1's
 * gpiofind), reads, outputs held by a live gpioset, edges with the kernel's
 * timestamps, a monitor that dies and is started again, and the MT8870 pool
 * reading a key through it all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/core/Clock.ts';
import { DecoderPool } from '../../drivers/dtmf/DecoderPool.ts';
import type { GpioEdge } from '../../drivers/gpio/GpioLines.ts';
import { LibgpiodLines } from '../../drivers/gpio/libgpiod/LibgpiodLines.ts';
import { until } from '../e1/support.ts';
import { fakeGpiod, type FakeGpiod } from './fakeGpiod.ts';

const LINES: Record<string, [string, number]> = { GPIO5: ['gpiochip0', 5], GPIO6: ['gpiochip0', 6], GPIO13: ['gpiochip0', 13], GPIO19: ['gpiochip0', 19], GPIO26: ['gpiochip0', 26], GPIO20: ['gpiochip0', 20] };
const Q = ['GPIO5', 'GPIO6', 'GPIO13', 'GPIO19'] as const;
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function rig(version: 1 | 2, runs: Parameters<typeof fakeGpiod>[0]['runs'] = []): Promise<{ fake: FakeGpiod; gpio: LibgpiodLines; edges: GpioEdge[]; restarts: string[] }> {
  // While GPIO20 (decoder 0's TOE) is high, Q4..Q1 read 0101: the key 5.
  const fake = fakeGpiod({ version, lines: LINES, runs, drive: { GPIO20: { GPIO5: 1, GPIO6: 0, GPIO13: 1, GPIO19: 0 } } });
  cleanup.push(() => fake.remove());
  const clock = new SystemClock();
  cleanup.push(() => clock.dispose());
  const gpio = await LibgpiodLines.open({ clock, env: fake.env, settleMs: 200 }); // the fake tools are node processes: far slower to start than the C ones
  cleanup.push(() => gpio.close());
  const edges: GpioEdge[] = [];
  const restarts: string[] = [];
  gpio.on('edge', (e) => edges.push(e));
  gpio.on('restarted', (r) => restarts.push(r));
  return { fake, gpio, edges, restarts };
}

describe.each([1, 2] as const)('libgpiod v%s tools', (version) => {
  it('reads lines, holds an output with a live gpioset, and reports edges with the kernel timestamps', async () => {
    const { fake, gpio, edges } = await rig(version, [
      { edges: [{ atMs: 50, line: 'GPIO26', rising: true }, { atMs: 110, line: 'GPIO26', rising: false }], exit: null },
    ]);
    expect(gpio.name).toBe(`libgpiod v${version}`);
    expect(await gpio.read(Q)).toEqual([0, 0, 0, 0]);
    await gpio.write('GPIO20', 1);
    expect(await gpio.read(Q)).toEqual([1, 0, 1, 0]);
    await gpio.write('GPIO20', 0);
    expect(fake.output('GPIO20')).toBe('0');
    await gpio.monitor(['GPIO26']);
    await until('two edges', () => edges.length >= 2, 5_000);
    expect(edges).toEqual([
      { line: 'GPIO26', rising: true, timeNs: 1_000_050_000_000n },
      { line: 'GPIO26', rising: false, timeNs: 1_000_110_000_000n },
    ]);
    const calls = fake.calls();
    if (version === 1) {
      expect(calls).toContain('gpiofind GPIO26');
      expect(calls).toContain('gpiomon -b -F %o %e %s %n gpiochip0 26');
      expect(calls).toContain('gpioget gpiochip0 5 6 13 19');
      expect(calls).toContain('gpioset --mode=signal gpiochip0 20=1');
    } else {
      expect(calls.some((c) => c.startsWith('gpiofind'))).toBe(false);
      expect(calls).toContain('gpiomon -F %l %e %S GPIO26');
      expect(calls).toContain('gpioget --numeric GPIO5 GPIO6 GPIO13 GPIO19');
      expect(calls).toContain('gpioset GPIO20=1');
    }
  }, 20_000);

  it('starts a monitor that died again, says so, and goes on delivering edges', async () => {
    const { gpio, edges, restarts } = await rig(version, [
      { edges: [{ atMs: 20, line: 'GPIO26', rising: true }], exit: 1 },
      { edges: [{ atMs: 20, line: 'GPIO26', rising: true }, { atMs: 80, line: 'GPIO26', rising: false }], exit: null },
    ]);
    await gpio.monitor(['GPIO26']);
    await until('the second run edges', () => edges.length >= 3, 8_000);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toContain('simulated failure 1');
    expect(edges.map((e) => e.rising)).toEqual([true, true, false]);
  }, 20_000);

  it('feeds the MT8870 pool: StD edges from gpiomon, TOE raised by gpioset, Q read by gpioget, the key given on the fall', async () => {
    const { gpio } = await rig(version, [
      { edges: [{ atMs: 100, line: 'GPIO26', rising: true }, { atMs: 600, line: 'GPIO26', rising: false }], exit: null },
    ]);
    const pool = new DecoderPool({ q: Q, decoders: [{ std: 'GPIO26', toe: 'GPIO20' }], minToneMs: 20 }, gpio);
    const keys: string[] = [];
    pool.on('key', (owner, k) => keys.push(`${owner}:${k.key}`));
    expect(pool.acquire('leg-1')).toBe(0);
    gpio.on('edge', (e) => pool.edge(e.line, e.rising, e.timeNs));
    await gpio.monitor(['GPIO26']);
    await until('the key', () => keys.length > 0, 8_000);
    expect(keys).toEqual(['leg-1:5']);
  }, 20_000);
});

describe('libgpiod backend without the tools', () => {
  it('names the package to install', async () => {
    const fake = fakeGpiod({ version: 1, lines: LINES, tools: [] });
    cleanup.push(() => fake.remove());
    const clock = new SystemClock();
    cleanup.push(() => clock.dispose());
    await expect(LibgpiodLines.open({ clock, env: fake.env })).rejects.toMatchObject({ code: 'GPIO_BACKEND_MISSING', message: expect.stringContaining("'gpiod' package") });
  });

  it('refuses a line name the system does not have', async () => {
    const { gpio } = await rig(1);
    await expect(gpio.read(['GPIO99'])).rejects.toMatchObject({ code: 'GPIO_LINE_UNKNOWN', message: expect.stringContaining("'GPIO99'") });
  }, 20_000);
});
