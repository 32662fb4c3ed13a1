import { fromSeptets, unpackSeptets } from './gsm7.ts';
import type { Alphabet } from './pduFields.ts';

/**
 * TP-User-Data with an optional user data header (3GPP TS 23.040 §9.2.3.24):
 * concatenation IEs 0x00 (8-bit reference) and 0x08 (16-bit reference).
 */

export interface Concat {
  /** Reference shared by all parts (8 or 16 bit). */
  ref: number;
  total: number;
  /** 1-based part number. */
  seq: number;
}

export interface DecodedUserData {
  text: string;
  concat?: Concat;
}

/** Parse a UDH (without its length octet) for a concatenation IE; other IEs are skipped. */
function concatOf(udh: Uint8Array): Concat | undefined {
  let i = 0;
  while (i + 1 < udh.length) {
    const iei = udh[i] ?? 0;
    const len = udh[i + 1] ?? 0;
    const v = udh.subarray(i + 2, i + 2 + len);
    if (v.length < len) return undefined;
    if (iei === 0x00 && len === 3) return { ref: v[0] ?? 0, total: v[1] ?? 0, seq: v[2] ?? 0 };
    if (iei === 0x08 && len === 4) return { ref: ((v[0] ?? 0) << 8) | (v[1] ?? 0), total: v[2] ?? 0, seq: v[3] ?? 0 };
    i += 2 + len;
  }
  return undefined;
}

/**
 * Decode user data. `udl` is septets for GSM 7-bit, octets otherwise. GSM:
 * the header occupies ceil((UDHL+1)·8/7) septets (incl. fill bits), which are
 * dropped after unpacking. UCS-2 is UTF-16BE (surrogate pairs combine); a
 * dangling odd octet is ignored. 8-bit data is returned as latin1 text.
 * Null when the UDH runs past the data.
 */
export function decodeUserData(ud: Uint8Array, udl: number, alphabet: Alphabet, hasUdh: boolean): DecodedUserData | null {
  let concat: Concat | undefined;
  let headerOctets = 0;
  if (hasUdh) {
    const udhl = ud[0];
    if (udhl === undefined || udhl + 1 > ud.length) return null;
    headerOctets = udhl + 1;
    concat = concatOf(ud.subarray(1, headerOctets));
  }
  let text: string;
  if (alphabet === 'gsm7') {
    const skip = Math.ceil((headerOctets * 8) / 7);
    text = fromSeptets(unpackSeptets(ud, udl).slice(skip));
  } else {
    const body = ud.subarray(headerOctets, Math.min(ud.length, udl));
    if (alphabet === 'ucs2') {
      text = '';
      for (let i = 0; i + 1 < body.length; i += 2) text += String.fromCharCode(((body[i] ?? 0) << 8) | (body[i + 1] ?? 0));
    } else {
      text = String.fromCharCode(...body);
    }
  }
  return concat ? { text, concat } : { text };
}
