import { canEncodeGsm7, toSeptets } from './gsm7.ts';

/**
 * Text-mode helpers (`AT+CMGF=1`, 27.005 §3): with `AT+CSCS="UCS2"` numbers
 * and bodies travel as hex UTF-16BE (gsm-modems.md §6).
 */

/** UTF-16BE hex, upper case: `"Hi"` → `00480069`. */
export function encodeUcs2Hex(text: string): string {
  let s = '';
  for (let i = 0; i < text.length; i++) s += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return s;
}

/** Inverse of encodeUcs2Hex; null when not a whole number of 4-hex-digit units. */
export function decodeUcs2Hex(hex: string): string | null {
  const h = hex.trim();
  if (h.length % 4 !== 0 || !/^[0-9A-Fa-f]*$/.test(h)) return null;
  let s = '';
  for (let i = 0; i < h.length; i += 4) s += String.fromCharCode(Number.parseInt(h.slice(i, i + 4), 16));
  return s;
}

export interface SmsModeChoice {
  /** 'text' fits one part in text mode; 'pdu' for anything needing concatenation (a UDH). */
  mode: 'text' | 'pdu';
  /** gsm7: `AT+CSCS="GSM"`, DCS 0; ucs2: `AT+CSCS="UCS2"` / DCS 8. */
  encoding: 'gsm7' | 'ucs2';
  /** Parts the message needs (153/67 per part when concatenated); for GSM text an estimate, since encodeSubmit may start a part early to keep an escape pair whole. */
  parts: number;
}

/**
 * How to send `text`: GSM 7-bit when every character is in GSM 03.38
 * (160 septets single, 153 per part), else UCS-2 (70 single, 67 per part;
 * a surrogate pair counts two). Text mode cannot carry a UDH, so multi-part
 * messages need PDU mode.
 */
export function chooseSmsMode(text: string): SmsModeChoice {
  if (canEncodeGsm7(text)) {
    const n = toSeptets(text)?.length ?? 0;
    const parts = n <= 160 ? 1 : Math.ceil(n / 153);
    return { mode: parts === 1 ? 'text' : 'pdu', encoding: 'gsm7', parts };
  }
  const n = text.length;
  const parts = n <= 70 ? 1 : Math.ceil(n / 67);
  return { mode: parts === 1 ? 'text' : 'pdu', encoding: 'ucs2', parts };
}
