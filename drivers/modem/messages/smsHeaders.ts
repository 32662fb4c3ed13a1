import { intField, paramsAfter, splitFields, strField, type Field } from './fields.ts';

/**
 * Header lines of `AT+CMGR` / `AT+CMGL` answers, 3GPP TS 27.005 §3.4.2–§3.4.3
 * (PDU-mode syntax §4.1, §4.2): the PDU (or text) body is the next line, which the session
 * collects via AtCommand.bodyLines.
 *
 *   PDU:  +CMGR: <stat>,[<alpha>],<length>       +CMGL: <index>,<stat>,[<alpha>],<length>
 *   text: +CMGR: <stat>,<oa>,[<alpha>],<scts>…   +CMGL: <index>,<stat>,<oa/da>,[<alpha>],[<scts>]…
 *
 * Seen in the wild (multi-vendor-sms.json): `+CMGR: ,,27` (no stat, ZTE),
 * `+CMGR: 0,23` (no alpha field), `+CMGR: 24` (length only), `+CMGR: 4,1,,151`
 * (an extra leading field), `+CMGL: 17,3,35` (no alpha field) and the header
 * and PDU on one line separated by a blank (ModemManager test-modem-helpers.c).
 */

/** <stat> in PDU mode: 0 received unread, 1 received read, 2 stored unsent, 3 stored sent (27.005 §3.1). */
export const PDU_STAT_TEXT: readonly string[] = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'];

export type SmsHeader =
  | {
      mode: 'pdu';
      /** Storage index (only +CMGL; null for +CMGR). */
      index: number | null;
      stat: number | null;
      alpha: string | null;
      /** TPDU length in octets, excluding the SMSC part. */
      length: number;
      /** Set when the PDU came on the header line itself. */
      pdu?: string;
    }
  | {
      mode: 'text';
      index: number | null;
      stat: string;
      address: string | null;
      alpha: string | null;
      timestamp: string | null;
    };

function lengthAndPdu(f: Field | undefined): { length: number; pdu?: string } | null {
  if (!f || f.quoted) return null;
  const n = intField(f);
  if (n !== null) return n >= 0 ? { length: n } : null;
  const m = /^(\d+)\s+((?:[0-9A-Fa-f]{2})+)$/.exec(f.value);
  return m ? { length: Number(m[1]), pdu: (m[2] ?? '').toUpperCase() } : null;
}

/** PDU-mode fields after any index: `[<stat>],[<alpha>],<length>` with the oddities above. */
function pduHeader(f: readonly Field[], index: number | null): SmsHeader | null {
  const lp = lengthAndPdu(f[f.length - 1]);
  if (!lp) return null;
  const n = f.length;
  const statField = n >= 3 ? f[n - 3] : n === 2 ? f[0] : undefined;
  const stat = intField(statField);
  if (stat !== null && (stat < 0 || stat > 4)) return null;
  const header: SmsHeader = { mode: 'pdu', index, stat, alpha: n >= 3 ? strField(f[n - 2]) : null, length: lp.length };
  if (lp.pdu !== undefined) header.pdu = lp.pdu;
  return header;
}

/** Parse a `+CMGR:` header line; null if malformed. */
export function parseCmgrHeader(line: string): SmsHeader | null {
  const p = paramsAfter(line.trim(), '+CMGR:');
  if (p === null || p === '') return null;
  const f = splitFields(p);
  if (f[0]?.quoted) {
    return { mode: 'text', index: null, stat: f[0].value, address: strField(f[1]), alpha: strField(f[2]), timestamp: strField(f[3]) };
  }
  return pduHeader(f, null);
}

/** Parse a `+CMGL:` entry header; null if malformed. */
export function parseCmglHeader(line: string): SmsHeader | null {
  const p = paramsAfter(line.trim(), '+CMGL:');
  if (p === null || p === '') return null;
  const f = splitFields(p);
  const index = intField(f[0]);
  if (index === null || index < 0) return null;
  if (f[1]?.quoted) {
    return { mode: 'text', index, stat: f[1].value, address: strField(f[2]), alpha: strField(f[3]), timestamp: strField(f[4]) };
  }
  return pduHeader(f.slice(1), index);
}
