/**
 * The DS26521 single T1/E1/J1 transceiver's alarm and counter registers, as
 * ccgate reads them (data sheet register map; the receive framer block is
 * 0x000–0x0EF, the global block 0x0F0–0x0FF). Only what the alarm monitor
 * needs is here; the line is configured by the board's own firmware.
 *
 * - RRTS1 is real time (the condition now); RLS1 latches a condition's
 *   detection (…D bits) and its clearing (…C bits) and is cleared by writing
 *   ones to the bits read (write-one-to-clear), so nothing between two polls
 *   is missed: a LOS shorter than the poll still shows as detected.
 * - The error counters are 16 bits in two registers (…1 the high byte). The
 *   chip loads them from its internal counters once a second and then sets
 *   RLS4.1SEC: read them when that bit is set, or the same second is counted twice.
 */

export const DS26521 = {
  /** Receive master mode register: bit 0 E1 mode, bit 7 framer enabled. */
  RMMR: 0x080,
  /** Receive latched status 1 (W1C). */
  RLS1: 0x090,
  /** Receive latched status 4 (W1C): receive slip, the one-second tick. */
  RLS4: 0x093,
  /** Receive real-time status 1. */
  RRTS1: 0x0b0,
  /** Line code violation count (HDB3 bipolar violations). */
  LCVCR1: 0x050,
  /** Path code violation count: CRC-4 block errors in E1 mode. */
  PCVCR1: 0x052,
  /** Frames out of sync count: FAS word errors in E1 mode. */
  FOSCR1: 0x054,
  /** E-bit count: the far end's CRC-4 error reports (far-end block errors). */
  E1EBCR1: 0x056,
  /** Device identification: bits 7–3 name the part. */
  IDR: 0x0f8,
} as const;

/** RRTS1 bits (and RLS1's detect bits, in the low nibble). */
export const RRTS1 = { RLOF: 0x01, RLOS: 0x02, RAIS: 0x04, RRAI: 0x08 } as const;
/** RLS4 bits. */
export const RLS4 = { ONESEC: 0x04, RSLIP: 0x20 } as const;

/** The line conditions ccgate reports, in the names carriers and DAHDI use. */
export type E1Condition = 'los' | 'lof' | 'ais' | 'rai';
export const E1_CONDITIONS: readonly E1Condition[] = ['los', 'lof', 'ais', 'rai'];

const BIT_OF: Readonly<Record<E1Condition, number>> = { los: RRTS1.RLOS, lof: RRTS1.RLOF, ais: RRTS1.RAIS, rai: RRTS1.RRAI };

/**
 * The conditions present since the last poll: on now (RRTS1) or detected in
 * between (RLS1's detect bits, so a short outage is still seen once).
 */
export function conditionsOf(rrts1: number, rls1: number): Set<E1Condition> {
  const seen = (rrts1 | rls1) & 0x0f;
  return new Set(E1_CONDITIONS.filter((c) => (seen & BIT_OF[c]) !== 0));
}

export function bitOf(c: E1Condition): number {
  return BIT_OF[c];
}

/** One 16-bit counter from its high and low registers. */
export const counter16 = (hi: number, lo: number): number => ((hi & 0xff) << 8) | (lo & 0xff);

/** The counters read once a second, as the monitor accumulates them. */
export interface E1Counters {
  lineCodeViolations: number;
  crc4Errors: number;
  fasErrors: number;
  farEndBlockErrors: number;
  slips: number;
}

export const COUNTER_REGISTERS: ReadonlyArray<[keyof E1Counters, number]> = [
  ['lineCodeViolations', DS26521.LCVCR1],
  ['crc4Errors', DS26521.PCVCR1],
  ['fasErrors', DS26521.FOSCR1],
  ['farEndBlockErrors', DS26521.E1EBCR1],
];

export const zeroCounters = (): E1Counters => ({ lineCodeViolations: 0, crc4Errors: 0, fasErrors: 0, farEndBlockErrors: 0, slips: 0 });
