import { SC18IS602 } from './sc18is602.ts';
import type { NativeI2c } from './BridgeRegisterAccess.ts';

/** What sits on one of the bridge's slave selects: anything answering SPI windows. */
export interface SpiSlave {
  spi(tx: Uint8Array): Uint8Array;
}

const nack = (): Error => Object.assign(new Error('EREMOTEIO: remote I/O error, write'), { code: 'EREMOTEIO' });

/**
 * An SC18IS602B on a simulated I2C bus, presented as `i2c-bus`'s promisified
 * bus: function-id writes run SPI windows on the slaves wired to SS0–SS3,
 * reads return the bytes clocked in. `busyReads` makes that many reads NACK
 * (the bridge still clocking the SPI side); `present = false` NACKs everything.
 */
export class SimSc18is602 {
  readonly writes: Uint8Array[] = [];
  config: { msbFirst: boolean; mode: number; rateCode: number } | null = null;
  busyReads = 0;
  present = true;
  private buffer: Uint8Array = new Uint8Array(0);

  constructor(
    readonly address: number,
    private readonly slaves: ReadonlyArray<SpiSlave | null>,
  ) {}

  native(): NativeI2c {
    return {
      i2cWrite: (address, length, buffer) => {
        if (address !== this.address || !this.present) return Promise.reject(nack());
        const bytes = Uint8Array.from(buffer.subarray(0, length));
        this.writes.push(bytes);
        this.command(bytes);
        return Promise.resolve({ bytesWritten: length });
      },
      i2cRead: (address, length, buffer) => {
        if (address !== this.address || !this.present) return Promise.reject(nack());
        if (this.busyReads > 0) {
          this.busyReads--;
          return Promise.reject(nack());
        }
        Buffer.from(this.buffer.subarray(0, length)).copy(buffer);
        return Promise.resolve({ bytesRead: length, buffer });
      },
      close: () => Promise.resolve(),
    };
  }

  private command(bytes: Uint8Array): void {
    const id = bytes[0]!;
    if (id === SC18IS602.CONFIGURE) {
      const c = bytes[1] ?? 0;
      this.config = { msbFirst: (c & 0x20) === 0, mode: (c >> 2) & 3, rateCode: c & 3 };
      return;
    }
    if (id >= 0x01 && id <= 0x0f) {
      const data = bytes.subarray(1);
      // Only one slave answers; with none selected the MISO line floats (reads as zero).
      const slave = this.slaves.find((_, i) => (id & (1 << i)) !== 0);
      this.buffer = slave ? slave.spi(data) : new Uint8Array(data.length);
    }
  }
}
