/**
 * The latches that bring a MAX7219 chain from what it is known to hold to a
 * target. Pure: the façade keeps the known state and does the I/O.
 */
import { chainFrame, digitRegister, DIGITS, Register, type RegisterWrite } from '../framing/registers.ts';

/** What one device should hold (or is known to hold). */
export interface DeviceState {
  /** Digit registers 0–7 (matrix rows 0–7). */
  digits: Uint8Array;
  decodeMode: number;
  intensity: number;
  scanLimit: number;
  /** 1 = normal operation, 0 = shutdown (dark, registers kept). */
  shutdown: 0 | 1;
  displayTest: 0 | 1;
}

/** A blank device in normal operation: no decode, all 8 digits scanned. */
export function blankDevice(intensityLevel = 15): DeviceState {
  return { digits: new Uint8Array(DIGITS), decodeMode: 0, intensity: intensityLevel, scanLimit: 7, shutdown: 1, displayTest: 0 };
}

type Field = (d: DeviceState) => number;

/**
 * Registers in the order they are sent. Set-up first (display test off,
 * scan limit, decode mode: LedControl's order), then the digits, then
 * intensity, and the wake-up last, so a chain coming out of power-up shows
 * nothing until its digits hold the picture.
 */
const ORDER: ReadonlyArray<readonly [register: number, field: Field]> = [
  [Register.displayTest, (d) => d.displayTest],
  [Register.scanLimit, (d) => d.scanLimit],
  [Register.decodeMode, (d) => d.decodeMode],
  ...Array.from({ length: DIGITS }, (_, i) => [digitRegister(i), (d: DeviceState) => d.digits[i] ?? 0] as const),
  [Register.intensity, (d) => d.intensity],
  [Register.shutdown, (d) => d.shutdown],
];

/**
 * One chip-select window per register that differs on any device, carrying
 * that register for every device that needs it and no-ops for the rest (one
 * latch updates the whole chain at once: less tearing than LedControl's
 * device-by-device writes). `known` null (never initialised, or a transfer
 * failed) sends every register. Equal → nothing.
 */
export function planChainWrites(known: readonly DeviceState[] | null, target: readonly DeviceState[]): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (const [register, field] of ORDER) {
    const writes = target.map((t, k): RegisterWrite | null => {
      const was = known?.[k];
      return !was || field(was) !== field(t) ? { register, data: field(t) } : null;
    });
    if (writes.some((w) => w !== null)) frames.push(chainFrame(target.length, writes));
  }
  return frames;
}

export function copyDevice(d: DeviceState): DeviceState {
  return { ...d, digits: Uint8Array.from(d.digits) };
}
