/**
 * The native GPIO backends at their module boundaries: `rpio` itself in its
 * own mock mode (it is an optional dependency; skipped with the reason when
 * it did not build), refused on a Pi 5 and off a Pi before it is loaded; and
 * `onoff` through its API with a sysfs tree whose header chip sits at 512.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpioEdge } from '../../drivers/gpio/GpioLines.ts';
import { OnoffLines, type OnoffGpio, type OnoffModule } from '../../drivers/gpio/onoff/OnoffLines.ts';
import { headerChip, listChips } from '../../drivers/gpio/onoff/sysfsBase.ts';
import { RpioLines, refusal, type RpioModule } from '../../drivers/gpio/rpio/RpioLines.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ccgate-gpio-'));
  dirs.push(d);
  return d;
};

const rpio = await import('rpio').then((m) => ((m as { default?: unknown }).default ?? m) as RpioModule, () => null);

describe('rpio backend', () => {
  it('refuses a Pi 5, a machine that is not a Pi, and one with no model, naming why', () => {
    expect(refusal('Raspberry Pi 5 Model B Rev 1.0')).toContain('RP1');
    expect(refusal('Raspberry Pi Compute Module 5 Rev 1.0')).toContain('RP1');
    expect(refusal('Radxa ROCK 4')).toContain('mock mode');
    expect(refusal(null)).toContain('mock mode');
    expect(refusal('Raspberry Pi 4 Model B Rev 1.4')).toBeNull();
  });

  it('reads the board model before loading rpio and refuses a Pi 5', async () => {
    const model = join(tmp(), 'model');
    writeFileSync(model, 'Raspberry Pi 5 Model B Rev 1.0\0');
    let loaded = false;
    const err = await RpioLines.open({ modelPath: model, loadModule: () => ((loaded = true), Promise.reject(new Error('not reached'))) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GPIO_BACKEND_REFUSED', message: expect.stringContaining('Raspberry Pi 5') });
    expect(loaded).toBe(false);
  });

  it('refuses when rpio itself falls into mock mode on a board it did not recognise', async () => {
    const model = join(tmp(), 'model');
    writeFileSync(model, 'Raspberry Pi 4 Model B Rev 1.4\0');
    const listeners: Array<(m: string) => void> = [];
    const fake = {
      INPUT: 0, OUTPUT: 1, POLL_BOTH: 3,
      init: () => listeners.forEach((l) => l('Hardware auto-detect failed, running in raspi-3 mock mode')),
      on: (_: 'warn', cb: (m: string) => void) => listeners.push(cb),
      removeListener: () => undefined,
    } as unknown as RpioModule;
    await expect(RpioLines.open({ modelPath: model, loadModule: () => Promise.resolve(fake) })).rejects.toMatchObject({ code: 'GPIO_BACKEND_REFUSED', message: expect.stringContaining('mock mode') });
  });

  it.skipIf(rpio === null)('drives outputs, reads inputs and reports edges through rpio in its raspi-3 mock mode', async () => {
    const lines = await RpioLines.open({ mock: 'raspi-3', loadModule: () => Promise.resolve(rpio!) });
    expect(lines.name).toBe('rpio (mock raspi-3)');
    await lines.write('GPIO20', 1);
    expect(await lines.read(['GPIO20', 'GPIO5'])).toEqual([1, 0]);
    const edges: GpioEdge[] = [];
    lines.on('edge', (e) => edges.push(e));
    await lines.monitor(['GPIO26']);
    // rpio's own dispatch: its poller emits 'pin<N>' when the line changed.
    rpio!.write(26, 1);
    (rpio as unknown as { emit(e: string): void }).emit('pin26');
    rpio!.write(26, 0);
    (rpio as unknown as { emit(e: string): void }).emit('pin26');
    expect(edges.map((e) => [e.line, e.rising])).toEqual([['GPIO26', true], ['GPIO26', false]]);
    await expect(lines.read(['GPIO40'])).rejects.toMatchObject({ code: 'GPIO_LINE_UNKNOWN' });
    await lines.close();
  });
});

function sysfs(chips: Array<{ dir: string; label: string; base: number; ngpio: number }>): string {
  const root = tmp();
  for (const c of chips) {
    mkdirSync(join(root, c.dir));
    writeFileSync(join(root, c.dir, 'label'), `${c.label}\n`);
    writeFileSync(join(root, c.dir, 'base'), `${c.base}\n`);
    writeFileSync(join(root, c.dir, 'ngpio'), `${c.ngpio}\n`);
  }
  writeFileSync(join(root, 'export'), '');
  return root;
}

/** onoff's Gpio as its API presents it, over a map of sysfs numbers to levels. */
function onoffModule(accessible = true) {
  const levels = new Map<number, 0 | 1>();
  const made: string[] = [];
  const watchers = new Map<number, (err: Error | null, v: 0 | 1) => void>();
  class Gpio implements OnoffGpio {
    static accessible = accessible;
    constructor(private readonly n: number, direction: 'in' | 'out', edge?: 'both') {
      made.push(`${n} ${direction}${edge ? ` ${edge}` : ''}`);
    }
    read(): Promise<0 | 1> {
      return Promise.resolve(levels.get(this.n) ?? 0);
    }
    write(v: 0 | 1): Promise<void> {
      levels.set(this.n, v);
      return Promise.resolve();
    }
    watch(cb: (err: Error | null | undefined, v: 0 | 1) => void): void {
      watchers.set(this.n, cb);
    }
    unexport(): void {}
  }
  const edge = (n: number, v: 0 | 1): void => {
    levels.set(n, v);
    watchers.get(n)?.(null, v);
  };
  return { mod: { Gpio } as unknown as OnoffModule, made, levels, edge };
}

