/**
 * The DS2652x serial port's frames, pure. After the R/W bit (1 = read) the
 * part takes its 14 address bits and its data least significant bit first,
 * then a burst bit (0: one register), so on an ordinary MSB-first SPI
 * controller the address and data are sent bit-reversed (Linux's
 * slic_ds26522 driver does the same for the dual part of this family).
 * Mode 0; one register per chip-select window.
 */

const rev8 = (b: number): number => {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
};

/** The two command bytes: R/W, A0..A13, burst = 0. */
function command(address: number, read: boolean): [number, number] {
  if (!Number.isInteger(address) || address < 0 || address > 0x3fff) throw new RangeError(`DS2652x register address out of range: ${address}`);
  // A0 goes first, right after R/W: reverse the 14 address bits into bits 14..1.
  let word = 0;
  for (let i = 0; i < 14; i++) word |= ((address >> i) & 1) << (14 - i);
  if (read) word |= 0x8000;
  return [(word >> 8) & 0xff, word & 0xff];
}

/** A read of `address`: three bytes in one window; the register comes back in the third (see {@link readValue}). */
export function readFrame(address: number): Uint8Array {
  const [a, b] = command(address, true);
  return Uint8Array.of(a, b, 0x00);
}

/** A write of `value` to `address`. */
export function writeFrame(address: number, value: number): Uint8Array {
  const [a, b] = command(address, false);
  return Uint8Array.of(a, b, rev8(value & 0xff));
}

/** The register value from the bytes clocked in during a {@link readFrame}. */
export function readValue(received: Uint8Array): number {
  return rev8(received[2] ?? 0);
}

/** For the simulator: the address, direction and written value a frame carries; null when it is not a DS2652x frame. */
export function parseFrame(tx: Uint8Array): { read: boolean; address: number; value: number } | null {
  if (tx.length !== 3 || (tx[1]! & 0x01) !== 0) return null;
  const word = (tx[0]! << 8) | tx[1]!;
  let address = 0;
  for (let i = 0; i < 14; i++) address |= ((word >> (14 - i)) & 1) << i;
  return { read: (word & 0x8000) !== 0, address, value: rev8(tx[2]!) };
}

export const reverseByte = rev8;
