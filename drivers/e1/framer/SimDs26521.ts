import { COUNTER_REGISTERS, DS26521, RLS4, bitOf, type E1Condition, type E1Counters } from './ds26521.ts';
import { parseFrame, readFrame, readValue, reverseByte, writeFrame } from './ds2652xSpiFrame.ts';
import type { RegisterAccess } from './RegisterAccess.ts';

/**
 * A DS26521 at its serial port, for tests and the demo: registers in memory,
 * RLS1/RLS4 latched and write-one-to-clear, RRTS1 following the line, error
 * counters loaded once a simulated second (`tickSecond`) as the chip does.
 * It answers SPI frames (`spi`), so the frame encoder and both transports
 * are exercised as on the wire.
 */
export class SimDs26521 {
  private readonly regs = new Uint8Array(0x4000);
  private readonly pending: Record<keyof E1Counters, number> = { lineCodeViolations: 0, crc4Errors: 0, fasErrors: 0, farEndBlockErrors: 0, slips: 0 };
  /** Frames that were not DS2652x frames (a transport bug): kept for assertions. */
  readonly badFrames: string[] = [];

  /** `e1`: the board's firmware put the framer in E1 mode and enabled it. */
  constructor(mode: { e1: boolean } = { e1: true }) {
    this.regs[DS26521.RMMR] = mode.e1 ? 0x81 : 0x80;
  }

  /** The line shows (or stops showing) `c`: RRTS1 follows and RLS1 latches the change. */
  set(c: E1Condition, on: boolean): void {
    const bit = bitOf(c);
    const was = (this.regs[DS26521.RRTS1]! & bit) !== 0;
    if (was === on) return;
    this.regs[DS26521.RRTS1] = on ? this.regs[DS26521.RRTS1]! | bit : this.regs[DS26521.RRTS1]! & ~bit;
    this.regs[DS26521.RLS1] = this.regs[DS26521.RLS1]! | (on ? bit : bit << 4);
  }

  /** Errors seen on the line this second (loaded into the counters at the next tick). */
  addErrors(e: Partial<E1Counters>): void {
    for (const [k, v] of Object.entries(e) as Array<[keyof E1Counters, number]>) this.pending[k] += v;
    if (e.slips) this.regs[DS26521.RLS4] = this.regs[DS26521.RLS4]! | RLS4.RSLIP;
  }

  /** The chip's one-second timer: counters loaded, 1SEC latched. */
  tickSecond(): void {
    for (const [k, hi] of COUNTER_REGISTERS) {
      const n = Math.min(0xffff, this.pending[k]);
      this.regs[hi] = n >> 8;
      this.regs[hi + 1] = n & 0xff;
      this.pending[k] = 0;
    }
    this.pending.slips = 0;
    this.regs[DS26521.RLS4] = this.regs[DS26521.RLS4]! | RLS4.ONESEC;
  }

  peek(address: number): number {
    return this.regs[address]!;
  }

  /** One chip-select window: the bytes clocked out by the chip while `tx` went in. */
  spi(tx: Uint8Array): Uint8Array {
    const f = parseFrame(tx);
    if (!f) {
      this.badFrames.push(Buffer.from(tx).toString('hex'));
      return new Uint8Array(tx.length);
    }
    if (f.read) return Uint8Array.of(0, 0, reverseByte(this.regs[f.address]!));
    if (f.address === DS26521.RLS1 || f.address === DS26521.RLS4) this.regs[f.address] = this.regs[f.address]! & ~f.value;
    else this.regs[f.address] = f.value;
    return new Uint8Array(3);
  }

  /** Register access straight over `spi` (the demo's framer). */
  access(): RegisterAccess {
    return {
      name: 'sim-ds26521',
      read: (address) => Promise.resolve(readValue(this.spi(readFrame(address)))),
      write: (address, value) => Promise.resolve(void this.spi(writeFrame(address, value))),
      close: async () => {},
    };
  }
}
