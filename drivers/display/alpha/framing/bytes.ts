import { AlphaEncodeError } from '../errors.ts';

/**
 * Byte helpers for the Alpha protocol. The protocol is 7-bit ASCII on the
 * wire (7E1), so every text byte must be < 0x80; callers pass Latin text
 * already reduced to ASCII (ItemView.latin, English labels).
 */

/** `s` as bytes, one per character; throws for a character above 0x7F. */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new AlphaEncodeError('notAscii', `character U+${c.toString(16).padStart(4, '0')} cannot go to an Alpha sign (7-bit ASCII)`, { text: s, index: i });
    out[i] = c;
  }
  return out;
}

/** Upper-case hex of `n`, `width` digits (the protocol's sizes, addresses and checksums). */
export function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** Concatenate byte arrays and single bytes. */
export function concat(...parts: ReadonlyArray<Uint8Array | number>): Uint8Array {
  let len = 0;
  for (const p of parts) len += typeof p === 'number' ? 1 : p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    if (typeof p === 'number') out[at++] = p;
    else {
      out.set(p, at);
      at += p.length;
    }
  }
  return out;
}

/** Bytes as latin1 text (tests, logs, the simulator's memory view). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Bytes as upper-case hex without separators (trace logs, vectors). */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += hex(b, 2);
  return s;
}

/** A file label: one printable byte 0x20–0x7E, not the wildcard `?` (9708-8061 §5.1). */
export function labelByte(label: string): number {
  const c = label.length === 1 ? label.charCodeAt(0) : -1;
  if (c < 0x20 || c > 0x7e || label === '?') throw new AlphaEncodeError('label', `invalid Alpha file label ${JSON.stringify(label)}`, { label });
  return c;
}
