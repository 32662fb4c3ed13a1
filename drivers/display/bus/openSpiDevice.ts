import type { SpiDevice, SpiOpenOptions } from './SpiDevice.ts';
import { LedBusError, openFailure, writeFailure } from './LedBusError.ts';

interface NativeSpi {
  transfer(message: Array<{ byteLength: number; sendBuffer: Buffer; speedHz: number }>, cb: (err: Error | null | undefined) => void): unknown;
  close(cb: (err: Error | null | undefined) => void): void;
}

/** The part of `spi-device` 3.x we use (its spi-device.d.ts). */
export interface SpiDeviceModule {
  open(bus: number, device: number, options: { mode: 0; maxSpeedHz: number }, cb: (err: Error | null | undefined) => void): NativeSpi;
}

export interface OpenSpiDeviceOptions {
  /** Test seam: how the native package is loaded (default: dynamic `import('spi-device')`, see openI2cBus). */
  loadModule?: () => Promise<SpiDeviceModule>;
}

async function importSpiDevice(): Promise<SpiDeviceModule> {
  const mod = (await import('spi-device')) as unknown as { default?: SpiDeviceModule } & Partial<SpiDeviceModule>;
  return (mod.default ?? mod) as SpiDeviceModule;
}

/**
 * Open /dev/spidev`bus`.`device` in SPI mode 0 (MAX7219 samples DIN on the
 * rising clock edge, datasheet Fig. 1) through the native `spi-device`
 * package. Rejects with `LED_BUS_DRIVER_MISSING` or `LED_BUS_OPEN_FAILED`.
 */
export async function openSpiDevice(opts: SpiOpenOptions, load: OpenSpiDeviceOptions = {}): Promise<SpiDevice> {
  const name = `spidev${opts.bus}.${opts.device}`;
  let mod: SpiDeviceModule;
  try {
    mod = await (load.loadModule ?? importSpiDevice)();
  } catch (e) {
    throw openFailure(name, 'spi-device', e);
  }
  const native = await new Promise<NativeSpi>((resolve, reject) => {
    let dev: NativeSpi | undefined;
    try {
      dev = mod.open(opts.bus, opts.device, { mode: 0, maxSpeedHz: opts.speedHz }, (err) => {
        if (err) reject(openFailure(name, 'spi-device', err));
        else if (dev) resolve(dev);
      });
    } catch (e) {
      reject(openFailure(name, 'spi-device', e));
    }
  });
  return new NativeSpiDevice(name, native, opts.speedHz);
}

class NativeSpiDevice implements SpiDevice {
  private closed = false;

  constructor(
    readonly name: string,
    private readonly native: NativeSpi,
    private readonly speedHz: number,
  ) {}

  async transfer(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new LedBusError('LED_BUS_CLOSED', `${this.name}: transfer after close`, { device: this.name });
    const sendBuffer = Buffer.from(bytes);
    await new Promise<void>((resolve, reject) => {
      this.native.transfer([{ byteLength: sendBuffer.length, sendBuffer, speedHz: this.speedHz }], (err) =>
        err ? reject(writeFailure(this.name, err)) : resolve(),
      );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.native.close(() => resolve()));
  }
}
