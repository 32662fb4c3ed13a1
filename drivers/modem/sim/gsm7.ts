/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038
 * §6.2.1), with septet packing (§6.1.2.1.1). Just enough for the fake modem's
 * own PDUs; the host side has its own codec.
 */

// Index = septet value; '\u001b' at 0x1B is the escape to the extension table.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXT: Readonly<Record<number, string>> = { 0x0a: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2f: '\\', 0x3c: '[', 0x3d: '~', 0x3e: ']', 0x40: '|', 0x65: '€' };

/** Septets of `text`, or null when a character is not in the GSM alphabet (use UCS2 then). */
export function toSeptets(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    const i = BASIC.indexOf(ch);
    if (i >= 0 && i !== 0x1b) {
      out.push(i);
      continue;
    }
    const e = Object.entries(EXT).find(([, v]) => v === ch);
    if (!e) return null;
    out.push(0x1b, Number(e[0]));
  }
  return out;
}

/** Text of septets (escape sequences resolved; unknown extension → space, per 23.038). */
export function fromSeptets(septets: readonly number[]): string {
  let s = '';
  for (let i = 0; i < septets.length; i++) {
    const v = septets[i]!;
    if (v === 0x1b && i + 1 < septets.length) s += EXT[septets[++i]!] ?? ' ';
    else s += BASIC[v] ?? ' ';
  }
  return s;
}

/** Pack septets into octets, starting after `fillBits` padding bits (UDH alignment). */
export function packSeptets(septets: readonly number[], fillBits = 0): Uint8Array {
  const bits = fillBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(bits / 8));
  let pos = fillBits;
  for (const v of septets) {
    for (let b = 0; b < 7; b++, pos++) if ((v >> b) & 1) out[pos >> 3]! |= 1 << (pos & 7);
  }
  return out;
}

/** Unpack `count` septets from octets, skipping `fillBits` first. */
export function unpackSeptets(octets: Uint8Array, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  let pos = fillBits;
  for (let n = 0; n < count; n++) {
    let v = 0;
    for (let b = 0; b < 7; b++, pos++) if (((octets[pos >> 3] ?? 0) >> (pos & 7)) & 1) v |= 1 << b;
    out.push(v);
  }
  return out;
}
