import { alphabetOf, decodeAddress, decodeSmscNumber, decodeTimestamp, hexToBytes, type Alphabet } from './pduFields.ts';
import { decodeUserData, type Concat } from './userData.ts';

/**
 * SMS-DELIVER and SMS-STATUS-REPORT decoding (3GPP TS 23.040 §9.2.2.1,
 * §9.2.2.3) from the hex PDU a modem gives in `+CMGR`/`+CMGL`/`+CMT`/`+CDS`
 * (SMSC part first, 27.005 §3.1). Never throws: malformed input gives null.
 *
 * Wrong SMSC length (ZTE captures in python-gsmmodem, gsm-modems.md §6) and
 * wrong declared lengths are both tolerated: see startCandidates.
 */

export interface DeliveredSms {
  /** Service centre address, or null for none/default. */
  smsc: string | null;
  /** Originator as sent (`+27…`, national digits, or an alphanumeric sender such as `Ufone`). */
  from: string;
  /** Originator type-of-address octet (0x91 international, 0x81 unknown, 0xD0 alphanumeric …). */
  fromType: number;
  /** Service-centre time stamp, ISO 8601 with the sender's offset; null if garbled. */
  timestamp: string | null;
  text: string;
  concat?: Concat;
  dcs: number;
  pid: number;
  alphabet: Alphabet;
}

export interface StatusReport {
  smsc: string | null;
  /** TP-MR of the submitted message this reports on. */
  reference: number;
  recipient: string;
  recipientType: number;
  /** When the SC received the message. */
  submittedAt: string | null;
  /** When it was delivered (or the attempt failed). */
  dischargedAt: string | null;
  /** TP-ST (TS 23.040 §9.2.3.15): 0x00–0x1F completed (0 = delivered), 0x20–0x3F still trying, ≥ 0x40 failed. */
  status: number;
  delivered: boolean;
}

/**
 * Where the TPDU may start: after the SMSC part its first octet declares, at
 * `total − tpduLength` when the caller knows the length, or at 0 (no SMSC part
 * at all). Each is tried; a parse that ends exactly at the end of the PDU wins,
 * else the first that parses. Real captures are wrong both ways: ZTE SMSC
 * octets (python-gsmmodem) and a wrong `+CMGR` length (Gammu at-sms/09.dump
 * says 23 for a 28-octet TPDU).
 */
function startCandidates(b: Uint8Array, tpduLength?: number): number[] {
  const out: number[] = [];
  const add = (s: number): void => {
    if (s >= 0 && s < b.length && !out.includes(s)) out.push(s);
  };
  add((b[0] ?? 0) + 1);
  if (tpduLength !== undefined && tpduLength > 0) add(b.length - tpduLength);
  add(0);
  return out;
}

function pick<T>(b: Uint8Array, tpduLength: number | undefined, at: (start: number) => { value: T; end: number } | null): T | null {
  let fallback: T | null = null;
  for (const [i, start] of startCandidates(b, tpduLength).entries()) {
    const r = at(start);
    if (!r) continue;
    if (r.end === b.length) return r.value;
    // Only the declared SMSC length may win without an exact fit; the guesses must fit.
    if (i === 0) fallback = r.value;
  }
  return fallback;
}

function deliverAt(b: Uint8Array, start: number): { value: DeliveredSms; end: number } | null {
  const fo = b[start];
  if (fo === undefined || (fo & 0x03) !== 0x00) return null;
  const oa = decodeAddress(b, start + 1);
  if (!oa) return null;
  let i = oa.next;
  const pid = b[i++];
  const dcs = b[i++];
  if (pid === undefined || dcs === undefined) return null;
  const timestamp = decodeTimestamp(b, i);
  i += 7;
  const udl = b[i++];
  if (udl === undefined || i > b.length) return null;
  const alphabet = alphabetOf(dcs);
  const ud = decodeUserData(b.subarray(i), udl, alphabet, (fo & 0x40) !== 0);
  if (!ud) return null;
  const udOctets = alphabet === 'gsm7' ? Math.ceil((udl * 7) / 8) : udl;
  const value: DeliveredSms = {
    smsc: start > 0 ? decodeSmscNumber(b.subarray(0, start)) : null,
    from: oa.number,
    fromType: oa.type,
    timestamp,
    text: ud.text,
    dcs,
    pid,
    alphabet,
  };
  if (ud.concat) value.concat = ud.concat;
  return { value, end: i + udOctets };
}

/** Decode an SMS-DELIVER PDU (hex, SMSC part first). `tpduLength`: the `<length>` from `+CMGR`/`+CMT`, if known. */
export function decodeDeliver(hexPdu: string, tpduLength?: number): DeliveredSms | null {
  const b = hexToBytes(hexPdu);
  if (!b || b.length < 2) return null;
  return pick(b, tpduLength, (start) => deliverAt(b, start));
}

function reportAt(b: Uint8Array, start: number): { value: StatusReport; end: number } | null {
  const fo = b[start];
  const reference = b[start + 1];
  if (fo === undefined || (fo & 0x03) !== 0x02 || reference === undefined) return null;
  const ra = decodeAddress(b, start + 2);
  if (!ra) return null;
  const status = b[ra.next + 14];
  if (status === undefined) return null;
  const value: StatusReport = {
    smsc: start > 0 ? decodeSmscNumber(b.subarray(0, start)) : null,
    reference,
    recipient: ra.number,
    recipientType: ra.type,
    submittedAt: decodeTimestamp(b, ra.next),
    dischargedAt: decodeTimestamp(b, ra.next + 7),
    status,
    delivered: status === 0x00,
  };
  // Optional TP-PI/PID/DCS/UDL may follow TP-ST (TS 23.040 §9.2.2.3); a bare report ends at ST.
  return { value, end: ra.next + 15 };
}

/** Decode an SMS-STATUS-REPORT PDU (hex, SMSC part first); null if malformed or another type. */
export function decodeStatusReport(hexPdu: string, tpduLength?: number): StatusReport | null {
  const b = hexToBytes(hexPdu);
  if (!b || b.length < 2) return null;
  return pick(b, tpduLength, (start) => reportAt(b, start));
}
