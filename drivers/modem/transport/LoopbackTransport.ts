import { EventEmitter } from 'node:events';
import { CcgateError } from '../../../gateway/core/errors.ts';
import { latin1Decode, latin1Encode } from '../framing/latin1.ts';
import type { ByteTransport, ByteTransportEvents } from '../../serial/ByteTransport.ts';

/** Called with every host write; the test plays the modem (DCE) from here. */
export type HostWriteHandler = (bytes: Uint8Array, text: string) => void;

/**
 * In-process ByteTransport fake for unit tests of the session (STYLE.md rules
 * 29 and 33, after serialport's binding-mock). The test is the device:
 * `deviceWrite()` delivers bytes to the host asynchronously (one microtask
 * per call, like one OS read), `onHostWrite()` scripts replies, `written`
 * records every host write. It enforces the ByteTransport contract: a write
 * after close rejects with SERIAL_CLOSED, and overlapping writes (a second
 * write before the first resolved) are refused and recorded in `violations`.
 */
export class LoopbackTransport extends EventEmitter<ByteTransportEvents> implements ByteTransport {
  /** Every host write, in order, as written. */
  readonly written: Uint8Array[] = [];
  /** Contract violations by the code under test; a test should assert this is empty. */
  readonly violations: string[] = [];
  private open_: boolean;
  private writing = false;
  private readonly handlers: HostWriteHandler[] = [];
  private pendingWrites = new Set<(e: Error) => void>();

  constructor(opts: { open?: boolean } = {}) {
    super();
    this.open_ = opts.open ?? true;
  }

  get isOpen(): boolean {
    return this.open_;
  }

  /** The line speed the host set last (tests script a DCE that only understands one). */
  baudRate = 115200;

  async setBaudRate(baudRate: number): Promise<void> {
    this.baudRate = baudRate;
  }

  async open(): Promise<void> {
    this.open_ = true;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) return Promise.reject(new CcgateError('SERIAL_CLOSED', 'write to closed loopback port', { path: 'loopback' }));
    if (this.writing) {
      this.violations.push(`overlapping write: ${JSON.stringify(latin1Decode(bytes))}`);
      return Promise.reject(new CcgateError('SERIAL_CLOSED', 'overlapping write on loopback port (contract violation)', { path: 'loopback', violation: 'overlappingWrite' }));
    }
    const copy = bytes.slice();
    this.written.push(copy);
    this.writing = true;
    const done = new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        this.writing = false;
        reject(e);
      };
      this.pendingWrites.add(fail);
      // The bytes "drain" on the next microtask, before the device's reply (queued after this) arrives.
      queueMicrotask(() => {
        if (!this.pendingWrites.delete(fail)) return;
        this.writing = false;
        resolve();
      });
    });
    const text = latin1Decode(copy);
    for (const h of this.handlers) h(copy, text);
    return done;
  }

  async close(): Promise<void> {
    this.end(null);
  }

  /** The device sends bytes: delivered as one `data` chunk on a later microtask; dropped if the port is closed by then. */
  deviceWrite(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? latin1Encode(data) : data.slice();
    queueMicrotask(() => {
      if (this.open_) this.emit('data', bytes);
    });
  }

  /** Script the device: `fn` sees each host write (bytes and latin1 text). */
  onHostWrite(fn: HostWriteHandler): void {
    this.handlers.push(fn);
  }

  /** The device vanished (USB unplug, EIO): pending writes reject, `closed` fires with the error. */
  fail(error: Error = new Error('EIO: i/o error')): void {
    this.end(error);
  }

  /** All host writes as one latin1 string. */
  get writtenText(): string {
    return this.written.map((b) => latin1Decode(b)).join('');
  }

  private end(error: Error | null): void {
    if (!this.open_) return;
    this.open_ = false;
    const pending = [...this.pendingWrites];
    this.pendingWrites.clear();
    for (const f of pending) f(new CcgateError('SERIAL_CLOSED', 'loopback port closed during write', { path: 'loopback' }, { cause: error ?? undefined }));
    this.emit('closed', error);
  }
}
