/**
 * Alpha Sign Communications Protocol driver (Adaptive Micro Systems document
 * 9708-8061; BetaBrite and other Alpha 1.0 signs), write-only.
 *
 *   BoardView ──► AlphaDisplay (façade: Display, health, reconnect on the Clock)
 *                   │
 *                   ├─ sign/      SignState: model of the sign's memory; plans E$, TEXT, STRING, DOTS
 *                   │             layout (one STRING per item, pictures for fa/zh labels), message (priority TEXT 0)
 *                   ├─ commands/  pure: TEXT `A`, STRING `G`, SMALL DOTS `I`, special functions `E`, parse
 *                   ├─ framing/   pure: packet encoder (NULs SOH type addr STX…ETX cs EOT), PacketDecoder
 *                   └─ transport/ SignPort: SerialSignPort (serialport, 7E1) | MemorySignPort
 *   sim/  AlphaSignSimulator: decodes the bytes back into files and renders what the sign shows
 */
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { BoardConfig } from '../../../wallboard/config/BoardConfig.ts';
import type { Display, DisplayHealth } from '../../../wallboard/display/Display.ts';
import { Colour } from '../../../wallboard/bitmap/Bitmap.ts';
import type { BoardView, ItemView } from '../../../wallboard/model/BoardView.ts';
import { MAX_DOTS_COLUMNS, MAX_DOTS_ROWS } from './commands/dots.ts';
import { toHex } from './framing/bytes.ts';
import { encodePacket } from './framing/packet.ts';
import type { LabelRenderer } from './sign/layout.ts';
import { SignState } from './sign/SignState.ts';
import { pictureCapacity } from './sign/capacity.ts';
import { signCapacity, type SignSpec } from './sign/SignSpec.ts';
import type { SignPort } from './transport/SignPort.ts';

export interface AlphaDisplayOptions {
  /** First wait before reopening a lost or missing port, ms (a USB adapter re-enumerates in ~1–5 s). */
  reopenInitialMs: number;
  /** Ceiling of the wait between reopen attempts, ms. */
  reopenMaxMs: number;
  /** Growth of the wait per failed attempt. */
  reopenFactor: number;
}

export const ALPHA_DISPLAY_DEFAULTS: AlphaDisplayOptions = { reopenInitialMs: 1_000, reopenMaxMs: 30_000, reopenFactor: 2 };

export interface AlphaDisplayDeps {
  clock: Clock;
  logger: Logger;
  port: SignPort;
  sign: SignSpec;
  /** Draws fa/zh labels and messages as SMALL DOTS pictures; null: they fall back to Latin `short` labels. */
  render?: LabelRenderer | null;
  options?: Partial<AlphaDisplayOptions>;
}

/** What the last `show` sent, for the bytes-per-change figures. */
export interface AlphaWriteReport {
  bytes: number;
  packets: number;
  relayout: boolean;
}

/**
 * One Alpha sign as a wallboard Display. The first `show` (and the first
 * after a reconnect) lays the sign out: memory map, run sequence, pictures,
 * the page TEXT in HOLD with CALL STRING slots, every STRING. After that a
 * changed figure sends only its STRING (changed ones nested in one packet),
 * a page turn rewrites TEXT `A` only, and an unchanged view sends nothing.
 * A port that fails or vanishes is reported in `health()` and reopened with
 * back-off on the injected clock.
 */
export class AlphaDisplay implements Display {
  readonly boardId: string;
  readonly capacity: number;
  private readonly opts: AlphaDisplayOptions;
  private readonly state: SignState;
  private readonly log: Logger;
  private chain: Promise<void> = Promise.resolve();
  private lastView: BoardView | null = null;
  private bytesWritten = 0;
  private ok = false;
  private detail = 'not open';
  private attempts = 0;
  private reopenTimer: Timer | null = null;
  private closed = false;
  private last: AlphaWriteReport = { bytes: 0, packets: 0, relayout: false };
  /** Picture width of each fa/zh label drawn so far (null: too big to draw), so pagination draws each label once. */
  private readonly labelWidths = new Map<string, number | null>();

  constructor(
    private readonly board: BoardConfig,
    private readonly deps: AlphaDisplayDeps,
  ) {
    this.boardId = board.id;
    this.capacity = signCapacity(deps.sign, board.lang);
    this.opts = { ...ALPHA_DISPLAY_DEFAULTS, ...deps.options };
    this.log = deps.logger.child({ component: 'alpha', board: board.id });
    this.state = new SignState(deps.sign, { beepOnCritical: board.beepOnCritical, render: deps.render ?? null });
    deps.port.on('closed', (e) => {
      if (e && !this.closed) void this.enqueue(() => this.fault(`port lost: ${e.message}`));
    });
  }

