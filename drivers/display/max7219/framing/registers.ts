/**
 * MAX7219 register writes and chain framing (Maxim MAX7219 datasheet,
 * "Serial-Addressing Modes" and Table 2). A write is a 16-bit frame, MSB
 * first: register address, then data; it takes effect on the rising edge of
 * LOAD/CS. Pure: no I/O.
 */

/** Register addresses (datasheet Table 2). Digit d (matrix row d) is register d + 1. */
export const Register = {
  noOp: 0x00,
  digit0: 0x01,
  decodeMode: 0x09,
  intensity: 0x0a,
  scanLimit: 0x0b,
  shutdown: 0x0c,
  displayTest: 0x0f,
} as const;

/** One register write for one device. */
export interface RegisterWrite {
  register: number;
  data: number;
}

export const DIGITS = 8;

/** The register of digit `d` (0–7; on a matrix, row d). */
export function digitRegister(d: number): number {
  return Register.digit0 + d;
}

/** One frame for a single device: `[register, data]`. */
export function frame(w: RegisterWrite): Uint8Array {
  return Uint8Array.of(w.register & 0x0f, w.data & 0xff);
}

/**
 * One chip-select window for a chain of `chain` devices. `writes[k]` is for
 * device k, counted from the one wired to the Pi (k = 0); absent entries get a
 * no-op. The first pair clocked out ends up in the device farthest from the
 * Pi, so devices are sent farthest first; one latch updates every device at
 * once (datasheet "Cascading Drivers").
 */
export function chainFrame(chain: number, writes: ReadonlyArray<RegisterWrite | null | undefined>): Uint8Array {
  const out = new Uint8Array(2 * chain);
  for (let k = 0; k < chain; k++) {
    const w = writes[k];
    if (!w) continue;
    const at = 2 * (chain - 1 - k);
    out[at] = w.register & 0x0f;
    out[at + 1] = w.data & 0xff;
  }
  return out;
}

/** The same write for every device of the chain, in one latch. */
export function broadcastFrame(chain: number, w: RegisterWrite): Uint8Array {
  return chainFrame(chain, Array.from({ length: chain }, () => w));
}

/**
 * The LedControl constructor's sequence (wayoda/LedControl `LedControl()`):
 * display test off, scan all 8 digits, no decode, every digit cleared, and
 * shutdown, so the display stays dark until woken.
 */
export function ledControlInit(): RegisterWrite[] {
  return [
    { register: Register.displayTest, data: 0 },
    { register: Register.scanLimit, data: 7 },
    { register: Register.decodeMode, data: 0 },
    ...Array.from({ length: DIGITS }, (_, d) => ({ register: digitRegister(d), data: 0 })),
    { register: Register.shutdown, data: 0 },
  ];
}

/** Intensity 0–15 (duty 1/32 … 31/32); out-of-range values are clamped. */
export function intensity(level: number): RegisterWrite {
  const n = Number.isFinite(level) ? Math.max(0, Math.min(15, Math.round(level))) : 15;
  return { register: Register.intensity, data: n };
}

/** Shutdown register: `awake` true = normal operation (1), false = shutdown (0). */
export function shutdown(awake: boolean): RegisterWrite {
  return { register: Register.shutdown, data: awake ? 1 : 0 };
}
