import { CcgateError } from '../../../gateway/core/errors.ts';
import type { TimeoutClass } from './AtCommand.ts';

/**
 * Every wait of the AT transaction layer, in milliseconds, in one typed
 * object (STYLE.md rule 21). Sources: gsm-modems.md §6 and §9, which draw on
 * chan_dongle (1 s / 5 s / 40 s classes), chan_quectel (LONG 40 s for the SMS
 * body and hang-up) and python-gsmmodem (10 s default). Tune with traces from
 * the branch hardware.
 */
export interface AtTimeouts {
  /** `AT`, `ATE0`, `AT+CSQ`, `AT+CREG?`, `AT+CLCC`, `AT+CLIP=1`: 2 s (gsm-modems.md §9 "quick"). */
  quick: number;
  /** `AT+CPIN?`, `AT+COPS?`, `AT+CMGR`, `AT+VTS`: 10 s (§9 "normal"; python-gsmmodem's default). */
  normal: number;
  /** `ATA`, `AT+CHUP`, `AT+CHLD`: 40 s (§9 "call"; chan_quectel LONG, wdoekes#50 ATA timed out mid-call at 10 s). */
  call: number;
  /** `ATD…;`: 60 s (§9 "dial": Wavecom answers OK only when the far end answers, so ring time + margin). */
  dial: number;
  /** From the payload's Ctrl-Z to `+CMGS`/final: 40 s (§6, chan_quectel LONG). */
  smsBody: number;
  /** `AT+CFUN=1,1` until boot URCs / the tty is back: 30 s (§9: 15–30 s; EC25 `RDY` ≈ 11 s). */
  reboot: number;
  /**
   * The resync marker exchange after a timeout (`ATS6=<v>S6?` until `<v>`
   * comes back): 5 s. Longer than the quick class on purpose: a modem whose
   * replies run late (issue #9: 2.6 s for 10 s) still answers it and keeps its
   * calls; a silent one already failed the quick `AT` before it.
   */
  resync: number;
  /** From the AT+CMGS write to the `> ` prompt: 5 s, then ESC (§6). */
  promptWait: number;
  /**
   * After a resync probe's OK: no byte for this long before the next command
   * is written, so a late reply is swallowed, not credited to it (P8,
   * bg111#97). 200 ms: a late reply arrives as one burst; its bytes are ms apart at 115200 Bd.
   */
  resyncQuiet: number;
  /**
   * First retry back-off for SIM busy (+CME ERROR: 14), device busy (515) and
   * timeouts of retryable queries; doubled per attempt (1 s, 2 s, 4 s). §7:
   * "retry with back-off (at most ~3 times)"; Wavecom answers the two commands
   * after AT+CFUN=1 with 515.
   */
  retryBackoff: number;
}

export const DEFAULT_AT_TIMEOUTS: Readonly<AtTimeouts> = Object.freeze({
  quick: 2_000,
  normal: 10_000,
  call: 40_000,
  dial: 60_000,
  smsBody: 40_000,
  reboot: 30_000,
  resync: 5_000,
  promptWait: 5_000,
  resyncQuiet: 200,
  retryBackoff: 1_000,
});

/** Merge overrides over the defaults; rejects a non-finite or negative value once, at the boundary. */
export function resolveTimeouts(overrides: Partial<AtTimeouts> = {}): AtTimeouts {
  const t: AtTimeouts = { ...DEFAULT_AT_TIMEOUTS, ...overrides };
  for (const [k, v] of Object.entries(t)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new CcgateError('CONFIG_INVALID', `AT timeout ${k} must be a non-negative number of milliseconds, got ${String(v)}`, { key: k, value: v });
    }
  }
  return t;
}

/** The timeout (ms) of a command class. */
export function timeoutFor(t: AtTimeouts, cls: TimeoutClass): number {
  return t[cls];
}
