import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import { FakeI2cBus } from './FakeI2cBus.ts';
import { FakeSpiDevice } from './FakeSpiDevice.ts';
import { isBusGone, LedBusError, type LedBusErrorCode } from './LedBusError.ts';
import { openI2cBus, type I2cBusModule } from './openI2cBus.ts';
import { openSpiDevice, type SpiDeviceModule } from './openSpiDevice.ts';

async function busError(p: Promise<unknown>): Promise<LedBusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LedBusError) return e;
    throw e;
  }
  throw new Error('expected a LedBusError');
}

const errno = (code: string): Error => Object.assign(new Error(code), { code });

function fakeI2cModule(write: (address: number, buf: Buffer) => Promise<number>, open?: () => Promise<void>): I2cBusModule {
  return {
    openPromisified: async () => {
      await open?.();
      return { i2cWrite: async (a: number, _len: number, b: Buffer) => ({ bytesWritten: await write(a, b) }), close: async () => {} };
    },
  };
}

describe('openI2cBus (native i2c-bus behind the I2cBus interface)', () => {
  it('writes the bytes through to the package, one transaction each', async () => {
    const seen: string[] = [];
    const bus = await openI2cBus(1, { checkNode: async () => {}, loadModule: async () => fakeI2cModule(async (a, b) => (seen.push(`${a.toString(16)}:${b.toString('hex')}`), b.length)) });
    expect(bus.name).toBe('i2c-1');
    await bus.i2cWrite(0x70, Uint8Array.of(0x21));
    await bus.i2cWrite(0x71, Uint8Array.of(0x04, 0x02));
    expect(seen).toEqual(['70:21', '71:0402']);
    await bus.close();
    expect((await busError(bus.i2cWrite(0x70, Uint8Array.of(0x81)))).busCode).toBe<LedBusErrorCode>('LED_BUS_CLOSED');
  });

  it('names the bus and the package when the package is missing', async () => {
    const e = await busError(openI2cBus(1, { checkNode: async () => {}, loadModule: async () => Promise.reject(errno('ERR_MODULE_NOT_FOUND')) }));
    expect(e.busCode).toBe('LED_BUS_DRIVER_MISSING');
    expect(e.message).toContain('i2c-1');
    expect(e.context).toMatchObject({ device: 'i2c-1', package: 'i2c-bus' });
    expect(isCcgateError(e)).toBe(true);
  });

  it('maps a NACK to LED_BUS_WRITE_FAILED with the address, and a short write too', async () => {
    const nack = await openI2cBus(1, { checkNode: async () => {}, loadModule: async () => fakeI2cModule(async () => Promise.reject(errno('EREMOTEIO'))) });
    const e = await busError(nack.i2cWrite(0x72, Uint8Array.of(0x21)));
    expect([e.busCode, e.context.address, e.context.errno]).toEqual(['LED_BUS_WRITE_FAILED', 0x72, 'EREMOTEIO']);
    expect(e.message).toContain('not acknowledged');
    const short = await openI2cBus(1, { checkNode: async () => {}, loadModule: async () => fakeI2cModule(async () => 3) });
    expect((await busError(short.i2cWrite(0x70, new Uint8Array(17)))).message).toContain('short write');
  });

  it('with the installed package, a bus that does not exist is LED_BUS_OPEN_FAILED, not a crash', async () => {
    const e = await busError(openI2cBus(97));
    expect(['LED_BUS_OPEN_FAILED', 'LED_BUS_DRIVER_MISSING']).toContain(e.busCode);
    expect(e.message).toContain('i2c-97');
  });
});

describe('openSpiDevice (native spi-device behind the SpiDevice interface)', () => {
  it('opens in mode 0 at the configured speed and sends each window as one transfer', async () => {
    const calls: unknown[] = [];
    const mod: SpiDeviceModule = {
      open: (bus, device, options, cb) => {
        calls.push({ bus, device, options });
        setImmediate(() => cb(null));
        return {
          transfer: (msg, done) => (calls.push(msg.map((m) => [m.byteLength, m.sendBuffer.toString('hex'), m.speedHz])), done(null)),
          close: (done) => done(null),
        };
      },
    };
    const dev = await openSpiDevice({ bus: 0, device: 1, speedHz: 1_000_000 }, { loadModule: async () => mod });
    await dev.transfer(Uint8Array.of(0x0a, 0x03, 0x0a, 0x03));
    expect(calls).toEqual([{ bus: 0, device: 1, options: { mode: 0, maxSpeedHz: 1_000_000 } }, [[4, '0a030a03', 1_000_000]]]);
    expect(dev.name).toBe('spidev0.1');
  });

  it('with the installed package, a missing /dev/spidev is a coded error naming it', async () => {
    const e = await busError(openSpiDevice({ bus: 9, device: 9, speedHz: 1_000_000 }));
    expect(['LED_BUS_OPEN_FAILED', 'LED_BUS_DRIVER_MISSING']).toContain(e.busCode);
    expect(e.message).toContain('spidev9.9');
  });
});

describe('fakes enforce the bus contract', () => {
  it('FakeI2cBus rejects overlapping writes and use after close, and records NACKed writes as failed', async () => {
    const bus = new FakeI2cBus();
    const first = bus.i2cWrite(0x70, Uint8Array.of(0x21));
    expect((await busError(bus.i2cWrite(0x70, Uint8Array.of(0x81)))).busCode).toBe('LED_BUS_BUSY');
    await first;
    bus.setPresent(0x71, false);
    const e = await busError(bus.i2cWrite(0x71, Uint8Array.of(0x21)));
    expect(e.context.errno).toBe('EREMOTEIO');
    expect(bus.transactions.map((t) => [t.address, t.ok])).toEqual([[0x70, true], [0x71, false]]);
    await bus.close();
    expect((await busError(bus.i2cWrite(0x70, Uint8Array.of(0x21)))).busCode).toBe('LED_BUS_CLOSED');
    expect(bus.violations).toHaveLength(2);
  });

  it('FakeSpiDevice rejects overlapping transfers, and failures are coded', async () => {
    const spi = new FakeSpiDevice();
    const first = spi.transfer(Uint8Array.of(0x0c, 0x01));
    expect((await busError(spi.transfer(Uint8Array.of(0x0a, 0x01)))).busCode).toBe('LED_BUS_BUSY');
    await first;
    spi.failNext(1);
    expect((await busError(spi.transfer(Uint8Array.of(0x0a, 0x01)))).context.errno).toBe('EIO');
    expect(spi.hexTransfers()).toEqual(['0C01']);
  });

  it('isBusGone: a vanished adapter or a closed bus means reopen; a NACK does not', () => {
    expect(isBusGone(new LedBusError('LED_BUS_WRITE_FAILED', 'x', { errno: 'ENODEV' }))).toBe(true);
    expect(isBusGone(new LedBusError('LED_BUS_CLOSED', 'x'))).toBe(true);
    expect(isBusGone(new LedBusError('LED_BUS_WRITE_FAILED', 'x', { errno: 'EREMOTEIO' }))).toBe(false);
  });
});
