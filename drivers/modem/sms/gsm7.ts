/**
 * GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1,
 * §6.2.1.1) and septet packing (TS 23.038 §6.1.2.1.1, TS 23.040 §9.2.3.24:
 * after a user data header, fill bits align the first septet). Pure; no I/O.
 */

/** Default alphabet, index = septet value. 0x1B is the escape to the extension table. */
const DEFAULT =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table (after 0x1B): septet → character. */
const EXTENSION: Readonly<Record<number, string>> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

export const ESC = 0x1b;

const DEFAULT_INDEX = new Map<string, number>();
for (let i = 0; i < DEFAULT.length; i++) {
  const ch = DEFAULT[i];
  if (ch !== undefined && i !== ESC) DEFAULT_INDEX.set(ch, i);
}
const EXTENSION_INDEX = new Map<string, number>(Object.entries(EXTENSION).map(([k, v]) => [v, Number(k)]));

/** True when every character of `text` is in the default alphabet or the extension table. */
export function canEncodeGsm7(text: string): boolean {
  for (const ch of text) if (!DEFAULT_INDEX.has(ch) && !EXTENSION_INDEX.has(ch)) return false;
  return true;
}

/**
 * Septet values for `text` (extension characters take two: ESC + code), or
 * null if a character is not representable.
 */
export function toSeptets(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    const d = DEFAULT_INDEX.get(ch);
    if (d !== undefined) {
      out.push(d);
      continue;
    }
    const e = EXTENSION_INDEX.get(ch);
    if (e === undefined) return null;
    out.push(ESC, e);
  }
  return out;
}

/** Septets per character of `text` in order (1 or 2), for splitting without breaking an escape pair. */
export function septetCost(ch: string): 1 | 2 {
  return EXTENSION_INDEX.has(ch) ? 2 : 1;
}

/**
 * Text for septet values. An escape followed by a code the extension table
 * lacks shows the default-table character (TS 23.038 §6.2.1.1 note); a
 * trailing lone escape is dropped.
 */
export function fromSeptets(septets: readonly number[]): string {
  let s = '';
  for (let i = 0; i < septets.length; i++) {
    const v = (septets[i] ?? 0) & 0x7f;
    if (v === ESC) {
      const next = septets[i + 1];
      if (next === undefined) break;
      i++;
      s += EXTENSION[next & 0x7f] ?? DEFAULT[next & 0x7f] ?? '';
    } else {
      s += DEFAULT[v] ?? '';
    }
  }
  return s;
}

/**
 * Pack septets LSB first into octets, starting `fillBits` (0–6) bits into the
 * first octet (the fill after a UDH, TS 23.040 §9.2.3.24).
 */
export function packSeptets(septets: readonly number[], fillBits = 0): Uint8Array {
  const out = new Uint8Array(Math.ceil((fillBits + septets.length * 7) / 8));
  septets.forEach((raw, i) => {
    const s = raw & 0x7f;
    const bit = fillBits + i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte] = (out[byte] ?? 0) | ((s << shift) & 0xff);
    if (shift > 1) out[byte + 1] = (out[byte + 1] ?? 0) | (s >> (8 - shift));
  });
  return out;
}

/** Unpack `count` septets, skipping `fillBits` first; stops early (fewer septets) if the octets run out. */
export function unpackSeptets(octets: Uint8Array, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const bit = fillBits + i * 7;
    const byte = bit >> 3;
    if (byte >= octets.length) break;
    const shift = bit & 7;
    let v = (octets[byte] ?? 0) >> shift;
    if (shift > 1) {
      if (byte + 1 >= octets.length && bit + 7 > octets.length * 8) break;
      v |= (octets[byte + 1] ?? 0) << (8 - shift);
    }
    out.push(v & 0x7f);
  }
  return out;
}
