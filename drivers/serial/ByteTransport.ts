import type { EventEmitter } from 'node:events';

/** Events of a byte transport: raw chunks in, and the end of the link. */
export interface ByteTransportEvents {
  /** Bytes from the device, in arrival order, chunked however the OS delivered them. */
  data: [chunk: Uint8Array];
  /** The link closed: `error` is null for a requested close, else why (EIO when a USB modem vanished). */
  closed: [error: Error | null];
}

/**
 * The lowest layer of a serial driver (a GSM modem's AT port, an E1 board's
 * D-channel link): a duplex byte pipe. The real one is `SerialTransport` (the
 * `serialport` binding, also on a PTY in tests); unit tests use an in-process
 * fake. Nothing above this interface knows about baud rates or device paths.
 */
export interface ByteTransport extends EventEmitter<ByteTransportEvents> {
  readonly isOpen: boolean;
  /** Open (or re-open after a close); rejects with CcgateError SERIAL_OPEN_FAILED. */
  open(): Promise<void>;
  /** Write and wait until the bytes left the process (drain); rejects with SERIAL_CLOSED when closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Close; idempotent. Emits `closed` with null. */
  close(): Promise<void>;
  /**
   * Change the line speed of an open port (a UART; a USB or PTY port ignores
   * it). Optional: transports without a baud rate do not implement it.
   */
  setBaudRate?(baudRate: number): Promise<void>;
}
