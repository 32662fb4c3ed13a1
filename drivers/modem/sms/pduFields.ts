import { fromSeptets, unpackSeptets } from './gsm7.ts';

/**
 * Shared TPDU field codecs (3GPP TS 23.040 §9.1.2): hex, semi-octet
 * addresses (§9.1.2.5), the service-centre time stamp (§9.2.3.11) and the
 * data coding scheme (TS 23.038 §4). Decoders return null on bad input.
 */

export function hexToBytes(hex: string): Uint8Array | null {
  const h = hex.trim();
  if (h.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(h)) return null;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Iterable<number>): string {
  let s = '';
  for (const b of bytes) s += (b & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return s;
}

/** Semi-octet digits: 0-9, then * # a b c for 0xA–0xE (TS 23.040 §9.1.2.3). */
const SEMI = '0123456789*#abc';

/** Type of address: 0x91 international (`+`), 0x81 unknown/national numbering plan E.164. */
export const TOA_INTERNATIONAL = 0x91;
export const TOA_UNKNOWN = 0x81;

/** Encode a destination address: [digit count, TOA, swapped BCD…]. Null if it has characters that cannot be sent. */
export function encodeAddress(number: string): number[] | null {
  const international = number.startsWith('+');
  const digits = international ? number.slice(1) : number;
  if (digits.length === 0 || digits.length > 20 || !/^[0-9*#]+$/.test(digits)) return null;
  const out = [digits.length, international ? TOA_INTERNATIONAL : TOA_UNKNOWN];
  for (let i = 0; i < digits.length; i += 2) {
    const lo = SEMI.indexOf(digits[i] ?? 'F');
    const hiCh = digits[i + 1];
    const hi = hiCh === undefined ? 0xf : SEMI.indexOf(hiCh);
    out.push((hi << 4) | lo);
  }
  return out;
}

export interface DecodedAddress {
  /** As the network sent it: `+` prefix for TON international, letters for alphanumeric senders. */
  number: string;
  /** The TOA octet (0x91 international, 0x81 unknown, 0xD0 alphanumeric …). */
  type: number;
  /** Offset just past the address. */
  next: number;
}

/**
 * Decode an address at `at` whose first octet is the number of useful
 * semi-octets (TS 23.040 §9.1.2.5). TON 5 (alphanumeric, e.g. `Ufone`) holds
 * GSM 7-bit packed text.
 */
export function decodeAddress(b: Uint8Array, at: number): DecodedAddress | null {
  const len = b[at];
  const type = b[at + 1];
  if (len === undefined || type === undefined || len > 40) return null;
  const octets = Math.ceil(len / 2);
  const start = at + 2;
  if (start + octets > b.length) return null;
  const body = b.subarray(start, start + octets);
  let number: string;
  if (((type >> 4) & 0x7) === 5) {
    number = fromSeptets(unpackSeptets(body, Math.floor((len * 4) / 7)));
  } else {
    number = '';
    for (let i = 0; i < len; i++) {
      const byte = body[i >> 1] ?? 0;
      const nib = i % 2 === 0 ? byte & 0xf : byte >> 4;
      if (nib === 0xf) break;
      number += SEMI[nib] ?? '';
    }
    if (((type >> 4) & 0x7) === 1 && number !== '') number = `+${number}`;
  }
  return { number, type, next: start + octets };
}

/** The SMSC part at the head of a PDU: its address or null (length 0 = default SMSC). */
export function decodeSmscNumber(b: Uint8Array): string | null {
  const len = b[0] ?? 0;
  if (len === 0) return null;
  const type = b[1] ?? 0;
  let number = '';
  for (let i = 2; i <= len && i < b.length; i++) {
    const byte = b[i] ?? 0;
    for (const nib of [byte & 0xf, byte >> 4]) if (nib !== 0xf) number += SEMI[nib] ?? '';
  }
  return ((type >> 4) & 0x7) === 1 ? `+${number}` : number;
}

const swapped = (byte: number): number | null => {
  const lo = byte & 0xf;
  const hi = byte >> 4;
  return lo > 9 || hi > 9 ? null : lo * 10 + hi;
};

/**
 * Service-centre time stamp, 7 semi-octet pairs YY MM DD hh mm ss TZ; TZ in
 * quarter hours with its sign in bit 3 (TS 23.040 §9.2.3.11). Returned as ISO
 * 8601 with the sender's offset, e.g. `2012-07-12T22:41:59+02:00`. Years ≥ 90
 * are 19xx. Null on a non-BCD field or an impossible date.
 */
export function decodeTimestamp(b: Uint8Array, at: number): string | null {
  if (at + 7 > b.length) return null;
  const f: number[] = [];
  for (let i = 0; i < 6; i++) {
    const v = swapped(b[at + i] ?? 0xff);
    if (v === null) return null;
    f.push(v);
  }
  const [yy = 0, mo = 0, dd = 0, hh = 0, mi = 0, ss = 0] = f;
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) return null;
  const tzByte = b[at + 6] ?? 0;
  const quarters = (tzByte & 0x07) * 10 + (tzByte >> 4);
  if (tzByte >> 4 > 9) return null;
  const sign = tzByte & 0x08 ? '-' : '+';
  const offMin = quarters * 15;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  return `${year}-${p2(mo)}-${p2(dd)}T${p2(hh)}:${p2(mi)}:${p2(ss)}${sign}${p2(Math.floor(offMin / 60))}:${p2(offMin % 60)}`;
}

export type Alphabet = 'gsm7' | '8bit' | 'ucs2';

/** The alphabet a DCS selects (TS 23.038 §4); reserved groups read as GSM 7-bit, as the spec asks. */
export function alphabetOf(dcs: number): Alphabet {
  const group = dcs >> 4;
  if (group <= 0x7) {
    const a = (dcs >> 2) & 0x3;
    return a === 1 ? '8bit' : a === 2 ? 'ucs2' : 'gsm7';
  }
  if (group === 0xe) return 'ucs2';
  if (group === 0xf) return dcs & 0x04 ? '8bit' : 'gsm7';
  return 'gsm7';
}
