/*
 * A chain of MAX7219 devices on one SPI chip select, as a wallboard Display:
 *
 *   Max7219Display ─ Display façade: view → chain, retry, health (ledkit/LedDisplayBase)
 *     session/frame.ts        BoardView → per-device digits/rows, intensity, software blink
 *     session/chainWrites.ts  known state → one latch per register that differs (nothing when equal)
 *   framing/                  pure encoders: registers and chain frames, glyph tables, digits, matrix rows
 *   bus/SpiDevice            openSpiDevice (native spi-device, lazy) | FakeSpiDevice (+ sim/Max7219Chain)
 */
import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { Max7219Connection } from '../../../wallboard/config/BoardConfig.ts';
import type { BoardView } from '../../../wallboard/model/BoardView.ts';
import { isBusGone } from '../bus/LedBusError.ts';
import type { SpiDevice, SpiDeviceOpener } from '../bus/SpiDevice.ts';
import { LedDisplayBase, type SyncResult } from '../ledkit/LedDisplayBase.ts';
import { font5x7LineRenderer, type LineRenderer } from '../ledkit/LineRenderer.ts';
import { copyDevice, planChainWrites, type DeviceState } from './session/chainWrites.ts';
import { blankChain, chainFrame, ITEMS_PER_DEVICE } from './session/frame.ts';

/** Figures per page on a matrix chain: a scrolling line stays readable with about three. */
export const MATRIX_CAPACITY = 3;

export interface Max7219DisplayOptions {
  boardId: string;
  connection: Max7219Connection;
  clock: Clock;
  logger: Logger;
  /** How the device opens: `openSpiDevice` on a Pi, a fake's `opener()` in tests and simulators. */
  openDevice: SpiDeviceOpener;
  /** Text → bitmap for matrices; default: the wallboard renderer with the 5×7 font. */
  renderLine?: LineRenderer;
  /** Retry period while faulty, ms. */
  retryMs?: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** MAX7219 chain (see the diagram at the top of this file). */
export class Max7219Display extends LedDisplayBase {
  readonly capacity: number;
  private device: SpiDevice | null = null;
  /** What the chain is known to hold; null = unknown (never initialised, or a transfer failed). */
  private known: DeviceState[] | null = null;
  private readonly renderLine: LineRenderer;
  private rendered: { key: string; bitmap: ReturnType<LineRenderer> } | null = null;

  constructor(private readonly opts: Max7219DisplayOptions) {
    super(opts.boardId, opts.clock, opts.logger.child({ component: 'max7219', board: opts.boardId }), opts.retryMs);
    const chain = Math.max(1, opts.connection.chain);
    this.capacity = opts.connection.variant === 'matrix8x8' ? MATRIX_CAPACITY : chain * ITEMS_PER_DEVICE;
    const render = opts.renderLine ?? font5x7LineRenderer();
    this.renderLine = (text, dir) => {
      const key = `${dir}:${text}`;
      if (this.rendered?.key !== key) this.rendered = { key, bitmap: render(text, dir) };
      return this.rendered.bitmap;
    };
  }

  private get chain(): number {
    return Math.max(1, this.opts.connection.chain);
  }

  protected async syncHardware(view: BoardView | null, elapsedMs: number): Promise<SyncResult> {
    if (!this.device) {
      const c = this.opts.connection;
      try {
        this.device = await this.opts.openDevice({ bus: c.spiBus, device: c.spiDevice, speedHz: c.speedHz });
        this.known = null;
      } catch (e) {
        return { nextChangeMs: null, fault: e instanceof Error ? e.message : String(e) };
      }
    }
    const frame = view ? chainFrame(this.opts.connection.variant, this.chain, view, elapsedMs, this.renderLine) : blankChain(this.chain);
    const wasUnknown = this.known === null;
    for (const bytes of planChainWrites(this.known, frame.devices)) {
      try {
        this.logger.trace({ dir: '→', hex: hex(bytes) }, 'spi transfer');
        await this.device.transfer(bytes);
        this.bytesWritten += bytes.length;
      } catch (e) {
        // A glitch may have latched half a picture or reset the chain: send everything next time.
        this.known = null;
        if (isBusGone(e)) await this.release();
        return { nextChangeMs: frame.nextChangeMs, fault: e instanceof Error ? e.message : String(e) };
      }
    }
    if (wasUnknown) this.logger.info({ chain: this.chain }, 'chain initialised');
    this.known = frame.devices.map(copyDevice);
    return { nextChangeMs: frame.nextChangeMs, fault: null };
  }

  protected async release(): Promise<void> {
    const dev = this.device;
    this.device = null;
    await dev?.close().catch(() => undefined);
  }
}
