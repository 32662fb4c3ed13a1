import { fcs16 } from './fcs16.ts';

/** Opens and closes every frame on the async link (RFC 1662 §4.1). */
export const FLAG = 0x7e;
/** Control escape: the next octet is XOR 0x20 (RFC 1662 §4.2). */
export const ESCAPE = 0x7d;

export interface HdlcEncodeOptions {
  /**
   * Also escape control characters below 0x20 (an ACCM of all ones), for a
   * link whose UART or driver eats XON/XOFF. Default: only 0x7E and 0x7D,
   * which every receiver must unescape either way.
   */
  escapeControls?: boolean;
}

/**
 * One LAPD frame (address + control + information) as it goes on the serial
 * link: flag, the frame and its FCS-16 (least significant octet first), each
 * octet escaped as needed, closing flag. Pure.
 */
export function hdlcEncode(frame: Uint8Array, opts: HdlcEncodeOptions = {}): Uint8Array {
  const fcs = fcs16(frame);
  const body = new Uint8Array(frame.length + 2);
  body.set(frame);
  body[frame.length] = fcs & 0xff;
  body[frame.length + 1] = fcs >>> 8;
  const out: number[] = [FLAG];
  for (const b of body) {
    if (b === FLAG || b === ESCAPE || (opts.escapeControls === true && b < 0x20)) out.push(ESCAPE, b ^ 0x20);
    else out.push(b);
  }
  out.push(FLAG);
  return Uint8Array.from(out);
}
