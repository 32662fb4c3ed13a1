import type { BoardView, ItemId } from '../../../../wallboard/model/BoardView.ts';
import { writeSmallDots } from '../commands/dots.ts';
import { dimming, dimmingLevelFor, memoryConfig, runSequence, tone } from '../commands/special.ts';
import { writeString } from '../commands/string.ts';
import { clearPriorityText, writeText } from '../commands/text.ts';
import { toHex } from '../framing/bytes.ts';
import { Mode, Position } from '../framing/codes.ts';
import { layoutKey, PAGE_TEXT_LABEL, planLayout, type LabelRenderer, type SignLayout } from './layout.ts';
import { messageCommands, messageKey } from './message.ts';
import { textLines, type SignSpec } from './SignSpec.ts';
import { valueBytes, valueText } from './valueBytes.ts';

/** What one `show` must send: packets, each a list of commands nested under one header. */
export interface SignPlan {
  packets: Uint8Array[][];
  /** Memory map, pictures and page TEXT rewritten (start, reconnect, layout or language change). */
  relayout: boolean;
}

export interface SignStateOptions {
  /** Sound the beeper once when a critical message starts. */
  beepOnCritical: boolean;
  render: LabelRenderer | null;
}

/** The beep for a critical message: programmable tone, frequency code 00, 0.5 s, once (9708-8061 §6.2 `E(2`). */
export const CRITICAL_TONE = { frequency: 0x00, durationTenths: 5, repeat: 0 } as const;

const UNKNOWN = Symbol('unknown');

/**
 * The driver's model of the sign's memory and the planner of the smallest
 * writes that bring the sign to a view. Pure: `plan` records what it plans as
 * sent; the façade calls `forget()` when a write failed or the port was lost,
 * so the next plan re-initialises the whole sign (Alpha 1.0 gives no ACK, so
 * after a fault nothing on the sign is known).
 */
export class SignState {
  private layout: SignLayout | null = null;
  private page: number | null = null;
  private readonly strings = new Map<string, string>();
  private priority: string | null | typeof UNKNOWN = UNKNOWN;
  private dim: number | null = null;
  private beeped: string | null = null;
  /** Slot widths grown past the default by a wider value; kept across re-inits. */
  private readonly widths = new Map<ItemId, number>();

  constructor(
    private readonly sign: SignSpec,
    private readonly opts: SignStateOptions,
  ) {}

  /** Forget what the sign holds: the next plan is a full initialisation. */
  forget(): void {
    this.layout = null;
    this.page = null;
    this.strings.clear();
    this.priority = UNKNOWN;
    this.dim = null;
  }

  get current(): SignLayout | null {
    return this.layout;
  }

  plan(view: BoardView): SignPlan {
    const packets: Uint8Array[][] = [];
    for (const item of view.items) {
      const w = valueText(item, view.state).length;
      if (w > (this.widths.get(item.id) ?? 0)) this.widths.set(item.id, w);
    }
    let layout = this.layout;
    const relayout = !layout || layout.key !== layoutKey(view, this.widths);
    if (relayout || !layout) {
      layout = planLayout(view, this.sign, this.widths, this.opts.render);
      this.layout = layout;
      this.page = null;
      this.strings.clear();
      packets.push([memoryConfig(layout.memory)]);
      packets.push([runSequence('S', false, [PAGE_TEXT_LABEL])]);
      for (const s of layout.slots.values()) if (s.picture) packets.push([writeSmallDots(s.dotsLabel!, s.picture)]);
    }
    const page = Math.min(Math.max(0, view.page), Math.max(0, layout.pages.length - 1));
    if (page !== this.page) {
      const position = textLines(this.sign, view.lang) > 1 ? Position.fill : Position.middleLine;
      packets.push([writeText(PAGE_TEXT_LABEL, layout.pageTexts[page] ?? new Uint8Array(0), { position, mode: Mode.hold })]);
      this.page = page;
    }
    const changed: Uint8Array[] = [];
    for (const item of view.items) {
      const slot = layout.slots.get(item.id);
      if (!slot) continue;
      const data = valueBytes(item, view.state, this.sign.colour);
      const hex = toHex(data);
      if (this.strings.get(slot.stringLabel) === hex) continue;
      this.strings.set(slot.stringLabel, hex);
      changed.push(writeString(slot.stringLabel, data));
    }
    if (changed.length > 0) packets.push(changed);
    this.planMessage(view, layout, packets);
    const level = dimmingLevelFor(view.brightness);
    if (level !== this.dim) {
      packets.push([dimming(level)]);
      this.dim = level;
    }
    return { packets, relayout };
  }

  private planMessage(view: BoardView, layout: SignLayout, packets: Uint8Array[][]): void {
    const m = view.messageTurn ? view.message : null;
    const want = m ? messageKey(m) : null;
    if (want === this.priority) return;
    if (m) {
      packets.push(...messageCommands(view, this.sign, layout, this.opts.render));
      if (m.level === 'critical' && this.opts.beepOnCritical && this.beeped !== want) {
        packets.push([tone(CRITICAL_TONE)]);
        this.beeped = want;
      }
    } else packets.push([clearPriorityText()]);
    this.priority = want;
  }
}
