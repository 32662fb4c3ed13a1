/**
 * BoardView → target state of every HT16K33 module on a board, at a given
 * time since the display opened (alternating labels and scrolling depend on
 * it). Pure; the rules are in ledkit/segmentText.ts.
 */
import type { Ht16k33Variant } from '../../../../wallboard/config/BoardConfig.ts';
import type { BoardView } from '../../../../wallboard/model/BoardView.ts';
import { alphanumericText, isCritical, matrixLine, pageItems, sevenSegmentText } from '../../ledkit/segmentText.ts';
import { scrollFrame } from '../../ledkit/scroll.ts';
import type { LineRenderer } from '../../ledkit/LineRenderer.ts';
import { encodeAlphanumeric4 } from '../framing/alphanumeric.ts';
import { type BlinkRate, clampNibble, RAM_BYTES } from '../framing/commands.ts';
import { encodeMatrix8x8 } from '../framing/matrix8x8.ts';
import { encodeSevenSegment4 } from '../framing/sevenSegment.ts';
import type { ModuleState } from './moduleWrites.ts';

/** Hardware blink for a critical value: 1 Hz (display setup 0x85). */
export const CRITICAL_BLINK: BlinkRate = 2;

export interface BoardFrame {
  modules: ModuleState[];
  /** ms until the frame changes on its own (label/value alternation, scrolling); null = static. */
  nextChangeMs: number | null;
}

/** Blank modules at full brightness: what `open()` writes before any view (Adafruit `begin()`). */
export function blankFrame(count: number): BoardFrame {
  return { modules: Array.from({ length: count }, () => ({ ram: new Uint8Array(RAM_BYTES), blink: 0, dimming: 15 })), nextChangeMs: null };
}

function soonest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export function boardFrame(variant: Ht16k33Variant, count: number, view: BoardView, elapsedMs: number, renderLine: LineRenderer): BoardFrame {
  const dim = clampNibble(view.brightness);
  const items = pageItems(view);
  switch (variant) {
    case 'sevenSegment4':
      return {
        modules: Array.from({ length: count }, (_, i) => ({
          ram: encodeSevenSegment4(sevenSegmentText(view, items[i], { width: 4, colon: 'centre' })),
          blink: isCritical(view, items[i]) ? CRITICAL_BLINK : 0,
          dimming: dim,
        })),
        nextChangeMs: null,
      };
    case 'alphanumeric4': {
      let next: number | null = null;
      const modules = Array.from({ length: count }, (_, i): ModuleState => {
        const shown = alphanumericText(view, items[i], elapsedMs);
        next = soonest(next, shown.nextChangeMs);
        return { ram: encodeAlphanumeric4(shown.text), blink: isCritical(view, items[i]) ? CRITICAL_BLINK : 0, dimming: dim };
      });
      return { modules, nextChangeMs: next };
    }
    case 'matrix8x8': {
      const line = matrixLine(view);
      const frame = scrollFrame(renderLine(line.text, line.dir), count * 8, elapsedMs, line.dir);
      return {
        modules: Array.from({ length: count }, (_, i) => ({
          ram: encodeMatrix8x8(frame.window, i * 8),
          blink: line.blink ? CRITICAL_BLINK : 0,
          dimming: dim,
        })),
        nextChangeMs: frame.nextChangeMs,
      };
    }
  }
}
