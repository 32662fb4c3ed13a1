/**
 * One Linux I2C bus (/dev/i2c-N), only as much of it as LED drivers need:
 * plain write transactions. Contract, enforced by {@link FakeI2cBus}:
 * - one transaction at a time: callers await each write before the next;
 * - no use after `close()`;
 * - a write rejects with a `LedBusError` (`LED_BUS_WRITE_FAILED` for a NACK,
 *   EREMOTEIO/ENXIO on Linux) and the bus stays usable for other addresses.
 */
export interface I2cBus {
  /** Human-readable name for logs and health ("i2c-1"). */
  readonly name: string;
  /** One write transaction: START, 7-bit `address` + W, `bytes`, STOP. */
  i2cWrite(address: number, bytes: Uint8Array): Promise<void>;
  /** Release the bus; idempotent. */
  close(): Promise<void>;
}

/** Opens an I2C bus by number; rejects with a `LedBusError` (driver missing, or no /dev/i2c-N). */
export type I2cBusOpener = (busNumber: number) => Promise<I2cBus>;
