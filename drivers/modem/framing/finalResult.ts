// Type only: FinalResult is part of the AtCommand contract (session/), the classifier lives with the framing.
import type { FinalResult } from '../session/AtCommand.ts';

/**
 * Classify one decoded line as a final result code, or null when it is not
 * one. Pure. The set is V.250 §5.7.1 (OK, CONNECT, ERROR, NO CARRIER, BUSY,
 * NO ANSWER, NO DIALTONE), 27.007 §9.2 `+CME ERROR:`, 27.005 §3.2.5
 * `+CMS ERROR:`, and the vendor finals ModemManager's parser knows
 * (`src/mm-serial-parsers.c`): Huawei `COMMAND NOT SUPPORT` (E1752) and
 * `MODEM ERROR: <n>`.
 *
 * Whether NO CARRIER/BUSY/NO ANSWER/NO DIALTONE end the command in flight or
 * are call-ended URCs is the router's decision (gsm-modems.md P5); here they
 * are only classified.
 */
export function parseFinalResult(line: string): FinalResult | null {
  // Trailing blanks never change a result code; `+CME ERROR: ` (no code) is
  // common on Huawei firmware.
  const t = line.trimEnd();
  switch (t) {
    case 'OK':
      return { kind: 'ok' };
    case 'ERROR':
      return { kind: 'error', text: 'ERROR' };
    case 'CONNECT':
      return { kind: 'connect', text: '' };
    case 'NO CARRIER':
      return { kind: 'noCarrier' };
    case 'BUSY':
      return { kind: 'busy' };
    case 'NO ANSWER':
      return { kind: 'noAnswer' };
    case 'NO DIALTONE':
    case 'NO DIAL TONE': // spelling of some Hayes-derived firmware
      return { kind: 'noDialtone' };
    case 'COMMAND NOT SUPPORT': // Huawei E1752/E1550: an error final (gsm-modems.md P6)
      return { kind: 'error', text: t };
  }
  if (t.startsWith('CONNECT ')) return { kind: 'connect', text: t.slice(8).trim() };
  if (t.startsWith('+CME ERROR:')) return { kind: 'cme', ...codeAndText(t.slice(11)) };
  if (t.startsWith('+CMS ERROR:')) return { kind: 'cms', ...codeAndText(t.slice(11)) };
  // ModemManager accepts MODEM ERROR only with a number (`MODEM ERROR: apple` is not a final).
  if (/^MODEM ERROR: \d+$/.test(t)) return { kind: 'error', text: t };
  return null;
}

/**
 * `+CME ERROR: 10` (AT+CMEE=1), `+CME ERROR: SIM not inserted` (AT+CMEE=2) or
 * nothing at all. Deliberately also for `+CME ERROR:` with nothing after the
 * colon, which ModemManager does not take as final: a line starting so can
 * only be an error, and ignoring it would cost a full timeout plus resync.
 */
function codeAndText(rest: string): { code: number | null; text: string } {
  const text = rest.trim();
  return { code: /^\d+$/.test(text) ? Number(text) : null, text };
}

/** NO CARRIER, BUSY, NO ANSWER, NO DIALTONE: finals only for ATD/ATA (`finals: 'dial'`), URCs elsewhere. */
export function isCallFinal(f: FinalResult): boolean {
  return f.kind === 'noCarrier' || f.kind === 'busy' || f.kind === 'noAnswer' || f.kind === 'noDialtone';
}
