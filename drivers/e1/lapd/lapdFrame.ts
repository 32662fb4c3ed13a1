/**
 * LAPD frames (ITU-T Q.921 §3, e1-pri §2): a 2-octet address (SAPI, C/R,
 * TEI) and a control field of modulo-128 operation: I-frames and S-frames
 * take 2 octets, U-frames 1. Pure encode/decode; decoding never throws.
 */

export type UType = 'SABME' | 'DM' | 'UI' | 'DISC' | 'UA' | 'FRMR' | 'XID';
export type SType = 'RR' | 'RNR' | 'REJ';

export interface LapdAddress {
  sapi: number;
  /** The C/R bit as on the wire (its meaning depends on who sent it: see {@link isCommand}). */
  cr: 0 | 1;
  tei: number;
}

export type LapdFrame = LapdAddress &
  (
    | { format: 'I'; ns: number; nr: number; p: boolean; info: Uint8Array }
    | { format: 'S'; type: SType; nr: number; pf: boolean }
    | { format: 'U'; type: UType; pf: boolean; info: Uint8Array }
  );

export type LapdDecodeResult = { ok: true; frame: LapdFrame } | { ok: false; error: string };

/** U-frame control octets with P/F = 0; P/F is bit 0x10. */
const U_CODES: Readonly<Record<UType, number>> = { SABME: 0x6f, DM: 0x0f, UI: 0x03, DISC: 0x43, UA: 0x63, FRMR: 0x87, XID: 0xaf };
const U_BY_CODE = new Map<number, UType>(Object.entries(U_CODES).map(([k, v]) => [v, k as UType]));
const S_CODES: Readonly<Record<SType, number>> = { RR: 0x01, RNR: 0x05, REJ: 0x09 };
const S_BY_CODE = new Map<number, SType>(Object.entries(S_CODES).map(([k, v]) => [v, k as SType]));

/**
 * Q.921 §3.3.2: the user side sends commands with C/R = 0 and responses with
 * C/R = 1; the network side the other way round.
 */
export function isCommand(cr: 0 | 1, sentBy: 'user' | 'network'): boolean {
  return sentBy === 'user' ? cr === 0 : cr === 1;
}

/** The C/R bit for a frame sent by `side`. */
export function crFor(side: 'user' | 'network', command: boolean): 0 | 1 {
  return (side === 'user') === command ? 0 : 1;
}

export function encodeLapd(f: LapdFrame): Uint8Array {
  if (f.sapi < 0 || f.sapi > 63 || f.tei < 0 || f.tei > 127) throw new RangeError(`SAPI ${f.sapi} / TEI ${f.tei} out of range`);
  const a0 = (f.sapi << 2) | (f.cr << 1);
  const a1 = (f.tei << 1) | 1;
  switch (f.format) {
    case 'I':
      return Uint8Array.from([a0, a1, (f.ns & 0x7f) << 1, ((f.nr & 0x7f) << 1) | (f.p ? 1 : 0), ...f.info]);
    case 'S':
      return Uint8Array.from([a0, a1, S_CODES[f.type], ((f.nr & 0x7f) << 1) | (f.pf ? 1 : 0)]);
    case 'U':
      return Uint8Array.from([a0, a1, U_CODES[f.type] | (f.pf ? 0x10 : 0), ...f.info]);
  }
}

export function decodeLapd(b: Uint8Array): LapdDecodeResult {
  if (b.length < 3) return { ok: false, error: `a LAPD frame needs at least 3 octets, got ${b.length}` };
  const a0 = b[0]!;
  const a1 = b[1]!;
  // EA bits: 0 on the first address octet, 1 on the second (Q.921 §3.3.1).
  if ((a0 & 1) !== 0 || (a1 & 1) !== 1) return { ok: false, error: 'address extension bits wrong (not a 2-octet LAPD address)' };
  const addr: LapdAddress = { sapi: a0 >> 2, cr: ((a0 >> 1) & 1) as 0 | 1, tei: a1 >> 1 };
  const c0 = b[2]!;
  if ((c0 & 1) === 0) {
    if (b.length < 4) return { ok: false, error: 'I-frame without its second control octet' };
    return { ok: true, frame: { ...addr, format: 'I', ns: c0 >> 1, nr: b[3]! >> 1, p: (b[3]! & 1) === 1, info: b.slice(4) } };
  }
  if ((c0 & 3) === 1) {
    const type = S_BY_CODE.get(c0);
    if (!type) return { ok: false, error: `unknown S-frame control 0x${c0.toString(16)}` };
    if (b.length !== 4) return { ok: false, error: `S-frame of ${b.length} octets (4 expected)` };
    return { ok: true, frame: { ...addr, format: 'S', type, nr: b[3]! >> 1, pf: (b[3]! & 1) === 1 } };
  }
  const type = U_BY_CODE.get(c0 & ~0x10);
  if (!type) return { ok: false, error: `unknown U-frame control 0x${c0.toString(16)}` };
  return { ok: true, frame: { ...addr, format: 'U', type, pf: (c0 & 0x10) !== 0, info: b.slice(3) } };
}
