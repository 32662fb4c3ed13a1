/**
 * The DS2652x serial frames byte for byte (the vectors follow Linux's
 * slic_ds26522 encoding: bitrev16(address) >> 1 after the R/W bit, data
 * bit-reversed), the SC18IS602 commands, and register access through both
 * transports' module boundaries (`spi-device` and `i2c-bus` as their native
 * modules present themselves) to a simulated DS26521.
 */
import { describe, expect, it } from 'vitest';
import { DS26521 } from './ds26521.ts';
import { parseFrame, readFrame, readValue, writeFrame } from './ds2652xSpiFrame.ts';
import { configureCommand, transferCommand } from './sc18is602.ts';
import { SimDs26521 } from './SimDs26521.ts';
import { openSpiRegisters, type SpiDuplexModule } from './SpiRegisterAccess.ts';
import { openBridgeRegisters, type I2cDuplexModule } from './BridgeRegisterAccess.ts';
import { SimSc18is602 } from './SimSc18is602.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DS2652x SPI frames', () => {
  it.each([
    [DS26521.RRTS1, '868000'],
    [DS26521.RLS1, '848000'],
    [DS26521.RMMR, '808000'],
    [DS26521.PCVCR1, 'a50000'],
    [0x1000, '800400'],
  ])('reads register 0x%s as %s', (address, bytes) => {
    expect(hex(readFrame(address))).toBe(bytes);
    expect(parseFrame(readFrame(address))).toEqual({ read: true, address, value: 0 });
  });

  it('writes with the data least significant bit first', () => {
    expect(hex(writeFrame(DS26521.RLS1, 0x0f))).toBe('0480f0');
    expect(hex(writeFrame(DS26521.PCVCR1, 0x01))).toBe('250080');
    expect(parseFrame(writeFrame(0x1000, 0xa1))).toEqual({ read: false, address: 0x1000, value: 0xa1 });
    expect(readValue(Uint8Array.of(0, 0, 0x80))).toBe(0x01);
  });

  it('refuses addresses the port cannot carry', () => {
    expect(() => readFrame(0x4000)).toThrow(RangeError);
    expect(() => readFrame(-1)).toThrow(RangeError);
    expect(parseFrame(Uint8Array.of(0x86, 0x81, 0))).toBeNull();
  });
});

describe('SC18IS602 commands', () => {
  it('configures MSB first, mode 0, the fastest rate not above the asked one', () => {
    expect(hex(configureCommand(1_843_000))).toBe('f000');
    expect(hex(configureCommand(1_000_000))).toBe('f001');
    expect(hex(configureCommand(461_000))).toBe('f001');
    expect(hex(configureCommand(200_000))).toBe('f002');
    expect(hex(configureCommand(58_000))).toBe('f003');
  });

  it('runs a transfer on the slave select named by its function id', () => {
    expect(hex(transferCommand(0, Uint8Array.of(0x86, 0x80, 0)))).toBe('01868000');
    expect(hex(transferCommand(3, Uint8Array.of(1)))).toBe('0801');
    expect(() => transferCommand(4, Uint8Array.of(1))).toThrow(RangeError);
  });
});

/** `spi-device` as its native module: one full-duplex message per transfer, into the chip. */
function spiModule(chip: SimDs26521, faults: { next: number }): SpiDuplexModule & { speeds: number[] } {
  const speeds: number[] = [];
  return {
    speeds,
    open: (_bus, _dev, options, cb) => {
      queueMicrotask(() => cb(null));
      return {
        transfer: (message, done) => {
          const m = message[0]!;
          speeds.push(m.speedHz);
          if (faults.next > 0) {
            faults.next--;
            return queueMicrotask(() => done(Object.assign(new Error('EIO: i/o error, transfer'), { code: 'EIO' })));
          }
          expect(options.maxSpeedHz).toBe(m.speedHz);
          Buffer.from(chip.spi(m.sendBuffer)).copy(m.receiveBuffer);
          queueMicrotask(() => done(null, message));
        },
        close: (done) => queueMicrotask(() => done(null)),
      };
    },
  };
}

describe('register access', () => {
  it('reads and clears the latched status over spi-device', async () => {
    const chip = new SimDs26521();
    const faults = { next: 0 };
    const mod = spiModule(chip, faults);
    const regs = await openSpiRegisters({ bus: 0, device: 1, speedHz: 1_000_000 }, () => Promise.resolve(mod));
    expect(regs.name).toBe('spidev0.1');
    chip.set('los', true);
    expect(await regs.read(DS26521.RRTS1)).toBe(0x02);
    expect(await regs.read(DS26521.RLS1)).toBe(0x02);
    await regs.write(DS26521.RLS1, 0x02);
    expect(chip.peek(DS26521.RLS1)).toBe(0);
    faults.next = 1;
    await expect(regs.read(DS26521.RRTS1)).rejects.toMatchObject({ code: 'E1_FRAMER_ACCESS', message: expect.stringContaining('spidev0.1: transfer failed: EIO') });
    expect(await regs.read(DS26521.RRTS1)).toBe(0x02);
    expect(chip.badFrames).toEqual([]);
    await regs.close();
  });

  it('names the missing package when spi-device is not installed', async () => {
    const err = await openSpiRegisters({ bus: 0, device: 0, speedHz: 1_000_000 }, () => Promise.reject(new Error("Cannot find package 'spi-device'"))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E1_FRAMER_ACCESS', message: expect.stringContaining("'spi-device' is not installed") });
  });

  it('reaches the framer through an SC18IS602 on i2c-bus, retrying a read the busy bridge does not acknowledge', async () => {
    const chip = new SimDs26521();
    const bridge = new SimSc18is602(0x2a, [null, chip]);
    const mod: I2cDuplexModule = { openPromisified: () => Promise.resolve(bridge.native()) };
    const regs = await openBridgeRegisters({ bus: 1, address: 0x2a, slaveSelect: 1, speedHz: 461_000 }, () => Promise.resolve(mod));
    expect(regs.name).toBe('i2c-1 sc18is602@0x2a SS1');
    expect(bridge.config).toEqual({ msbFirst: true, mode: 0, rateCode: 1 });
    chip.set('ais', true);
    bridge.busyReads = 2;
    expect(await regs.read(DS26521.RRTS1)).toBe(0x04);
    await regs.write(DS26521.RLS1, 0xff);
    expect(chip.peek(DS26521.RLS1)).toBe(0);
    // The bridge's own log: configure, then function id 0x02 (SS1) with the SPI frame.
    expect(bridge.writes.map(hex)).toEqual(['f001', '02868000', '020480ff']);
    bridge.busyReads = 10;
    await expect(regs.read(DS26521.RRTS1)).rejects.toMatchObject({ code: 'E1_FRAMER_ACCESS', message: expect.stringContaining('read back failed') });
    bridge.present = false;
    await expect(regs.read(DS26521.RRTS1)).rejects.toMatchObject({ code: 'E1_FRAMER_ACCESS', message: expect.stringContaining('write not acknowledged') });
    await regs.close();
  });
});
