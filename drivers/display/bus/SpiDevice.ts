/**
 * One Linux SPI device node (/dev/spidevB.D), write-only as LED chains need:
 * each `transfer` is one chip-select window (CS low, bytes MSB first, CS high),
 * which on a MAX7219 chain is one latch. Contract, enforced by
 * {@link FakeSpiDevice}: one transfer at a time, no use after `close()`,
 * failures reject with a `LedBusError`.
 */
export interface SpiDevice {
  /** Human-readable name for logs and health ("spidev0.0"). */
  readonly name: string;
  /** Send `bytes` in one chip-select window. */
  transfer(bytes: Uint8Array): Promise<void>;
  /** Release the device; idempotent. */
  close(): Promise<void>;
}

export interface SpiOpenOptions {
  bus: number;
  device: number;
  /** Clock rate, Hz (MAX7219: at most 10 MHz, datasheet "Timing Characteristics"). */
  speedHz: number;
}

/** Opens an SPI device; rejects with a `LedBusError` (driver missing, or no /dev/spidevB.D). */
export type SpiDeviceOpener = (opts: SpiOpenOptions) => Promise<SpiDevice>;
