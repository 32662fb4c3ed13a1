/**
 * GPIO through `onoff` (sysfs): only for kernels that still have
 * /sys/class/gpio; its maintainer will not port it to the character device.
 * Line numbers are the header chip's base plus the offset (sysfsBase.ts).
 * onoff's watch gives the new value but no timestamp: an edge is stamped
 * when it reaches us, which is coarser than the kernel's stamp libgpiod gives.
 */
import { EventEmitter } from 'node:events';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { GpioLines, GpioLinesEvents } from '../GpioLines.ts';
import { bcmNumber } from '../lineNumber.ts';
import { headerChip, listChips } from './sysfsBase.ts';

/** The part of onoff 6.x used here (its index.d.ts). */
export interface OnoffGpio {
  read(): Promise<0 | 1>;
  write(value: 0 | 1): Promise<void>;
  watch(cb: (err: Error | null | undefined, value: 0 | 1) => void): void;
  unexport(): void;
}
export interface OnoffModule {
  Gpio: { new (gpio: number, direction: 'in' | 'out', edge?: 'both'): OnoffGpio; readonly accessible: boolean };
}

async function importOnoff(): Promise<OnoffModule> {
  const name = 'onoff';
  // Not a dependency (native, sysfs only): installed by whoever chooses this backend.
  return (await import(name)) as OnoffModule;
}

export class OnoffLines extends EventEmitter<GpioLinesEvents> implements GpioLines {
  readonly name = 'onoff';
  private readonly open = new Map<string, OnoffGpio>();

  private constructor(
    private readonly mod: OnoffModule,
    private readonly base: number,
    private readonly ngpio: number,
  ) {
    super();
  }

  static async open(o: { loadModule?: () => Promise<OnoffModule>; sysfsRoot?: string } = {}): Promise<OnoffLines> {
    let mod: OnoffModule;
    try {
      mod = await (o.loadModule ?? importOnoff)();
    } catch (e) {
      throw new CcgateError('GPIO_BACKEND_MISSING', `the 'onoff' package is not installed (npm install onoff) or did not build: ${String(e)}`);
    }
    if (!mod.Gpio.accessible) throw new CcgateError('GPIO_BACKEND_REFUSED', 'this kernel has no sysfs GPIO (/sys/class/gpio): use the libgpiod backend');
    const chip = headerChip(await listChips(o.sysfsRoot ?? '/sys/class/gpio'));
    return new OnoffLines(mod, chip.base, chip.ngpio);
  }

  /** The sysfs number of a header line name. */
  sysfsNumber(line: string): number {
    const n = bcmNumber(line);
    if (n === null || n >= this.ngpio) throw new CcgateError('GPIO_LINE_UNKNOWN', `'${line}' is not a header line (GPIO0–GPIO${this.ngpio - 1})`);
    return this.base + n;
  }

  private gpio(line: string, direction: 'in' | 'out', edge?: 'both'): OnoffGpio {
    const key = `${line}:${direction}:${edge ?? ''}`;
    let g = this.open.get(key);
    if (!g) {
      g = edge ? new this.mod.Gpio(this.sysfsNumber(line), direction, edge) : new this.mod.Gpio(this.sysfsNumber(line), direction);
      this.open.set(key, g);
    }
    return g;
  }

  async read(lines: readonly string[]): Promise<number[]> {
    return Promise.all(lines.map((l) => this.gpio(l, 'in').read()));
  }

  async write(line: string, value: 0 | 1): Promise<void> {
    return this.gpio(line, 'out').write(value);
  }

  async monitor(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      this.gpio(line, 'in', 'both').watch((err, value) => {
        if (err) return;
        this.emit('edge', { line, rising: value === 1, timeNs: process.hrtime.bigint() });
      });
    }
  }

  close(): Promise<void> {
    for (const g of this.open.values()) g.unexport();
    this.open.clear();
    return Promise.resolve();
  }
}
