import type { LadderTimings } from '../health/RecoveryLadder.ts';

/** Timings of the modem supervisor, ms. One place, each with its reason (STYLE.md rule 21). */
export interface ModemTimings {
  /** Idle health poll (AT+CSQ, AT+CREG?): also the keep-alive that notices a dead modem. */
  pollMs: number;
  /** Consecutive timeouts that make a modem unresponsive (gsm-modems.md scenario 5: N = 3). */
  unresponsiveAfter: number;
  /** Wait after the first boot marker before re-init: the burst (RDY … SMS Ready) takes ~1–3 s on SIM800. */
  rebootSettleMs: number;
  /** How long to wait for boot markers after AT+CFUN=1,1 or a power cycle: EC25 RDY ≈ 11 s (mbed-os#12618, PR#12651 → 15 s). */
  rebootWaitMs: number;
  /** Retry of a failed init while the modem still answers. */
  initRetryMs: number;
  /** Reopen attempts in the ladder's reopen step (USB re-enumeration takes a few seconds). */
  reopenAttempts: number;
  /** While dead with the port gone: how often to look for it again (an open of a missing tty fails at once). */
  portWatchMs: number;
  /** After a baud hunt found no rate: when to try again (the modem may have been mid-reboot). */
  baudHuntRetryMs: number;
  ladder?: Partial<Omit<LadderTimings, 'stepTimeoutMs'>>;
}

export const MODEM_TIMINGS: ModemTimings = {
  pollMs: 30_000,
  unresponsiveAfter: 3,
  rebootSettleMs: 2_000,
  rebootWaitMs: 15_000,
  initRetryMs: 10_000,
  reopenAttempts: 4,
  portWatchMs: 10_000,
  baudHuntRetryMs: 60_000,
};
