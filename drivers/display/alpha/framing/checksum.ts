import { ETX, STX } from './codes.ts';
import { ascii, hex } from './bytes.ts';

/**
 * Alpha packet checksum (9708-8061 §5.1): the 16-bit unsigned sum of every
 * byte from STX through ETX inclusive, as 4 upper-case ASCII hex digits.
 * `body` is the command code and its data (what sits between STX and ETX).
 */
export function checksumOf(body: Uint8Array): number {
  let sum = STX + ETX;
  for (const b of body) sum += b;
  return sum & 0xffff;
}

/** The checksum as the 4 ASCII bytes sent after ETX. */
export function checksumBytes(body: Uint8Array): Uint8Array {
  return ascii(hex(checksumOf(body), 4));
}
