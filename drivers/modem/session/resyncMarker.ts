import type { AtCommand } from './AtCommand.ts';

/**
 * The resync marker (gsm-modems.md P8, issue #9): after a timeout, a plain
 * `AT` can be completed by the late `OK` of the command that timed out, and
 * the next command by the late `OK` of that `AT` — every answer one step
 * behind, a bare `OK` read as "no calls". So the resync ends with an exchange
 * whose answer cannot be an earlier one: write a fresh value into an
 * S-register and read it back on the same line (V.250 §5.3.2, §6.3.9):
 *
 *   → ATS6=7S6?        ← 007  OK      (some firmware: `7`)
 *
 * Everything received before the `007` is a stale answer; after it the
 * modem has answered every earlier command (it answers in order), so the
 * link is in step again.
 *
 * S6 (pause before blind dialling, V.250 §6.3.9; 2–10 s) is read and written
 * by every V.250 modem and means nothing on GSM, which has no dial tone to
 * wait for: SIM800, SIM7600 and EC2x manuals list it with that range
 * (verify on the branch hardware; `register`/`min`/`max` are session options).
 * Not S0 (auto-answer), S3–S5 (line editing), S7 (connection completion
 * time-out: some firmware applies it to voice ATD/ATA), S8 (the pause of a
 * `,` in a dial string we may use).
 */
export interface ResyncMarkerOptions {
  /** The S-register written and read back. */
  register: number;
  /** Values cycled through, inclusive; each resync uses the next one. */
  min: number;
  max: number;
}

export const DEFAULT_RESYNC_MARKER: Readonly<ResyncMarkerOptions> = Object.freeze({ register: 6, min: 2, max: 10 });

/** Hands out marker commands, each with the next value of the cycle. */
export class ResyncMarkers {
  private last: number;

  constructor(private readonly o: ResyncMarkerOptions = DEFAULT_RESYNC_MARKER) {
    // Start one above the bottom: V.250's factory default of S6 is 2, and a modem that ignored the write
    // must not pass by reading back its default.
    this.last = o.min;
  }

  next(): AtCommand {
    const { register, min, max } = this.o;
    this.last = this.last >= max ? min : this.last + 1;
    return { text: `ATS${register}=${this.last}S${register}?`, timeout: 'resync', marker: this.last };
  }
}

/** A marker command line (`ATS6=7S6?`). */
export function isMarkerCommand(text: string): boolean {
  return /^ATS\d+=\d+S\d+\?$/.test(text);
}
