/**
 * BoardView → target state of every device of a MAX7219 chain, at a given
 * time since the display opened. Pure; the rules are in
 * ledkit/segmentText.ts. Device 0 (wired to the Pi) is the leftmost module.
 *
 * Critical values flash in software on the injected clock (the chip has no
 * blink): on 8-digit modules the critical item's four digits go blank in the
 * off half (the other item stays steady); on matrices the whole chain is put
 * in shutdown in the off half (the chip keeps its registers, so waking it is
 * one latch).
 */
import type { Max7219Variant } from '../../../../wallboard/config/BoardConfig.ts';
import type { BoardView } from '../../../../wallboard/model/BoardView.ts';
import type { LineRenderer } from '../../ledkit/LineRenderer.ts';
import { scrollFrame } from '../../ledkit/scroll.ts';
import { blinkPhase, isCritical, matrixLine, pageItems, sevenSegmentText } from '../../ledkit/segmentText.ts';
import { encodeDigits } from '../framing/digits.ts';
import { encodeMatrixRows } from '../framing/matrixRows.ts';
import { intensity } from '../framing/registers.ts';
import { blankDevice, type DeviceState } from './chainWrites.ts';

/** Items on one 8-digit device: two, four digits each (left half first). */
export const ITEMS_PER_DEVICE = 2;

export interface ChainFrame {
  devices: DeviceState[];
  /** ms until the frame changes on its own (blink, scroll); null = static. */
  nextChangeMs: number | null;
}

export function blankChain(chain: number): ChainFrame {
  return { devices: Array.from({ length: chain }, () => blankDevice()), nextChangeMs: null };
}

export function chainFrame(variant: Max7219Variant, chain: number, view: BoardView, elapsedMs: number, renderLine: LineRenderer): ChainFrame {
  const level = intensity(view.brightness).data;
  const blink = blinkPhase(elapsedMs);
  switch (variant) {
    case 'sevenSegment8': {
      const items = pageItems(view);
      let flashing = false;
      const half = (i: number): Uint8Array => {
        const it = items[i];
        const crit = isCritical(view, it);
        flashing ||= crit;
        const text = crit && !blink.lit ? '' : sevenSegmentText(view, it, { width: 4, colon: 'none' });
        return encodeDigits(text, 4, 'noDecode');
      };
      const devices = Array.from({ length: chain }, (_, k): DeviceState => {
        const d = blankDevice(level);
        // Digit 0 is the right end: the right-hand item fills digits 0–3, the left-hand one 4–7.
        d.digits.set(half(k * ITEMS_PER_DEVICE + 1), 0);
        d.digits.set(half(k * ITEMS_PER_DEVICE), 4);
        return d;
      });
      return { devices, nextChangeMs: flashing ? blink.nextChangeMs : null };
    }
    case 'matrix8x8': {
      const line = matrixLine(view);
      const frame = scrollFrame(renderLine(line.text, line.dir), chain * 8, elapsedMs, line.dir);
      const devices = Array.from({ length: chain }, (_, k): DeviceState => {
        const d = blankDevice(level);
        d.digits.set(encodeMatrixRows(frame.window, k * 8));
        d.shutdown = line.blink && !blink.lit ? 0 : 1;
        return d;
      });
      const next = line.blink ? Math.min(blink.nextChangeMs, frame.nextChangeMs ?? Infinity) : frame.nextChangeMs;
      return { devices, nextChangeMs: next };
    }
  }
}
