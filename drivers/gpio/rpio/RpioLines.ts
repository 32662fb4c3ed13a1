/**
 * GPIO through `rpio` (bcm2835 registers via /dev/gpiomem): Pi 1–4 only.
 * On a Pi 5 the header sits behind the RP1 with another register map, and on
 * anything rpio does not recognise it falls silently into a mock mode that
 * reads zeros forever; both are refused here, before rpio is initialised,
 * rather than discovered as a dead decoder. rpio is GPL-2.0 and native: an
 * optional dependency. Its poll reports that a line changed, not to what or
 * when: the level is read at once and stamped on arrival.
 */
import { readFile } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { GpioLines, GpioLinesEvents } from '../GpioLines.ts';
import { bcmNumber } from '../lineNumber.ts';

/** The part of rpio 2.x used here. */
export interface RpioModule {
  readonly INPUT: number;
  readonly OUTPUT: number;
  readonly POLL_BOTH: number;
  init(opts: { gpiomem?: boolean; mapping?: 'gpio' | 'physical'; mock?: string | false; close_on_exit?: boolean }): void;
  open(pin: number, mode: number, init?: number): void;
  read(pin: number): number;
  write(pin: number, value: number): void;
  poll(pin: number, cb: ((pin: number) => void) | null, direction?: number): void;
  close(pin: number): void;
  on(event: 'warn', cb: (msg: string) => void): unknown;
  removeListener(event: 'warn', cb: (msg: string) => void): unknown;
}

async function importRpio(): Promise<RpioModule> {
  const mod = (await import('rpio')) as unknown as { default?: RpioModule } & RpioModule;
  return mod.default ?? mod;
}

/** Why rpio must not run on the board `model` (/proc/device-tree/model), or null when it may. */
export function refusal(model: string | null): string | null {
  if (model === null) return 'this is not a Raspberry Pi (no /proc/device-tree/model): rpio would run in mock mode and read nothing';
  if (/^Raspberry Pi 5\b/.test(model) || /^Raspberry Pi Compute Module 5\b/.test(model)) return `${model}: rpio drives the BCM2835 registers, and a Pi 5's header is behind the RP1: use the libgpiod backend`;
  if (!/^Raspberry Pi\b/.test(model)) return `${model} is not a Raspberry Pi: rpio would run in mock mode and read nothing`;
  return null;
}

export class RpioLines extends EventEmitter<GpioLinesEvents> implements GpioLines {
  readonly name: string;
  private readonly modes = new Map<number, number>();
  private readonly polled = new Set<number>();

  private constructor(
    private readonly rpio: RpioModule,
    mock: string | null,
  ) {
    super();
    this.name = mock ? `rpio (mock ${mock})` : 'rpio';
  }

  /**
   * `mock`: run rpio's own mock board (tests only). Otherwise the model is
   * checked first, and a mock-mode warning during init is refused too.
   */
  static async open(o: { loadModule?: () => Promise<RpioModule>; modelPath?: string; mock?: string } = {}): Promise<RpioLines> {
    if (!o.mock) {
      const model = await readFile(o.modelPath ?? '/proc/device-tree/model', 'utf8').then((s) => s.replace(/\0+$/, '').trim(), () => null);
      const why = refusal(model);
      if (why) throw new CcgateError('GPIO_BACKEND_REFUSED', why);
    }
    let rpio: RpioModule;
    try {
      rpio = await (o.loadModule ?? importRpio)();
    } catch (e) {
      throw new CcgateError('GPIO_BACKEND_MISSING', `the optional package 'rpio' is not installed or did not build: ${String(e)}`);
    }
    const warnings: string[] = [];
    const onWarn = (m: string): void => void warnings.push(m);
    rpio.on('warn', onWarn);
    try {
      rpio.init({ gpiomem: true, mapping: 'gpio', mock: o.mock ?? false, close_on_exit: false });
    } finally {
      rpio.removeListener('warn', onWarn);
    }
    const mocked = warnings.find((w) => /mock mode/.test(w));
    if (mocked && !o.mock) throw new CcgateError('GPIO_BACKEND_REFUSED', `rpio: ${mocked}: refusing to run on a simulated board`);
    return new RpioLines(rpio, o.mock ?? null);
  }

  private pin(line: string, mode: number): number {
    const n = bcmNumber(line);
    if (n === null || n > 27) throw new CcgateError('GPIO_LINE_UNKNOWN', `'${line}' is not a header line (GPIO0–GPIO27)`);
    if (this.modes.get(n) !== mode) {
      this.rpio.open(n, mode, mode === this.rpio.OUTPUT ? 0 : undefined);
      this.modes.set(n, mode);
    }
    return n;
  }

  // async: a bad line name rejects rather than throws, as with the other backends.
  async read(lines: readonly string[]): Promise<number[]> {
    return lines.map((l) => this.rpio.read(this.pin(l, this.rpio.INPUT)));
  }

  async write(line: string, value: 0 | 1): Promise<void> {
    this.rpio.write(this.pin(line, this.rpio.OUTPUT), value);
  }

  async monitor(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      const n = this.pin(line, this.rpio.INPUT);
      if (this.polled.has(n)) continue;
      this.polled.add(n);
      this.rpio.poll(n, () => this.emit('edge', { line, rising: this.rpio.read(n) === 1, timeNs: process.hrtime.bigint() }), this.rpio.POLL_BOTH);
    }
  }

  close(): Promise<void> {
    for (const n of this.polled) this.rpio.poll(n, null);
    this.polled.clear();
    for (const n of this.modes.keys()) this.rpio.close(n);
    this.modes.clear();
    return Promise.resolve();
  }
}
