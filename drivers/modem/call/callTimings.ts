/**
 * Call-tracker timings, ms, with their sources (STYLE rule 21). The CLCC poll
 * interval comes from the profile (profiles/ModemProfile.ts CLCC_POLL_MS).
 */
export const CALL_TIMINGS = {
  /**
   * After RING, wait this long for +CLIP before announcing the call without a
   * caller ID: oFono drivers/atmodem/voicecall.c waits 200 ms for CLIP after
   * RING, then polls CLCC (gsm-modems.md §1, scenario 2).
   */
  clipGraceMs: 200,
  /**
   * A call ended by a URC or by the host stays remembered this long, so a
   * CLCC answer produced before the end (in flight when the URC arrived) does
   * not resurrect it as a new call. One quick-class command timeout (2 s,
   * gsm-modems.md §9) plus one poll interval (2 s), rounded up.
   */
  tombstoneMs: 5_000,
  /**
   * A NO CARRIER / "VOICE CALL: END" this soon after the host hung a call up
   * belongs to that hang-up, not to another call still up (some firmware
   * reports the local release too); CLCC still decides within one poll.
   * Our own choice: one quick-class timeout (gsm-modems.md §9).
   */
  localEndEchoMs: 2_000,
} as const;

export type CallTimings = { -readonly [K in keyof typeof CALL_TIMINGS]: number };
