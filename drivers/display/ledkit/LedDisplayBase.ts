/**
 * What every LED-module display (HT16K33, MAX7219) does the same way: keep
 * the latest view, run one hardware sync at a time, re-run it when the
 * picture changes on its own (alternation, scrolling, software blink) and
 * while a fault lasts (retry), report health, and stop every timer on close.
 * A subclass only turns (view, time) into bus writes.
 */
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { BoardView } from '../../../wallboard/model/BoardView.ts';
import type { Display, DisplayHealth } from '../../../wallboard/display/Display.ts';
import { SyncLoop } from './SyncLoop.ts';

/** How long a faulty bus or module waits before the next attempt, ms (a re-plugged module is back within this). */
export const RETRY_MS = 5000;

export interface SyncResult {
  /** ms until the picture changes by itself; null when static. */
  nextChangeMs: number | null;
  /** Why the hardware is not fully up to date (bus missing, module not answering); null when it is. */
  fault: string | null;
}

export abstract class LedDisplayBase implements Display {
  abstract readonly capacity: number;
  protected bytesWritten = 0;
  private view: BoardView | null = null;
  private openedAt = 0;
  private opened = false;
  private closed = false;
  private fault: string | null = 'not opened';
  private animation: Timer | null = null;
  private retry: Timer | null = null;
  private readonly loop = new SyncLoop(() => this.runSync());

  protected constructor(
    readonly boardId: string,
    protected readonly clock: Clock,
    protected readonly logger: Logger,
    private readonly retryMs: number = RETRY_MS,
  ) {}

  /** Opens the bus and initialises the modules (blank); never throws: a fault shows in `health()` and is retried. */
  async open(): Promise<void> {
    this.opened = true;
    this.closed = false;
    this.openedAt = this.clock.now();
    await this.loop.request();
  }

  async show(view: BoardView): Promise<void> {
    this.view = view;
    if (!this.opened || this.closed) return;
    await this.loop.request();
  }

  health(): DisplayHealth {
    return { ok: this.opened && !this.closed && this.fault === null, detail: this.closed ? 'closed' : (this.fault ?? 'ok'), bytesWritten: this.bytesWritten };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.animation?.clear();
    this.retry?.clear();
    await this.loop.idle();
    await this.release();
  }

  /** Resolves when no write is in progress (tests and simulators, after advancing a fake clock). */
  settled(): Promise<void> {
    return this.loop.idle();
  }

  /** Bring the hardware to `view` (null: blank, before the first view) at `elapsedMs` since open. Must not throw. */
  protected abstract syncHardware(view: BoardView | null, elapsedMs: number): Promise<SyncResult>;

  /** Release the bus; must not throw. */
  protected abstract release(): Promise<void>;

  private async runSync(): Promise<void> {
    if (this.closed) return;
    const result = await this.syncHardware(this.view, this.clock.now() - this.openedAt);
    if (this.closed) return;
    if (result.fault !== this.fault) {
      if (result.fault === null) this.logger.info({ board: this.boardId, was: this.fault }, 'display up to date');
      else this.logger.warn({ board: this.boardId, fault: result.fault }, 'display fault');
    }
    this.fault = result.fault;
    this.animation?.clear();
    this.animation = null;
    if (result.nextChangeMs !== null) {
      this.animation = this.clock.setTimer(`display:${this.boardId}:animate`, result.nextChangeMs, () => void this.loop.request());
    }
    if (result.fault !== null && !this.retry?.pending) {
      this.retry = this.clock.setTimer(`display:${this.boardId}:retry`, this.retryMs, () => void this.loop.request());
    }
  }
}
