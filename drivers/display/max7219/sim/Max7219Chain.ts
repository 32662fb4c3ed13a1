/**
 * A chain of MAX7219 devices as their SPI windows leave them (Maxim MAX7219
 * datasheet: serial interface, "Cascading Drivers", Table 2). Bytes shift
 * through every device's 16-bit register, DIN of device 0 first; on the
 * LOAD/CS rising edge each device executes what its register holds. Bytes
 * left in the shift registers from an earlier window are executed again if
 * a later window is too short to push them out, as on the hardware.
 */
import { CODE_B_SEGMENTS } from '../framing/glyphs.ts';
import { DIGITS, Register } from '../framing/registers.ts';

export interface Max7219State {
  digits: Uint8Array;
  decodeMode: number;
  intensity: number;
  scanLimit: number;
  shutdown: 0 | 1;
  displayTest: 0 | 1;
}

export class Max7219Chain {
  readonly devices: Max7219State[];
  /** Concatenated shift registers, farthest device first (index 0 = the oldest byte still inside). */
  private readonly shift: number[];
  /** Latches that carried a register number the chip does not have (a driver bug if ever non-empty). */
  readonly unknown: Array<{ device: number; register: number }> = [];

  constructor(
    readonly length: number,
    private readonly powerUpDigits = 0xa5,
  ) {
    this.devices = Array.from({ length }, () => this.powerUp());
    this.shift = new Array<number>(2 * length).fill(0);
  }

  /** Power-up (datasheet "Initial Power-Up"): control registers reset, shutdown, digit RAM undefined. */
  private powerUp(): Max7219State {
    return { digits: new Uint8Array(DIGITS).fill(this.powerUpDigits), decodeMode: 0, intensity: 0, scanLimit: 0, shutdown: 0, displayTest: 0 };
  }

  /** Power-cycle every device (a brown-out on the 5 V rail). */
  powerCycle(): void {
    for (let k = 0; k < this.length; k++) this.devices[k] = this.powerUp();
  }

  /** One chip-select window: shift `bytes` in, then latch. */
  window(bytes: Uint8Array): void {
    for (const b of bytes) {
      this.shift.push(b);
      this.shift.shift();
    }
    for (let k = 0; k < this.length; k++) {
      const at = 2 * (this.length - 1 - k);
      this.execute(k, this.shift[at]! & 0x0f, this.shift[at + 1]!);
    }
  }

  private execute(k: number, register: number, data: number): void {
    const d = this.devices[k]!;
    if (register >= Register.digit0 && register < Register.digit0 + DIGITS) {
      d.digits[register - Register.digit0] = data;
      return;
    }
    switch (register) {
      case Register.noOp:
        return;
      case Register.decodeMode:
        d.decodeMode = data;
        return;
      case Register.intensity:
        d.intensity = data & 0x0f;
        return;
      case Register.scanLimit:
        d.scanLimit = data & 0x07;
        return;
      case Register.shutdown:
        d.shutdown = (data & 1) as 0 | 1;
        return;
      case Register.displayTest:
        d.displayTest = (data & 1) as 0 | 1;
        return;
      default:
        this.unknown.push({ device: k, register });
    }
  }

  /** Segments device `k` lights on digit `d`, in no-decode order (D7 DP, D6 A … D0 G); 0 when dark. */
  shown(k: number, d: number): number {
    const dev = this.devices[k];
    if (!dev) return 0;
    if (dev.displayTest) return 0xff;
    if (!dev.shutdown || d > dev.scanLimit) return 0;
    const raw = dev.digits[d] ?? 0;
    if (dev.decodeMode & (1 << d)) return (CODE_B_SEGMENTS[raw & 0x0f] ?? 0) | (raw & 0x80);
    return raw;
  }
}
