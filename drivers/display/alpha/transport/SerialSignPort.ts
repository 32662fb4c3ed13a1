import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { CcgateError } from '../../../../gateway/core/errors.ts';
import type { SignPort, SignPortEvents } from './SignPort.ts';
import type { SignSerialOptions } from './serialOptions.ts';

/** Opens a `serialport` port; a named option so tests can check what the driver asks for. */
export type SerialPortFactory = (opts: SignSerialOptions) => SerialPort;

const defaultFactory: SerialPortFactory = (opts) => new SerialPort(opts);

/**
 * SignPort over the `serialport` binding: a USB-RS232 adapter, a Pi UART, or
 * one end of a pty pair in tests. It only moves bytes; reopening after a
 * fault is the display's decision.
 */
export class SerialSignPort extends EventEmitter<SignPortEvents> implements SignPort {
  private port: SerialPort | null = null;
  private closing = false;

  constructor(
    private readonly opts: SignSerialOptions,
    private readonly factory: SerialPortFactory = defaultFactory,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    this.closing = false;
    const path = this.opts.path;
    const port = this.factory(this.opts);
    await new Promise<void>((resolve, reject) =>
      port.open((e) => (e ? reject(new CcgateError('SERIAL_OPEN_FAILED', `cannot open sign port ${path}: ${e.message}`, { path }, { cause: e })) : resolve())),
    );
    let lastError: Error | null = null;
    let ended = false;
    port.on('error', (e: Error) => (lastError = e));
    // serialport may emit 'close' twice when a pty's other end vanished: report the end once.
    port.on('close', (e: Error | null) => {
      if (ended) return;
      ended = true;
      if (this.port === port) this.port = null;
      this.emit('closed', this.closing ? null : (e ?? lastError ?? new Error('port closed')));
    });
    this.port = port;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    const path = this.opts.path;
    if (!port?.isOpen) throw new CcgateError('SERIAL_CLOSED', `write to closed sign port ${path}`, { path });
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (e) => {
        if (e) return reject(new CcgateError('SERIAL_CLOSED', `write failed on ${path}: ${e.message}`, { path }, { cause: e }));
        port.drain((d) => (d ? reject(new CcgateError('SERIAL_CLOSED', `drain failed on ${path}: ${d.message}`, { path }, { cause: d })) : resolve()));
      });
    });
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