describe('onoff backend', () => {
  const PI4_66 = [
    { dir: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
    { dir: 'gpiochip570', label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
  ];

  it('finds the header chip by its label, never assuming base 0', async () => {
    expect(headerChip(await listChips(sysfs(PI4_66)))).toMatchObject({ base: 512 });
    expect(headerChip(await listChips(sysfs([{ dir: 'gpiochip399', label: 'pinctrl-rp1', base: 399, ngpio: 54 }, { dir: 'gpiochip0', label: 'gpio-brcmstb@107d508500', base: 0, ngpio: 32 }])))).toMatchObject({ base: 399 });
    expect(() => headerChip([])).toThrow(/which sysfs GPIO chip is the header: none/);
  });

  it('uses base + offset for every line, reads, writes and reports edges', async () => {
    const { mod, made, levels, edge } = onoffModule();
    const lines = await OnoffLines.open({ loadModule: () => Promise.resolve(mod), sysfsRoot: sysfs(PI4_66) });
    expect(lines.sysfsNumber('GPIO17')).toBe(529);
    await lines.write('GPIO20', 1);
    expect(levels.get(532)).toBe(1);
    levels.set(517, 1);
    expect(await lines.read(['GPIO5', 'GPIO6'])).toEqual([1, 0]);
    const edges: GpioEdge[] = [];
    lines.on('edge', (e) => edges.push(e));
    await lines.monitor(['GPIO26']);
    edge(538, 1);
    edge(538, 0);
    expect(edges.map((e) => e.rising)).toEqual([true, false]);
    expect(made).toEqual(['532 out', '517 in', '518 in', '538 in both']);
    expect(() => lines.sysfsNumber('GPIO99')).toThrow(/not a header line/);
    await lines.close();
  });

  it('refuses a kernel without sysfs GPIO, and says how to install onoff when it is absent', async () => {
    await expect(OnoffLines.open({ loadModule: () => Promise.resolve(onoffModule(false).mod), sysfsRoot: sysfs(PI4_66) })).rejects.toMatchObject({ code: 'GPIO_BACKEND_REFUSED', message: expect.stringContaining('libgpiod') });
    await expect(OnoffLines.open({ loadModule: () => Promise.reject(new Error("Cannot find package 'onoff'")) })).rejects.toMatchObject({ code: 'GPIO_BACKEND_MISSING', message: expect.stringContaining('npm install onoff') });
  });
});
