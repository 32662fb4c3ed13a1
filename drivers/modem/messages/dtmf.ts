import { intField, paramsAfter, splitFields } from './fields.ts';
import type { Urc } from './Urc.ts';

/**
 * Received DTMF in every dialect the four families use (gsm-modems.md §5.5):
 *
 * | URC                       | modem                                   | payload                     |
 * |---------------------------|-----------------------------------------|-----------------------------|
 * | `+DTMF: <k>[,<ms>]`       | SIM800 after `AT+DDET=1,…` (reportMode 1 adds ms) | digit; `+DTMF:5` without blank too (SIM800 manual, chan_quectel) |
 * | `+RXDTMF: <k>`            | SIM7600 after `AT+DDET=1`               | digit                       |
 * | `+QTONEDET: <code>`       | Quectel EC2x/EG25 after `AT+QTONEDET=1` | decimal ASCII code (35 = #) |
 * | `^DDTMF: <k>` / `^DTMF:`  | Huawei ME909/MU609 class (`AT^DDTMFCFG=0,1`) | digit                  |
 */

/** DTMF digits (ITU-T Q.23): 0-9, *, #, A-D. */
const DIGIT = /^[0-9*#A-D]$/;

export interface DtmfDigit {
  digit: string;
  /** Tone length in ms when the modem reports it (SIM800 reportMode 1), else null. */
  durationMs: number | null;
  /** The URC name it came from, e.g. `+QTONEDET`. */
  source: string;
}

const PREFIXES = ['+DTMF:', '+RXDTMF:', '+QTONEDET:', '^DDTMF:', '^DTMF:'] as const;

/**
 * `+QTONEDET` carries the ASCII code of the digit in decimal: 48–57 → 0–9,
 * 42 → *, 35 → #, 65–68 → A–D (chan_quectel at_response_qtonedet;
 * ModemManager forwards the raw number, a known divergence: gsm-modems.md §5.3).
 */
export function qtonedetToDigit(code: number): string | null {
  if (!Number.isInteger(code) || code < 0 || code > 127) return null;
  const ch = String.fromCharCode(code);
  return DIGIT.test(ch) ? ch : null;
}

/** Parse a DTMF URC of any dialect; null when the line is none or the digit is not a DTMF digit. */
export function parseDtmf(line: string): DtmfDigit | null {
  for (const prefix of PREFIXES) {
    const p = paramsAfter(line, prefix);
    if (p === null) continue;
    const source = prefix.slice(0, -1);
    const f = splitFields(p);
    const first = f[0];
    if (!first) return null;
    let digit: string | null;
    if (prefix === '+QTONEDET:') {
      const code = intField(first);
      digit = code === null ? null : qtonedetToDigit(code);
    } else {
      digit = DIGIT.test(first.value) ? first.value : null;
    }
    if (digit === null) return null;
    // Only SIM800 `+DTMF: <k>,<ms>` defines a second field as the duration.
    const ms = prefix === '+DTMF:' ? intField(f[1]) : null;
    return { digit, durationMs: ms !== null && ms >= 0 ? ms : null, source };
  }
  return null;
}

/** A DTMF line as a typed URC. */
export function parseDtmfUrc(line: string): Urc | null {
  const d = parseDtmf(line);
  return d ? { kind: 'dtmf', ...d } : null;
}
