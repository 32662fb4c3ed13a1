/**
 * The SC18IS602B I2C-to-SPI bridge's commands, pure (NXP data sheet §7):
 * an I2C write whose first byte is a function ID. IDs 0x01–0x0F run one SPI
 * transfer of the bytes that follow with the slave selects whose bits are set
 * (bit n = SSn) and keep the bytes clocked in, which a plain I2C read of the
 * same length returns; 0xF0 configures the SPI port; 0xF1 clears the
 * interrupt raised when a transfer completes. While a transfer is on the SPI
 * side the bridge does not acknowledge its address, so the read is retried.
 */

export const SC18IS602 = { CONFIGURE: 0xf0, CLEAR_INTERRUPT: 0xf1, BUFFER_BYTES: 200 } as const;

/** SPI clock rates the bridge offers (7.3728 MHz crystal), fastest first, with their F1:F0 codes. */
const RATES: ReadonlyArray<[hz: number, code: number]> = [
  [1_843_000, 0b00],
  [461_000, 0b01],
  [115_000, 0b10],
  [58_000, 0b11],
];

/** The configure command: MSB first (ORDER = 0), SPI mode 0, the fastest rate not above `speedHz`. */
export function configureCommand(speedHz: number): Uint8Array {
  const code = (RATES.find(([hz]) => hz <= speedHz) ?? RATES[RATES.length - 1]!)[1];
  return Uint8Array.of(SC18IS602.CONFIGURE, code);
}

/** One SPI transfer of `bytes` with slave select `ss` (0–3). */
export function transferCommand(ss: number, bytes: Uint8Array): Uint8Array {
  if (!Number.isInteger(ss) || ss < 0 || ss > 3) throw new RangeError(`SC18IS602 slave select out of range: ${ss}`);
  if (bytes.length > SC18IS602.BUFFER_BYTES) throw new RangeError(`SC18IS602 transfers at most ${SC18IS602.BUFFER_BYTES} bytes`);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = 1 << ss;
  out.set(bytes, 1);
  return out;
}
