import { CcgateError } from '../../../gateway/core/errors.ts';
import type { RegisterAccess } from './RegisterAccess.ts';
import { readFrame, readValue, writeFrame } from './ds2652xSpiFrame.ts';

/** The part of `spi-device` 3.x used here: full-duplex transfers (its spi-device.d.ts). */
export interface SpiDuplexModule {
  open(bus: number, device: number, options: { mode: 0; maxSpeedHz: number }, cb: (err: Error | null | undefined) => void): NativeDuplexSpi;
}

export interface NativeDuplexSpi {
  transfer(message: Array<{ byteLength: number; sendBuffer: Buffer; receiveBuffer: Buffer; speedHz: number }>, cb: (err: Error | null | undefined, message?: unknown) => void): unknown;
  close(cb: (err: Error | null | undefined) => void): void;
}

async function importSpiDevice(): Promise<SpiDuplexModule> {
  const mod = (await import('spi-device')) as unknown as { default?: SpiDuplexModule } & Partial<SpiDuplexModule>;
  return (mod.default ?? mod) as SpiDuplexModule;
}

const failure = (name: string, what: string, e: unknown): CcgateError =>
  new CcgateError('E1_FRAMER_ACCESS', `${name}: ${what}: ${e instanceof Error ? e.message : String(e)}`, { device: name }, { cause: e });

/** The framer on /dev/spidevB.D through the native `spi-device` package (optional dependency). */
export async function openSpiRegisters(
  opts: { bus: number; device: number; speedHz: number },
  load: () => Promise<SpiDuplexModule> = importSpiDevice,
): Promise<RegisterAccess> {
  const name = `spidev${opts.bus}.${opts.device}`;
  let mod: SpiDuplexModule;
  try {
    mod = await load();
  } catch (e) {
    throw failure(name, "the optional package 'spi-device' is not installed or did not build", e);
  }
  const native = await new Promise<NativeDuplexSpi>((resolve, reject) => {
    let dev: NativeDuplexSpi | undefined;
    try {
      dev = mod.open(opts.bus, opts.device, { mode: 0, maxSpeedHz: opts.speedHz }, (err) => {
        if (err) reject(failure(name, 'cannot open', err));
        else if (dev) resolve(dev);
      });
    } catch (e) {
      reject(failure(name, 'cannot open', e));
    }
  });
  const transfer = (tx: Uint8Array): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const sendBuffer = Buffer.from(tx);
      const receiveBuffer = Buffer.alloc(tx.length);
      native.transfer([{ byteLength: tx.length, sendBuffer, receiveBuffer, speedHz: opts.speedHz }], (err) =>
        err ? reject(failure(name, 'transfer failed', err)) : resolve(receiveBuffer),
      );
    });
  let closed = false;
  return {
    name,
    read: async (address) => readValue(await transfer(readFrame(address))),
    write: async (address, value) => void (await transfer(writeFrame(address, value))),
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => native.close(() => resolve()));
    },
  };
}
