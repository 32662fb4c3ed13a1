import { CcgateError } from '../../../gateway/core/errors.ts';

/**
 * Every wait of the modem trunk adapter (ModemTrunk), in milliseconds, in
 * one typed object (STYLE.md rule 21). The AT layer's own timeouts are in
 * session/timeouts.ts; these sit above them and bound what the core sees.
 */
export interface ModemTrunkTimings {
  /**
   * An incoming call without caller ID waits this long for it before it is
   * offered as 'unavailable': the tracker's CLIP grace (200 ms, oFono) plus
   * one AT+CLCC round trip, with room for a slow modem. 1.5 s.
   */
  callerIdWaitMs: number;
  /**
   * A health drop shorter than this does not end calls the modem still lists
   * (issue #9: six garbage lines mid-call made a SIM800 `baudMismatch` for
   * about 2 s, until the next AT+CLCC was answered). 10 s: several CLCC polls
   * (2 s each) and a resync; past it the call is failed and released.
   */
  healthGraceMs: number;
  /**
   * From the core's `answer` to the modem's OK for ATA, queueing included:
   * the AT 'call' class (40 s, ATA can take over 10 s, wdoekes#50) plus 5 s
   * for a command ahead in the queue. Past it the leg ends `lineFailed`
   * (issue #9: ATA waited forever behind a paused queue).
   */
  answerWaitMs: number;
  /**
   * A hang-up the modem did not take (timeout, port closed) is tried again
   * this long after, while the modem is up; and at once whenever it comes
   * back up. 5 s: never a tight loop, short next to a caller's patience.
   */
  releaseRetryMs: number;
}

export const MODEM_TRUNK_TIMINGS: Readonly<ModemTrunkTimings> = Object.freeze({
  callerIdWaitMs: 1_500,
  healthGraceMs: 10_000,
  answerWaitMs: 45_000,
  releaseRetryMs: 5_000,
});

/** Merge overrides over the defaults; rejects a non-finite or negative value once, at the boundary. */
export function resolveTrunkTimings(overrides: Partial<ModemTrunkTimings> = {}): ModemTrunkTimings {
  const t: ModemTrunkTimings = { ...MODEM_TRUNK_TIMINGS, ...overrides };
  for (const [k, v] of Object.entries(t)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new CcgateError('CONFIG_INVALID', `modem trunk timing ${k} must be a non-negative number of milliseconds, got ${String(v)}`, { key: k, value: v });
    }
  }
  return t;
}
