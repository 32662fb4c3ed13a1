import { fromSeptets, packSeptets, toSeptets, unpackSeptets } from './gsm7.ts';

/**
 * SMS TPDUs as the fake DCE needs them (3GPP TS 23.040 §9.2): it builds
 * SMS-DELIVER PDUs for received messages (AT+CMGR/AT+CMGL in PDU mode) and
 * reads the SMS-SUBMIT PDUs the host sends with AT+CMGS, to record number and
 * text for assertions.
 */

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const bcd = (digits: string): string => {
  const d = digits.length % 2 ? `${digits}F` : digits;
  let s = '';
  for (let i = 0; i < d.length; i += 2) s += d[i + 1]! + d[i]!;
  return s;
};
const unbcd = (h: string): string => {
  let s = '';
  for (let i = 0; i < h.length; i += 2) s += h[i + 1]! + h[i]!;
  return s.replace(/F$/i, '');
};

/** Address field (§9.1.2.5): length in digits, type 91 (international) or 81, BCD digits. */
export function encodeAddress(number: string): string {
  const digits = number.replace(/^\+/, '');
  const toa = number.startsWith('+') ? '91' : '81';
  return digits.length.toString(16).padStart(2, '0').toUpperCase() + toa + bcd(digits);
}

/** The SMSC part in front of a PDU (length in octets incl. type), '00' for none. */
export function encodeSmsc(number: string | null): string {
  if (!number) return '00';
  const digits = number.replace(/^\+/, '');
  const body = (number.startsWith('+') ? '91' : '81') + bcd(digits);
  return (body.length / 2).toString(16).padStart(2, '0').toUpperCase() + body;
}

/** 23.040 §9.2.3.11 service-centre time stamp: semi-octets YYMMDDhhmmss + zone (UTC here). */
function scts(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return bcd(p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes()) + p(d.getUTCSeconds()) + '00');
}

/**
 * An SMS-DELIVER PDU with the SMSC in front: GSM 7-bit when every character
 * is in the default alphabet, else UCS2 (DCS 0x08). `tpduLength` is what
 * +CMGR's `<length>` reports (octets without the SMSC part, 27.005 §3.1).
 */
export function buildDeliverPdu(m: { smsc: string | null; from: string; text: string; at: number }): { hex: string; tpduLength: number } {
  const septets = toSeptets(m.text);
  let dcs: string;
  let udl: number;
  let ud: string;
  if (septets && septets.length <= 160) {
    dcs = '00';
    udl = septets.length;
    ud = hex(packSeptets(septets));
  } else {
    dcs = '08';
    const b = Buffer.from(m.text, 'utf16le').swap16();
    udl = b.length;
    ud = hex(b);
  }
  // First octet 04: SMS-DELIVER, no more messages to send (TP-MMS); PID 00.
  const tpdu = '04' + encodeAddress(m.from) + '00' + dcs + scts(m.at) + udl.toString(16).padStart(2, '0').toUpperCase() + ud;
  return { hex: encodeSmsc(m.smsc) + tpdu, tpduLength: tpdu.length / 2 };
}

/**
 * An SMS-STATUS-REPORT PDU with the SMSC in front (TS 23.040 §9.2.2.3): first
 * octet 06 (MTI 10, no more messages), TP-MR, the recipient, the SC time
 * stamp, the discharge time and TP-ST (0 = delivered).
 */
export function buildStatusReportPdu(r: { smsc: string | null; mr: number; to: string; submittedAt: number; dischargedAt: number; status: number }): { hex: string; tpduLength: number } {
  const byte = (n: number) => (n & 0xff).toString(16).padStart(2, '0').toUpperCase();
  const tpdu = '06' + byte(r.mr) + encodeAddress(r.to) + scts(r.submittedAt) + scts(r.dischargedAt) + byte(r.status);
  return { hex: encodeSmsc(r.smsc) + tpdu, tpduLength: tpdu.length / 2 };
}

/** Whether an SMS-SUBMIT PDU (SMSC part first) asks for a status report (TP-SRR, bit 5 of the first octet). */
export function submitWantsReport(pduHex: string): boolean {
  const smscLen = Number.parseInt(pduHex.slice(0, 2), 16);
  const fo = Number.parseInt(pduHex.slice(2 + smscLen * 2, 4 + smscLen * 2), 16);
  return Number.isInteger(fo) && (fo & 0x03) === 0x01 && (fo & 0x20) !== 0;
}

export interface SubmitPdu {
  smsc: string | null;
  number: string;
  text: string;
  dcs: number;
  /** Concatenation info from a UDH (IEI 00), if present. */
  part?: { ref: number; total: number; seq: number };
}

/** Parse an SMS-SUBMIT PDU with its SMSC part (as sent after AT+CMGS=<n>); null when malformed. */
export function parseSubmitPdu(pduHex: string): SubmitPdu | null {
  try {
    const b = Buffer.from(pduHex.trim(), 'hex');
    let i = 0;
    const smscLen = b[i++]!;
    const smsc = smscLen > 0 ? (b[i] === 0x91 ? '+' : '') + unbcd(b.subarray(i + 1, i + smscLen).toString('hex').toUpperCase()) : null;
    i += smscLen;
    const fo = b[i++]!;
    if ((fo & 0x03) !== 0x01) return null; // not SMS-SUBMIT
    i++; // TP-MR
    const digits = b[i++]!;
    const toa = b[i++]!;
    const addrOctets = Math.ceil(digits / 2);
    const number = ((toa & 0x70) === 0x10 ? '+' : '') + unbcd(b.subarray(i, i + addrOctets).toString('hex').toUpperCase());
    i += addrOctets;
    i++; // TP-PID
    const dcs = b[i++]!;
    const vpf = (fo >> 3) & 0x03;
    i += vpf === 2 ? 1 : vpf === 0 ? 0 : 7;
    const udl = b[i++]!;
    const ud = b.subarray(i);
    const udhi = (fo & 0x40) !== 0;
    const udhLen = udhi ? ud[0]! + 1 : 0;
    let part: SubmitPdu['part'];
    if (udhi && ud[1] === 0x00) part = { ref: ud[3]!, total: ud[4]!, seq: ud[5]! };
    let text: string;
    if ((dcs & 0x0c) === 0x08) text = Buffer.from(ud.subarray(udhLen, udl)).swap16().toString('utf16le');
    else if ((dcs & 0x0c) === 0x04) text = ud.subarray(udhLen, udl).toString('latin1');
    else {
      const fill = udhi ? (7 - ((udhLen * 8) % 7)) % 7 : 0;
      const skip = udhi ? Math.ceil((udhLen * 8) / 7) : 0;
      text = fromSeptets(unpackSeptets(ud.subarray(udhLen), udl - skip, fill));
    }
    return { smsc, number, text, dcs, ...(part ? { part } : {}) };
  } catch {
    return null;
  }
}
