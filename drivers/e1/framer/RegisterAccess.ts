/**
 * The framer's registers, whatever carries them: SPI directly or I2C through
 * an SC18IS602 bridge. One access at a time (callers await each); a failure
 * rejects with a CcgateError `E1_FRAMER_ACCESS` and the next access may succeed.
 */
export interface RegisterAccess {
  /** For logs and status: "spidev0.1", "i2c-1 sc18is602@0x28 SS0". */
  readonly name: string;
  read(address: number): Promise<number>;
  write(address: number, value: number): Promise<void>;
  close(): Promise<void>;
}
