import { CcgateError } from '../../../gateway/core/errors.ts';
import { canEncodeGsm7, packSeptets, septetCost, toSeptets } from './gsm7.ts';
import { alphabetOf, bytesToHex, decodeAddress, encodeAddress, hexToBytes, type Alphabet } from './pduFields.ts';
import { decodeUserData, type Concat } from './userData.ts';

/**
 * SMS-SUBMIT encoding (3GPP TS 23.040 §9.2.2.2) for `AT+CMGF=0` /
 * `AT+CMGS=<tpduLength>` (27.005 §4.3; gsm-modems.md §6): GSM 7-bit when every
 * character fits (160 septets, 153 per part), else UCS-2 (DCS 0x08; 70 code
 * units, 67 per part), concatenated with UDH `05 00 03 <ref> <total> <seq>`
 * (§9.2.3.24.1). The leading `00` selects the SMSC stored in the modem.
 */

export interface SubmitOptions {
  /** Destination: `+<digits>` (TOA 0x91) or national digits (TOA 0x81). */
  to: string;
  text: string;
  /** Ask for a status report (TP-SRR). */
  requestStatusReport?: boolean;
  /** Relative validity in minutes (TP-VP, rounded up to the next value the format can express); omitted = network default. */
  validityMinutes?: number;
  /**
   * Concatenation reference (0–255) shared by the parts. Pass a per-destination
   * counter; without it a hash of destination and text is used.
   */
  reference?: number;
}

export interface SubmitPart {
  /** Hex PDU including the leading `00` (default SMSC). */
  pdu: string;
  /** TPDU octets excluding the SMSC part: the `<length>` of `AT+CMGS`. */
  tpduLength: number;
}

const GSM7_SINGLE = 160;
const GSM7_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

/** TS 23.040 §9.2.3.12.1 relative validity period: smallest VP covering `minutes` (5 min … 63 weeks). */
export function encodeRelativeValidity(minutes: number): number {
  const m = Math.max(5, Math.ceil(minutes));
  if (m <= 720) return Math.ceil(m / 5) - 1; // 0–143: (VP+1)·5 min
  if (m <= 1440) return 143 + Math.ceil((m - 720) / 30); // 144–167: 12 h + (VP−143)·30 min
  const days = Math.ceil(m / 1440);
  if (days <= 30) return 166 + days; // 168–196: (VP−166) days
  return Math.min(255, 192 + Math.ceil(days / 7)); // 197–255: (VP−192) weeks
}

/** Split GSM text into chunks of ≤ `max` septets without cutting an escape pair. */
function splitGsm(text: string, max: number): string[] {
  const parts: string[] = [];
  let cur = '';
  let used = 0;
  for (const ch of text) {
    const cost = septetCost(ch);
    if (used + cost > max) {
      parts.push(cur);
      cur = '';
      used = 0;
    }
    cur += ch;
    used += cost;
  }
  parts.push(cur);
  return parts;
}

/** Split into chunks of ≤ `max` UTF-16 code units, never between the halves of a surrogate pair. */
function splitUcs2(text: string, max: number): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur.length + ch.length > max) {
      parts.push(cur);
      cur = '';
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}

function ucs2Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out.push(u >> 8, u & 0xff);
  }
  return out;
}

function defaultReference(to: string, text: string): number {
  let h = 0;
  for (const ch of to + text) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h & 0xff;
}

