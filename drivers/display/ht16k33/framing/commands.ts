/**
 * HT16K33 command bytes (Holtek HT16K33 datasheet, "Command Summary"). Each
 * is a one-byte I2C write; RAM writes carry a start address and data.
 * Pure: no I/O.
 */

/** Blink rates of the display setup command: 0 off, 1 = 2 Hz, 2 = 1 Hz, 3 = 0.5 Hz. */
export type BlinkRate = 0 | 1 | 2 | 3;

/** Display RAM size, bytes (8 COM rows × 16 ROW bits). */
export const RAM_BYTES = 16;

/** System setup `0x20|S`: 0x21 oscillator on (normal operation), 0x20 standby. */
export function systemSetup(oscillatorOn: boolean): Uint8Array {
  return Uint8Array.of(0x20 | (oscillatorOn ? 1 : 0));
}

/** Display setup `0x80|(blink<<1)|D`: 0x81 on, 0x83/0x85/0x87 blinking at 2/1/0.5 Hz, 0x80 off. */
export function displaySetup(on: boolean, blink: BlinkRate = 0): Uint8Array {
  return Uint8Array.of(0x80 | (blink << 1) | (on ? 1 : 0));
}

/** Dimming `0xE0|n`, n = 0 (1/16 duty) … 15 (16/16); out-of-range values are clamped. */
export function dimming(level: number): Uint8Array {
  return Uint8Array.of(0xe0 | clampNibble(level));
}

/** A RAM write starting at `start` (0x00–0x0F): `[start, data…]`; the chip auto-increments the address. */
export function ramWrite(start: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 1);
  out[0] = start & 0x0f;
  out.set(data, 1);
  return out;
}

/**
 * The init sequence of Adafruit_LEDBackpack `begin()`: oscillator on, RAM
 * cleared (it powers up random), display on without blink, full brightness.
 */
export function initSequence(): Uint8Array[] {
  return [systemSetup(true), ramWrite(0, new Uint8Array(RAM_BYTES)), displaySetup(true, 0), dimming(15)];
}

export function clampNibble(n: number): number {
  if (!Number.isFinite(n)) return 15;
  return Math.max(0, Math.min(15, Math.round(n)));
}
