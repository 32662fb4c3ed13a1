import type { I2cBus, I2cBusOpener } from './I2cBus.ts';
import { LedBusError, writeFailure } from './LedBusError.ts';

/** One write transaction as the fake saw it. */
export interface I2cTransaction {
  address: number;
  bytes: Uint8Array;
  /** False when the fake failed it (NACK, injected fault). */
  ok: boolean;
}

/** A Linux-style errno error, as the native addon raises it. */
function errnoError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * An I2C bus in memory: records every transaction with its bytes, lets tests
 * inject faults (an address that NACKs, the next N writes failing, the bus
 * refusing to open) and enforces the {@link I2cBus} contract (no overlapping
 * writes, no use after close): a breach rejects with `LED_BUS_BUSY` /
 * `LED_BUS_CLOSED` and is kept in `violations`.
 */
export class FakeI2cBus implements I2cBus {
  readonly transactions: I2cTransaction[] = [];
  readonly violations: string[] = [];
  /** When set, `opener()` rejects as a missing /dev/i2c-N would. */
  openFails = false;
  private readonly absent = new Set<number>();
  private failures: Array<{ errno: string }> = [];
  private readonly listeners: Array<(address: number, bytes: Uint8Array) => void> = [];
  private inFlight = false;
  private closed = false;

  constructor(readonly name = 'i2c-fake') {}

  /** An opener for façades: resolves to this bus (reopened after a close) unless `openFails`. */
  opener(): I2cBusOpener {
    return async (busNumber: number) => {
      if (this.openFails) {
        throw new LedBusError('LED_BUS_OPEN_FAILED', `i2c-${busNumber}: cannot open (ENOENT)`, { device: `i2c-${busNumber}`, errno: 'ENOENT' });
      }
      this.closed = false;
      return this;
    };
  }

  /** Make `address` NACK every write (module unplugged) or answer again. */
  setPresent(address: number, present: boolean): void {
    if (present) this.absent.delete(address);
    else this.absent.add(address);
  }

  /** Fail the next `count` writes, whatever their address (EIO: a glitch on the wires). */
  failNext(count: number, errno = 'EIO'): void {
    for (let i = 0; i < count; i++) this.failures.push({ errno });
  }

  /** Called for each acknowledged write, in order (simulators decode them into chip state). */
  onWrite(listener: (address: number, bytes: Uint8Array) => void): void {
    this.listeners.push(listener);
  }

  /** Acknowledged writes to `address` as upper-case hex, for byte-exact assertions. */
  hexWrites(address?: number): string[] {
    return this.transactions
      .filter((t) => t.ok && (address === undefined || t.address === address))
      .map((t) => Buffer.from(t.bytes).toString('hex').toUpperCase());
  }

  clearLog(): void {
    this.transactions.length = 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async i2cWrite(address: number, bytes: Uint8Array): Promise<void> {
    if (this.closed) return this.breach('LED_BUS_CLOSED', `write to 0x${address.toString(16)} after close`);
    if (this.inFlight) return this.breach('LED_BUS_BUSY', `write to 0x${address.toString(16)} while another is in flight`);
    this.inFlight = true;
    const copy = Uint8Array.from(bytes);
    try {
      // One microtask of "bus time", so overlapping callers are caught.
      await Promise.resolve();
      const fault = this.failures.shift();
      if (fault) throw errnoError(fault.errno, 'Input/output error');
      if (this.absent.has(address)) throw errnoError('EREMOTEIO', 'Remote I/O error');
      this.transactions.push({ address, bytes: copy, ok: true });
      for (const l of this.listeners) l(address, copy);
    } catch (e) {
      this.transactions.push({ address, bytes: copy, ok: false });
      throw writeFailure(this.name, e, { address });
    } finally {
      this.inFlight = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private breach(code: 'LED_BUS_CLOSED' | 'LED_BUS_BUSY', what: string): never {
    this.violations.push(what);
    throw new LedBusError(code, `${this.name}: ${what}`, { device: this.name });
  }
}
