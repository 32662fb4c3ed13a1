import type { EventEmitter } from 'node:events';

export interface SignPortEvents {
  /** The port went away (USB adapter unplugged, pty closed); `error` is null for a requested close. */
  closed: [error: Error | null];
}

/**
 * The lowest layer of the Alpha driver: a write-only byte pipe to the sign
 * (Alpha 1.0 signs never answer). The real one is `SerialSignPort`; tests and
 * the preview use `MemorySignPort`.
 */
export interface SignPort extends EventEmitter<SignPortEvents> {
  readonly isOpen: boolean;
  /** Rejects with CcgateError SERIAL_OPEN_FAILED. */
  open(): Promise<void>;
  /** One packet in one write (a gap of ~1 s ends a packet on the sign); resolves once drained; rejects with SERIAL_CLOSED. */
  write(bytes: Uint8Array): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}
