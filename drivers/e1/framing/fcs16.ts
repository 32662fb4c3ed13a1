/**
 * FCS-16 of RFC 1662 (HDLC-like framing, appendix C.2), the CRC-16/X.25:
 * reflected polynomial 0x8408 (x^16 + x^12 + x^5 + 1), initial value 0xFFFF,
 * the ones-complement sent least significant octet first. Check value for
 * ASCII "123456789": 0x906E. A receiver running it over data and the
 * received FCS gets the "good FCS" residue 0xF0B8.
 */

export const FCS16_INIT = 0xffff;
export const FCS16_GOOD = 0xf0b8;

const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    let v = b;
    for (let i = 0; i < 8; i++) v = v & 1 ? (v >>> 1) ^ 0x8408 : v >>> 1;
    t[b] = v;
  }
  return t;
})();

/** Run the FCS over `bytes` from `fcs` (default the initial value); returns the register, not yet complemented. */
export function fcs16Update(bytes: Uint8Array, fcs: number = FCS16_INIT, from = 0, to = bytes.length): number {
  let f = fcs;
  for (let i = from; i < to; i++) f = (f >>> 8) ^ TABLE[(f ^ bytes[i]!) & 0xff]!;
  return f;
}

/** The FCS to transmit for `bytes`: the complemented register (send `& 0xff` first, then `>> 8`). */
export function fcs16(bytes: Uint8Array): number {
  return ~fcs16Update(bytes) & 0xffff;
}
