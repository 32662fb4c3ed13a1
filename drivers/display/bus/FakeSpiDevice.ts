import type { SpiDevice, SpiDeviceOpener, SpiOpenOptions } from './SpiDevice.ts';
import { LedBusError, writeFailure } from './LedBusError.ts';

/**
 * An SPI device in memory: records every chip-select window's bytes, can
 * refuse to open (no /dev/spidevB.D, SPI not enabled) or fail transfers, and
 * enforces the {@link SpiDevice} contract (no overlapping transfers, no use
 * after close; breaches reject and are kept in `violations`).
 */
export class FakeSpiDevice implements SpiDevice {
  readonly transfers: Uint8Array[] = [];
  readonly violations: string[] = [];
  /** When set, `opener()` rejects as a missing device node would. */
  openFails = false;
  /** Options of the last successful open. */
  openedWith: SpiOpenOptions | null = null;
  private failures = 0;
  private readonly listeners: Array<(bytes: Uint8Array) => void> = [];
  private inFlight = false;
  private closed = false;

  constructor(readonly name = 'spidev-fake') {}

  opener(): SpiDeviceOpener {
    return async (opts: SpiOpenOptions) => {
      const node = `spidev${opts.bus}.${opts.device}`;
      if (this.openFails) throw new LedBusError('LED_BUS_OPEN_FAILED', `${node}: cannot open (ENOENT)`, { device: node, errno: 'ENOENT' });
      this.closed = false;
      this.openedWith = opts;
      return this;
    };
  }

  /** Fail the next `count` transfers with EIO. */
  failNext(count: number): void {
    this.failures += count;
  }

  /** Called with each completed window's bytes (simulators shift them into the chain). */
  onTransfer(listener: (bytes: Uint8Array) => void): void {
    this.listeners.push(listener);
  }

  /** Completed windows as upper-case hex. */
  hexTransfers(): string[] {
    return this.transfers.map((t) => Buffer.from(t).toString('hex').toUpperCase());
  }

  clearLog(): void {
    this.transfers.length = 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async transfer(bytes: Uint8Array): Promise<void> {
    if (this.closed) return this.breach('LED_BUS_CLOSED', 'transfer after close');
    if (this.inFlight) return this.breach('LED_BUS_BUSY', 'transfer while another is in flight');
    this.inFlight = true;
    try {
      await Promise.resolve();
      if (this.failures > 0) {
        this.failures--;
        throw Object.assign(new Error('Input/output error'), { code: 'EIO' });
      }
      const copy = Uint8Array.from(bytes);
      this.transfers.push(copy);
      for (const l of this.listeners) l(copy);
    } catch (e) {
      throw writeFailure(this.name, e);
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
