/**
 * One HT16K33 as its I2C writes leave it (Holtek HT16K33 datasheet, "Command
 * Summary"): display RAM, oscillator, display on/blink, dimming. Simulators
 * feed it every acknowledged write and render what its LEDs show.
 */
import type { BlinkRate } from '../framing/commands.ts';
import { RAM_BYTES } from '../framing/commands.ts';

/** Blink periods, ms, per rate (0 = steady): 2 Hz, 1 Hz, 0.5 Hz. */
const BLINK_PERIOD_MS: Readonly<Record<BlinkRate, number>> = { 0: 0, 1: 500, 2: 1000, 3: 2000 };

export class Ht16k33Chip {
  readonly ram = new Uint8Array(RAM_BYTES);
  oscillator = false;
  displayOn = false;
  blink: BlinkRate = 0;
  dimming = 15;
  /** Bytes that were no command this chip knows (a driver bug if ever non-empty). */
  readonly unknown: number[] = [];

  constructor(private readonly powerUpRam = 0xa5) {
    this.powerCycle();
  }

  /** Power-up state: standby, display off, RAM holding garbage (the datasheet leaves it undefined). */
  powerCycle(): void {
    this.ram.fill(this.powerUpRam);
    this.oscillator = false;
    this.displayOn = false;
    this.blink = 0;
    this.dimming = 15;
  }

  /** Apply one write transaction (the bytes after the address byte). */
  apply(bytes: Uint8Array): void {
    const cmd = bytes[0];
    if (cmd === undefined) return;
    switch (cmd & 0xf0) {
      case 0x00:
        // Display data address pointer, auto-incremented and wrapping within the 16 bytes.
        for (let i = 1; i < bytes.length; i++) this.ram[(cmd + i - 1) & 0x0f] = bytes[i]!;
        return;
      case 0x20:
        this.oscillator = (cmd & 1) === 1;
        return;
      case 0x80:
        this.displayOn = (cmd & 1) === 1;
        this.blink = ((cmd >> 1) & 3) as BlinkRate;
        return;
      case 0xe0:
        this.dimming = cmd & 0x0f;
        return;
      default:
        this.unknown.push(cmd);
    }
  }

  /** Whether the LEDs are lit at `ms` (oscillator and display on, and in the on half of a blink). */
  litAt(ms: number): boolean {
    if (!this.oscillator || !this.displayOn) return false;
    const period = BLINK_PERIOD_MS[this.blink];
    return period === 0 || ms % period < period / 2;
  }

  /** RAM word `i` (row i: low byte at 2i, high byte at 2i+1). */
  word(i: number): number {
    return (this.ram[2 * i] ?? 0) | ((this.ram[2 * i + 1] ?? 0) << 8);
  }
}
