import { labelByte } from '../framing/bytes.ts';
import { Ctl, type ColourCodeByte } from '../framing/codes.ts';

/**
 * In-message control codes (9708-8061 §6.1 control-code table), as byte
 * pairs to splice into TEXT or STRING data.
 */

/** Colour from here on: `0x1C <colour>` (Alpha 1.0 colours only; RGB needs 3.0). */
export function colour(c: ColourCodeByte): Uint8Array {
  return Uint8Array.of(Ctl.colour, c);
}

/** Character flash on/off: `0x07 '1'` / `0x07 '0'`. Inside a STRING it depends on firmware (Appendix D). */
export function flash(on: boolean): Uint8Array {
  return Uint8Array.of(Ctl.flash, on ? 0x31 : 0x30);
}

/** Show a STRING file here: `0x10 <label>`. */
export function callString(label: string): Uint8Array {
  return Uint8Array.of(Ctl.callString, labelByte(label));
}

/** Show a SMALL DOTS picture here: `0x14 <label>`. */
export function callDots(label: string): Uint8Array {
  return Uint8Array.of(Ctl.callDots, labelByte(label));
}

/** Character set: `0x1A <set>` ('1' 5-high, '3' 7-high, '6' 10-high, '9' full height …). */
export function charset(set: number): Uint8Array {
  return Uint8Array.of(Ctl.charset, set);
}
