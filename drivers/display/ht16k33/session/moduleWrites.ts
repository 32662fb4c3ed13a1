/**
 * The writes that bring one HT16K33 from what it is known to hold to a
 * target state. Pure: the façade keeps the known state and does the I/O.
 */
import { type BlinkRate, displaySetup, dimming, ramWrite, systemSetup } from '../framing/commands.ts';

/** What one chip should hold (or is known to hold). */
export interface ModuleState {
  /** 16-byte display RAM image. */
  ram: Uint8Array;
  blink: BlinkRate;
  /** Dimming 0–15. */
  dimming: number;
}

/**
 * Writes taking a chip from `known` to `target`. Unknown (`null`: never
 * initialised, or a write failed and the chip may have been power-cycled) →
 * the full Adafruit `begin()` order with the target RAM in place of the
 * clear: oscillator on, RAM, display on/blink, dimming. Known → only what
 * differs: one RAM write spanning the first to the last changed byte, then
 * display setup and dimming if they changed. Equal → nothing.
 */
export function planModuleWrites(known: ModuleState | null, target: ModuleState): Uint8Array[] {
  if (!known) {
    return [systemSetup(true), ramWrite(0, target.ram), displaySetup(true, target.blink), dimming(target.dimming)];
  }
  const writes: Uint8Array[] = [];
  let first = -1;
  let last = -1;
  for (let i = 0; i < target.ram.length; i++) {
    if (target.ram[i] !== known.ram[i]) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first >= 0) writes.push(ramWrite(first, target.ram.subarray(first, last + 1)));
  if (target.blink !== known.blink) writes.push(displaySetup(true, target.blink));
  if (target.dimming !== known.dimming) writes.push(dimming(target.dimming));
  return writes;
}
