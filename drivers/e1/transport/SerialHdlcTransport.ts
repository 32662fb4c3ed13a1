import { EventEmitter } from 'node:events';
import { CcgateError } from '../../../gateway/core/errors.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import { HdlcDecoder, type HdlcCounters } from '../framing/HdlcDecoder.ts';
import { hdlcEncode } from '../framing/hdlcEncode.ts';
import type { DChannelEvents, DChannelTransport } from './DChannelTransport.ts';

/**
 * The D-channel as the E1 board hands it over a serial link: each LAPD frame
 * in async-HDLC framing (e1-pri §1). Bytes from the ByteTransport go through
 * the incremental decoder; what is not a frame is counted and reported as
 * `discarded`, never thrown.
 */
export class SerialHdlcTransport extends EventEmitter<DChannelEvents> implements DChannelTransport {
  private decoder = new HdlcDecoder();
  private readonly onData = (chunk: Uint8Array): void => {
    for (const item of this.decoder.push(chunk)) {
      if (item.kind === 'frame') this.emit('frame', item.bytes);
      else this.emit('discarded', item.reason);
    }
  };
  private readonly onClosed = (error: Error | null): void => {
    this.decoder = new HdlcDecoder();
    this.emit('closed', error);
  };

  constructor(
    private readonly bytes: ByteTransport,
    private readonly opts: { escapeControls?: boolean } = {},
  ) {
    super();
    bytes.on('data', this.onData);
    bytes.on('closed', this.onClosed);
  }

  get isOpen(): boolean {
    return this.bytes.isOpen;
  }

  get counters(): HdlcCounters {
    return this.decoder.counters;
  }

  open(): Promise<void> {
    return this.bytes.open();
  }

  async send(lapd: Uint8Array): Promise<void> {
    if (!this.bytes.isOpen) throw new CcgateError('E1_LINK_DOWN', 'the D-channel serial link is closed');
    await this.bytes.write(hdlcEncode(lapd, { escapeControls: this.opts.escapeControls === true }));
  }

  async close(): Promise<void> {
    await this.bytes.close();
  }

  /** Stop listening to the byte transport (the span is being torn down). */
  dispose(): void {
    this.bytes.off('data', this.onData);
    this.bytes.off('closed', this.onClosed);
  }
}
