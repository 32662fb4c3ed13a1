import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { ByteTransport, ByteTransportEvents } from './ByteTransport.ts';

export interface SerialTransportOptions {
  /** Device path; `/dev/serial/by-id/…` links are re-resolved by the OS on every open, so a re-enumerated USB modem is found again. */
  path: string;
  /** 115200 is the default of SIM7600, EC2x and Huawei; SIM800 autobauds from 9600 up. */
  baudRate?: number;
  /** RTS/CTS hardware flow control (UART modems wired with it). */
  rtscts?: boolean;
}

/**
 * ByteTransport over the `serialport` binding: a real UART/USB tty, or one end
 * of a PTY pair in tests. It only moves bytes: reopening after a USB modem
 * vanished is the recovery ladder's decision, not this class's.
 */
export class SerialTransport extends EventEmitter<ByteTransportEvents> implements ByteTransport {
  private port: SerialPort | null = null;
  private closing = false;
  private rate: number | null = null;

  constructor(private readonly opts: SerialTransportOptions) {
    super();
  }

  get path(): string {
    return this.opts.path;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    this.closing = false;
    const port = new SerialPort({ path: this.opts.path, baudRate: this.baudRate, rtscts: this.opts.rtscts ?? false, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((e) => (e ? reject(new CcgateError('SERIAL_OPEN_FAILED', `cannot open ${this.opts.path}: ${e.message.replace(/^Error: /, '').replace(/, cannot open .*$/, '')}`, { path: this.opts.path }, { cause: e })) : resolve())),
    );
    port.on('data', (chunk: Buffer) => this.emit('data', new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    // serialport emits 'error' for read failures (EIO when the device vanishes) and then 'close'.
    // A PTY whose other end vanished gives no read error, only EIO on the next
    // write; serialport may then emit 'close' twice. Report the end once.
    let lastError: Error | null = null;
    let ended = false;
    port.on('error', (e: Error) => (lastError = e));
    port.on('close', (e: Error | null) => {
      if (ended) return;
      ended = true;
      if (this.port === port) this.port = null;
      const why = this.closing ? null : (e ?? lastError ?? new Error('port closed'));
      this.emit('closed', why);
    });
    this.port = port;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new CcgateError('SERIAL_CLOSED', `write to closed port ${this.opts.path}`, { path: this.opts.path });
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (e) => {
        if (e) return reject(new CcgateError('SERIAL_CLOSED', `write failed on ${this.opts.path}: ${e.message}`, { path: this.opts.path }, { cause: e }));
        port.drain((d) => (d ? reject(new CcgateError('SERIAL_CLOSED', `drain failed on ${this.opts.path}: ${d.message}`, { path: this.opts.path }, { cause: d })) : resolve()));
      });
    });
  }

  /** The speed the port runs at now. */
  get baudRate(): number {
    return this.rate ?? this.opts.baudRate ?? 115200;
  }

  async setBaudRate(baudRate: number): Promise<void> {
    this.rate = baudRate;
    const port = this.port;
    if (!port?.isOpen) return; // used at the next open
    await new Promise<void>((resolve, reject) =>
      port.update({ baudRate }, (e) => (e ? reject(new CcgateError('SERIAL_CLOSED', `cannot set ${this.opts.path} to ${baudRate} baud: ${e.message}`, { path: this.opts.path, baudRate }, { cause: e })) : resolve())),
    );
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.closing = true;
    if (!port.isOpen) {
      this.port = null;
      return;
    }
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