  /** Open the port. Never throws for a missing device: health says why and the port is retried. */
  async open(): Promise<void> {
    this.closed = false;
    await this.enqueue(() => this.tryOpen());
  }

  /** English counts characters (`capacity`); a picture-labelled board measures its labels. */
  capacityFor(items: readonly ItemView[]): number {
    const render = this.deps.render;
    if (this.board.lang === 'en' || !render) return this.capacity;
    return pictureCapacity(this.deps.sign, this.board.lang, items, (label) => {
      if (!this.labelWidths.has(label)) {
        const p = render(label, { dir: this.board.lang === 'fa' ? 'rtl' : 'ltr', colour: Colour.amber });
        this.labelWidths.set(label, p.height <= Math.min(this.deps.sign.rows, MAX_DOTS_ROWS) && p.width <= MAX_DOTS_COLUMNS ? p.width : null);
      }
      return this.labelWidths.get(label)!;
    });
  }

  async show(view: BoardView): Promise<void> {
    this.lastView = view;
    await this.enqueue(() => this.apply(view));
  }

  health(): DisplayHealth {
    return { ok: this.ok, detail: this.detail, bytesWritten: this.bytesWritten };
  }

  /** Bytes and packets the last `show` wrote (0 when nothing changed). */
  lastWrite(): AlphaWriteReport {
    return { ...this.last };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reopenTimer?.clear();
    this.reopenTimer = null;
    await this.enqueue(async () => {
      await this.deps.port.close();
      this.ok = false;
      this.detail = 'closed';
    });
  }

  /** Run `fn` after every earlier operation: one packet on the wire at a time, in order. */
  private enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async tryOpen(): Promise<void> {
    if (this.closed || this.deps.port.isOpen) return;
    try {
      await this.deps.port.open();
    } catch (e) {
      return this.fault(e instanceof Error ? e.message : String(e));
    }
    const reconnect = this.attempts > 0;
    this.attempts = 0;
    this.ok = true;
    this.detail = reconnect ? 're-initialised after reconnect' : 'ok';
    this.log.info({ reconnect }, 'sign port open');
    // Nothing is known about a sign we were cut off from: lay it out again.
    this.state.forget();
    if (this.lastView) await this.apply(this.lastView);
  }

  private async apply(view: BoardView): Promise<void> {
    this.last = { bytes: 0, packets: 0, relayout: false };
    if (this.closed || !this.deps.port.isOpen) return;
    const plan = this.state.plan(view);
    if (plan.relayout) this.log.info({ slots: this.state.current?.slots.size, fallbacks: this.state.current?.fallbacks }, 'laying out sign');
    const header = { typeCode: this.deps.sign.typeCode, address: this.deps.sign.address, checksum: true };
    for (const commands of plan.packets) {
      const bytes = encodePacket(commands, header);
      this.log.trace({ hex: lazyHex(bytes) }, '→ sign');
      try {
        await this.deps.port.write(bytes);
      } catch (e) {
        return this.fault(e instanceof Error ? e.message : String(e));
      }
      this.bytesWritten += bytes.length;
      this.last.bytes += bytes.length;
      this.last.packets++;
    }
    this.last.relayout = plan.relayout;
  }

  /** The port is gone or cannot open: forget the sign, report, and retry with back-off. */
  private async fault(why: string): Promise<void> {
    this.state.forget();
    this.ok = false;
    // A write failure and the port's own close event report the same loss: retry once per loss.
    if (this.closed || this.reopenTimer?.pending) return;
    if (this.deps.port.isOpen) await this.deps.port.close().catch(() => undefined);
    this.attempts++;
    const waitMs = Math.min(this.opts.reopenMaxMs, this.opts.reopenInitialMs * this.opts.reopenFactor ** (this.attempts - 1));
    this.detail = `${why}; retrying in ${Math.round(waitMs / 1000)} s`;
    this.log.warn({ err: why, attempt: this.attempts, retryInMs: waitMs }, 'sign port down');
    this.reopenTimer?.clear();
    this.reopenTimer = this.deps.clock.setTimer('alpha.reopen', waitMs, () => {
      this.reopenTimer = null;
      void this.enqueue(() => this.tryOpen());
    });
  }
}

/** Hex for trace logs, built only if a sink serialises it. */
function lazyHex(bytes: Uint8Array): { toJSON(): string; toString(): string } {
  const f = (): string => toHex(bytes);
  return { toJSON: f, toString: f };
}
