import { intField, paramsAfter, splitFields, type Field } from './fields.ts';
import type { Urc } from './Urc.ts';

/**
 * Signal quality, 3GPP TS 27.007 §8.5 (`+CSQ: <rssi>,<ber>`), and the pushed
 * variants: SIMCom `+CSQN` (after `AT+AUTOCSQ`/`AT+EXUNSOL="SQ",1`), Quectel
 * `+QIND: "csq",<rssi>,<ber>` (`AT+QINDCFG="csq",1`), Huawei `^RSSI:<rssi>` and
 * `^HCSQ:"<sysmode>",…` (gsm-modems.md §5.2–§5.4, §10 scenario 1).
 * rssi uses the 27.007 scale: 0–31, 99 = unknown.
 */

export interface SignalQuality {
  /** 0–31 (−113 dBm … −51 dBm or better), 99 = not known or not detectable. */
  rssi: number;
  /** Bit error rate class 0–7; null when 99 (unknown) or absent. */
  ber: number | null;
}

type SignalUrc = Extract<Urc, { kind: 'signal' }>;

/** 27.007 §8.5: dBm = −113 + 2·rssi for 0–31; 99 (unknown) and anything else → null. */
export function rssiToDbm(rssi: number): number | null {
  if (!Number.isInteger(rssi) || rssi < 0 || rssi > 31) return null;
  return -113 + 2 * rssi;
}

function rssiOf(f: Field | undefined): number | null {
  const v = intField(f);
  return v !== null && ((v >= 0 && v <= 31) || v === 99) ? v : null;
}

function berOf(f: Field | undefined): number | null {
  const v = intField(f);
  return v !== null && v >= 0 && v <= 7 ? v : null;
}

function pair(params: string): SignalQuality | null {
  const f = splitFields(params);
  const rssi = rssiOf(f[0]);
  return rssi === null ? null : { rssi, ber: berOf(f[1]) };
}

/** Parse the answer to `AT+CSQ`; null if malformed (incl. the `=?` test answer `+CSQ: (0-31,99),(0-7,99)`). */
export function parseCsq(line: string): SignalQuality | null {
  const p = paramsAfter(line.trim(), '+CSQ:');
  return p === null ? null : pair(p);
}

/**
 * Huawei `^HCSQ:"<sysmode>",<v1>,…`: for GSM/WCDMA/TD-SCDMA/LTE the first value
 * is RSSI on Huawei's 0–96 scale (0: < −120 dBm, n: −121+n … −120+n dBm; 255 =
 * unknown; Huawei ME909 AT manual). Converted to the 27.007 scale so all
 * sources compare; `"NOSERVICE"` → 99.
 */
function parseHcsq(params: string): SignalQuality | null {
  const f = splitFields(params);
  const mode = f[0]?.value.toUpperCase();
  if (!mode) return null;
  if (mode === 'NOSERVICE') return { rssi: 99, ber: null };
  if (!['GSM', 'WCDMA', 'TD-SCDMA', 'LTE'].includes(mode)) return null;
  const v = intField(f[1]);
  if (v === null || v < 0 || v > 255) return null;
  if (v === 255) return { rssi: 99, ber: null };
  const dbm = -121 + Math.min(v, 96);
  return { rssi: Math.max(0, Math.min(31, Math.round((dbm + 113) / 2))), ber: null };
}

/** A pushed signal URC (`+CSQN`, `^RSSI`, `+QIND: "csq"`, `^HCSQ`); null for anything else. */
export function parseSignalUrc(line: string): SignalUrc | null {
  const t = line.trim();
  let q: SignalQuality | null = null;
  let source: string;
  let p: string | null;
  if ((p = paramsAfter(t, '+CSQN:')) !== null) {
    source = '+CSQN';
    q = pair(p);
  } else if ((p = paramsAfter(t, '^RSSI:')) !== null) {
    source = '^RSSI';
    q = pair(p);
  } else if ((p = paramsAfter(t, '^HCSQ:')) !== null) {
    source = '^HCSQ';
    q = parseHcsq(p);
  } else if ((p = paramsAfter(t, '+QIND:')) !== null) {
    const f = splitFields(p);
    if (f[0]?.value.toLowerCase() !== 'csq') return null;
    source = '+QIND csq';
    const rssi = rssiOf(f[1]);
    q = rssi === null ? null : { rssi, ber: berOf(f[2]) };
  } else {
    return null;
  }
  return q ? { kind: 'signal', rssi: q.rssi, ber: q.ber, source } : null;
}
