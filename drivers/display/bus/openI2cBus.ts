import { access, constants } from 'node:fs/promises';
import type { I2cBus } from './I2cBus.ts';
import { LedBusError, openFailure, writeFailure } from './LedBusError.ts';

/** The part of `i2c-bus` 5.x we use (README "Class PromisifiedBus"); the package ships no types. */
export interface I2cBusModule {
  openPromisified(busNumber: number): Promise<{
    i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number }>;
    close(): Promise<void>;
  }>;
}

export interface OpenI2cBusOptions {
  /**
   * Test seam: how the native package is loaded. Default: a dynamic
   * `import('i2c-bus')`, so a machine without the optional dependency (CI, a
   * laptop) still loads this module and only fails, with a coded error, when
   * a board actually opens the bus.
   */
  loadModule?: () => Promise<I2cBusModule>;
  /**
   * Test seam: checks the device node. i2c-bus opens /dev/i2c-N only at the
   * first write to an address, so without this a missing bus would look like
   * a failing module. Default: read/write access to the node.
   */
  checkNode?: (path: string) => Promise<void>;
}

async function importI2cBus(): Promise<I2cBusModule> {
  // CommonJS package: Node exposes `openPromisified` as a named export too.
  const mod = await import('i2c-bus');
  return { openPromisified: (n) => mod.openPromisified(n) };
}

/**
 * Open /dev/i2c-`busNumber` through the native `i2c-bus` package. Rejects with
 * `LED_BUS_DRIVER_MISSING` when the package is absent or its addon did not
 * build, `LED_BUS_OPEN_FAILED` when the bus node is missing or not permitted.
 */
export async function openI2cBus(busNumber: number, opts: OpenI2cBusOptions = {}): Promise<I2cBus> {
  const name = `i2c-${busNumber}`;
  let mod: I2cBusModule;
  try {
    mod = await (opts.loadModule ?? importI2cBus)();
  } catch (e) {
    throw openFailure(name, 'i2c-bus', e);
  }
  let native: Awaited<ReturnType<I2cBusModule['openPromisified']>>;
  try {
    await (opts.checkNode ?? ((p) => access(p, constants.R_OK | constants.W_OK)))(`/dev/i2c-${busNumber}`);
    native = await mod.openPromisified(busNumber);
  } catch (e) {
    throw openFailure(name, 'i2c-bus', e);
  }
  return new NativeI2cBus(name, native);
}

class NativeI2cBus implements I2cBus {
  private closed = false;

  constructor(
    readonly name: string,
    private readonly native: Awaited<ReturnType<I2cBusModule['openPromisified']>>,
  ) {}

  async i2cWrite(address: number, bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new LedBusError('LED_BUS_CLOSED', `${this.name}: write after close`, { device: this.name, address });
    const buf = Buffer.from(bytes);
    let written: number;
    try {
      written = (await this.native.i2cWrite(address, buf.length, buf)).bytesWritten;
    } catch (e) {
      throw writeFailure(this.name, e, { address });
    }
    // A short write is a failed transaction for a RAM image: report it as one.
    if (written !== buf.length) {
      throw new LedBusError('LED_BUS_WRITE_FAILED', `${this.name}: short write to 0x${address.toString(16)} (${written}/${buf.length})`, { device: this.name, address });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.native.close();
  }
}
