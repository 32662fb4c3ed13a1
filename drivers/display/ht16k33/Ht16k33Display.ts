/*
 * Adafruit-style HT16K33 LED backpacks on one I2C bus, as a wallboard Display:
 *
 *   Ht16k33Display ─ Display façade: view → modules, retry, health (ledkit/LedDisplayBase)
 *     session/frame.ts        BoardView → per-module RAM, blink, dimming (rules: ledkit/segmentText.ts)
 *     session/moduleWrites.ts known state → the writes that differ (nothing when equal)
 *   framing/                  pure encoders: commands, 7-segment, 14-segment font, 8×8 matrix
 *   bus/I2cBus               openI2cBus (native i2c-bus, lazy) | FakeI2cBus (+ sim/Ht16k33Chip)
 */
import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { Ht16k33Connection } from '../../../wallboard/config/BoardConfig.ts';
import type { BoardView } from '../../../wallboard/model/BoardView.ts';
import type { I2cBus, I2cBusOpener } from '../bus/I2cBus.ts';
import { isBusGone } from '../bus/LedBusError.ts';
import { LedDisplayBase, type SyncResult } from '../ledkit/LedDisplayBase.ts';
import { font5x7LineRenderer, type LineRenderer } from '../ledkit/LineRenderer.ts';
import { blankFrame, boardFrame } from './session/frame.ts';
import { planModuleWrites, type ModuleState } from './session/moduleWrites.ts';

/** Figures per page on a matrix row: a scrolling line stays readable with about three. */
export const MATRIX_CAPACITY = 3;

export interface Ht16k33DisplayOptions {
  boardId: string;
  connection: Ht16k33Connection;
  clock: Clock;
  logger: Logger;
  /** How the bus is opened: `openI2cBus` on a Pi, a fake's `opener()` in tests and simulators. */
  openBus: I2cBusOpener;
  /** Text → bitmap for matrices; default: the wallboard renderer with the 5×7 font. */
  renderLine?: LineRenderer;
  /** Retry period while faulty, ms. */
  retryMs?: number;
}

interface ModuleSlot {
  address: number;
  /** What the chip is known to hold; null = unknown (never initialised, or a write failed). */
  known: ModuleState | null;
  fault: string | null;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const addr = (a: number): string => `0x${a.toString(16)}`;

/** HT16K33 modules side by side (see the diagram at the top of this file). */
export class Ht16k33Display extends LedDisplayBase {
  readonly capacity: number;
  private bus: I2cBus | null = null;
  private readonly slots: ModuleSlot[];
  private readonly renderLine: LineRenderer;
  private rendered: { key: string; bitmap: ReturnType<LineRenderer> } | null = null;

  constructor(private readonly opts: Ht16k33DisplayOptions) {
    super(opts.boardId, opts.clock, opts.logger.child({ component: 'ht16k33', board: opts.boardId }), opts.retryMs);
    this.slots = opts.connection.addresses.map((address) => ({ address, known: null, fault: null }));
    this.capacity = opts.connection.variant === 'matrix8x8' ? MATRIX_CAPACITY : this.slots.length;
    const render = opts.renderLine ?? font5x7LineRenderer();
    // Scrolling re-asks for the same text 20 times a second: render it once.
    this.renderLine = (text, dir) => {
      const key = `${dir}:${text}`;
      if (this.rendered?.key !== key) this.rendered = { key, bitmap: render(text, dir) };
      return this.rendered.bitmap;
    };
  }

  protected async syncHardware(view: BoardView | null, elapsedMs: number): Promise<SyncResult> {
    const bus = await this.ensureBus();
    if (typeof bus === 'string') return { nextChangeMs: null, fault: bus };
    const frame = view
      ? boardFrame(this.opts.connection.variant, this.slots.length, view, elapsedMs, this.renderLine)
      : blankFrame(this.slots.length);
    for (const [i, slot] of this.slots.entries()) {
      const target = frame.modules[i];
      // A module whose write found the bus gone released it: the rest wait for the reopen.
      if (target && this.bus) await this.syncModule(this.bus, slot, target);
    }
    const faults = this.slots.filter((s) => s.fault !== null).map((s) => s.fault);
    return { nextChangeMs: frame.nextChangeMs, fault: faults.length ? faults.join('; ') : null };
  }

  protected async release(): Promise<void> {
    const bus = this.bus;
    this.bus = null;
    await bus?.close().catch(() => undefined);
  }

  private async ensureBus(): Promise<I2cBus | string> {
    if (this.bus) return this.bus;
    try {
      this.bus = await this.opts.openBus(this.opts.connection.bus);
      for (const s of this.slots) s.known = null;
      return this.bus;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private async syncModule(bus: I2cBus, slot: ModuleSlot, target: ModuleState): Promise<void> {
    const reinit = slot.known === null && slot.fault !== null;
    for (const w of planModuleWrites(slot.known, target)) {
      try {
        this.logger.trace({ dir: '→', address: addr(slot.address), hex: hex(w) }, 'i2c write');
        await bus.i2cWrite(slot.address, w);
        this.bytesWritten += w.length;
      } catch (e) {
        // The chip may have lost power: re-initialise it entirely on the next attempt.
        slot.known = null;
        slot.fault = `${addr(slot.address)}: ${e instanceof Error ? e.message : String(e)}`;
        if (isBusGone(e)) await this.release();
        return;
      }
    }
    if (reinit) this.logger.info({ address: addr(slot.address) }, 'module answering again, re-initialised');
    slot.known = { ram: Uint8Array.from(target.ram), blink: target.blink, dimming: target.dimming };
    slot.fault = null;
  }
}
