import { EventEmitter } from 'node:events';
import { CcgateError } from '../../../../gateway/core/errors.ts';
import type { SignPort, SignPortEvents } from './SignPort.ts';

/**
 * In-process SignPort: each write goes to `sink` (the simulator), and tests
 * can unplug and replug it. Enforces the contract: no write while closed, no
 * overlapping writes.
 */
export class MemorySignPort extends EventEmitter<SignPortEvents> implements SignPort {
  private opened = false;
  private present = true;
  private writing = false;
  opens = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void = () => {}) {
    super();
  }

  get isOpen(): boolean {
    return this.opened;
  }

  async open(): Promise<void> {
    if (!this.present) throw new CcgateError('SERIAL_OPEN_FAILED', 'sign port absent (unplugged)');
    this.opened = true;
    this.opens++;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.opened) throw new CcgateError('SERIAL_CLOSED', 'write to closed sign port');
    if (this.writing) throw new CcgateError('SERIAL_CLOSED', 'overlapping writes on sign port');
    this.writing = true;
    try {
      await Promise.resolve();
      // Nothing is kept here: the demo and the bench run a simulated sign for days (the simulator counts bytes).
      this.sink(bytes);
    } finally {
      this.writing = false;
    }
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    this.emit('closed', null);
  }

  /** The adapter vanishes: the port closes with an error and cannot reopen until `replug`. */
  unplug(): void {
    this.present = false;
    if (this.opened) {
      this.opened = false;
      this.emit('closed', new Error('EIO: device unplugged'));
    }
  }

  replug(): void {
    this.present = true;
  }
}