/** Encode `text` to `to` as one or more SMS-SUBMIT PDUs. Throws CcgateError SMS_INVALID on bad input. */
export function encodeSubmit(opts: SubmitOptions): SubmitPart[] {
  const da = encodeAddress(opts.to);
  if (!da) throw new CcgateError('SMS_INVALID', `invalid SMS destination ${JSON.stringify(opts.to)}`, { to: opts.to });
  const ref = opts.reference ?? defaultReference(opts.to, opts.text);
  if (!Number.isInteger(ref) || ref < 0 || ref > 255) throw new CcgateError('SMS_INVALID', 'concatenation reference must be 0-255', { reference: ref });
  if (opts.validityMinutes !== undefined && !(opts.validityMinutes > 0)) {
    throw new CcgateError('SMS_INVALID', 'validityMinutes must be positive', { validityMinutes: opts.validityMinutes });
  }

  const gsm = canEncodeGsm7(opts.text);
  const single = gsm ? (toSeptets(opts.text)?.length ?? 0) <= GSM7_SINGLE : opts.text.length <= UCS2_SINGLE;
  const chunks = single ? [opts.text] : gsm ? splitGsm(opts.text, GSM7_PART) : splitUcs2(opts.text, UCS2_PART);
  if (chunks.length > 255) throw new CcgateError('SMS_INVALID', `message too long (${chunks.length} parts)`, { parts: chunks.length });

  return chunks.map((chunk, i) => {
    const udh = single ? [] : [0x05, 0x00, 0x03, ref, chunks.length, i + 1];
    // First octet: MTI=01 SUBMIT, VPF=10 relative if a validity is given, SRR, UDHI (TS 23.040 §9.2.2.2).
    let fo = 0x01;
    if (opts.validityMinutes !== undefined) fo |= 0x10;
    if (opts.requestStatusReport) fo |= 0x20;
    if (!single) fo |= 0x40;
    const tpdu: number[] = [fo, 0x00 /* TP-MR: the modem assigns it */, ...da, 0x00 /* PID */, gsm ? 0x00 : 0x08];
    if (opts.validityMinutes !== undefined) tpdu.push(encodeRelativeValidity(opts.validityMinutes));
    if (gsm) {
      const septets = toSeptets(chunk) ?? [];
      const headerSeptets = Math.ceil((udh.length * 8) / 7);
      const fill = headerSeptets * 7 - udh.length * 8;
      tpdu.push(headerSeptets + septets.length, ...udh, ...packSeptets(septets, fill));
    } else {
      const body = ucs2Bytes(chunk);
      tpdu.push(udh.length + body.length, ...udh, ...body);
    }
    return { pdu: `00${bytesToHex(tpdu)}`, tpduLength: tpdu.length };
  });
}

export interface DecodedSubmit {
  to: string;
  toType: number;
  text: string;
  dcs: number;
  alphabet: Alphabet;
  statusReportRequested: boolean;
  /** Raw TP-VP octet when relative, else null. */
  validity: number | null;
  reference: number;
  concat?: Concat;
}

/**
 * Decode an SMS-SUBMIT PDU (hex, SMSC part first): used to check encodeSubmit
 * and for stored sent messages (`+CMGR: 3,…`). Relative or absent VP only.
 */
export function decodeSubmit(hexPdu: string): DecodedSubmit | null {
  const b = hexToBytes(hexPdu);
  if (!b || b.length < 2) return null;
  const start = (b[0] ?? 0) + 1;
  const fo = b[start];
  const mr = b[start + 1];
  if (fo === undefined || mr === undefined || (fo & 0x03) !== 0x01) return null;
  const da = decodeAddress(b, start + 2);
  if (!da) return null;
  let i = da.next + 1; // skip PID
  const dcs = b[i++];
  if (dcs === undefined) return null;
  const vpf = (fo >> 3) & 0x3;
  let validity: number | null = null;
  if (vpf === 2) validity = b[i++] ?? null;
  else if (vpf !== 0) i += 7; // enhanced / absolute: 7 octets, not decoded
  const udl = b[i++];
  if (udl === undefined) return null;
  const alphabet = alphabetOf(dcs);
  const ud = decodeUserData(b.subarray(i), udl, alphabet, (fo & 0x40) !== 0);
  if (!ud) return null;
  const out: DecodedSubmit = {
    to: da.number,
    toType: da.type,
    text: ud.text,
    dcs,
    alphabet,
    statusReportRequested: (fo & 0x20) !== 0,
    validity,
    reference: mr,
  };
  if (ud.concat) out.concat = ud.concat;
  return out;
}
