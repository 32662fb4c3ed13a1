import { CcgateError } from '../../../gateway/core/errors.ts';
import type { RegisterAccess } from './RegisterAccess.ts';
import { readFrame, readValue, writeFrame } from './ds2652xSpiFrame.ts';
import { configureCommand, transferCommand } from './sc18is602.ts';

/** The part of `i2c-bus` 5.x used here (README "Class PromisifiedBus"). */
export interface I2cDuplexModule {
  openPromisified(busNumber: number): Promise<NativeI2c>;
}

export interface NativeI2c {
  i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number }>;
  i2cRead(address: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  close(): Promise<void>;
}

async function importI2cBus(): Promise<I2cDuplexModule> {
  const mod = (await import('i2c-bus')) as unknown as I2cDuplexModule;
  return { openPromisified: (n) => mod.openPromisified(n) };
}

/** Reads while the bridge is still clocking the SPI side are not acknowledged: tries before giving up. */
const READ_TRIES = 4;

/**
 * The framer behind an SC18IS602B on /dev/i2c-N, for boards that bring only
 * I2C to the header: each register access is an I2C write (the SPI frame,
 * run with the framer's slave select) and, for a read, an I2C read of the
 * three bytes clocked in.
 */
export async function openBridgeRegisters(
  opts: { bus: number; address: number; slaveSelect: number; speedHz: number },
  load: () => Promise<I2cDuplexModule> = importI2cBus,
): Promise<RegisterAccess> {
  const name = `i2c-${opts.bus} sc18is602@0x${opts.address.toString(16)} SS${opts.slaveSelect}`;
  const fail = (what: string, e: unknown): CcgateError =>
    new CcgateError('E1_FRAMER_ACCESS', `${name}: ${what}: ${e instanceof Error ? e.message : String(e)}`, { device: name }, { cause: e });
  let bus: NativeI2c;
  try {
    bus = await (await load()).openPromisified(opts.bus);
  } catch (e) {
    throw fail("cannot open the bus (is the optional package 'i2c-bus' installed and /dev/i2c-N there?)", e);
  }
  const write = async (bytes: Uint8Array): Promise<void> => {
    const buf = Buffer.from(bytes);
    const { bytesWritten } = await bus.i2cWrite(opts.address, buf.length, buf).catch((e: unknown) => {
      throw fail('write not acknowledged', e);
    });
    if (bytesWritten !== buf.length) throw fail('short write', `${bytesWritten}/${buf.length}`);
  };
  const readBack = async (length: number): Promise<Buffer> => {
    let last: unknown;
    for (let i = 0; i < READ_TRIES; i++) {
      try {
        const { bytesRead, buffer } = await bus.i2cRead(opts.address, length, Buffer.alloc(length));
        if (bytesRead === length) return buffer;
        last = `${bytesRead}/${length} bytes`;
      } catch (e) {
        last = e;
      }
    }
    throw fail('read back failed', last);
  };
  try {
    await write(configureCommand(opts.speedHz));
  } catch (e) {
    await bus.close().catch(() => {});
    throw e;
  }
  let closed = false;
  return {
    name,
    read: async (address) => {
      const frame = readFrame(address);
      await write(transferCommand(opts.slaveSelect, frame));
      return readValue(await readBack(frame.length));
    },
    write: (address, value) => write(transferCommand(opts.slaveSelect, writeFrame(address, value))),
    close: async () => {
      if (closed) return;
      closed = true;
      await bus.close();
    },
  };
}
