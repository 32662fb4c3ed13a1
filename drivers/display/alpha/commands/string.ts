import { AlphaEncodeError } from '../errors.ts';
import { ascii, concat, labelByte } from '../framing/bytes.ts';
import { Cmd } from '../framing/codes.ts';

/** 9708-8061 §6.3: a STRING file holds at most 125 bytes. */
export const MAX_STRING_BYTES = 125;

/**
 * Write STRING file (command `G`, 9708-8061 §6.3): `G <label> <data>`. A
 * STRING is never shown on its own: a TEXT shows it where it has CALL STRING
 * `0x10 <label>`, and the sign substitutes a new value without restarting the
 * TEXT. `data` may hold colour (0x1C) and other codes Appendix D allows.
 */
export function writeString(label: string, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? ascii(data) : data;
  if (bytes.length > MAX_STRING_BYTES) {
    throw new AlphaEncodeError('stringTooLong', `STRING ${label} would hold ${bytes.length} bytes (at most ${MAX_STRING_BYTES})`, { label, length: bytes.length });
  }
  return concat(Cmd.writeString, labelByte(label), bytes);
}
