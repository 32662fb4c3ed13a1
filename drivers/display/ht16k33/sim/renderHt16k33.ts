/**
 * What a row of HT16K33 backpacks shows, as a Bitmap (pixel-checkable) and as
 * terminal text. Geometry: 7-segment digits 6×9 on a 7-pixel pitch with the
 * colon column between digits 2 and 3; 14-segment characters 8×11 on a
 * 9-pixel pitch; matrices 8×8 edge to edge; 3 blank columns between
 * segment modules.
 */
import { Colour, createBitmap, type Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import type { Ht16k33Variant } from '../../../../wallboard/config/BoardConfig.ts';
import { drawSeg7, plot, seg7Ascii } from '../../ledkit/drawSegments.ts';
import { alphaChar, ALPHA_DP } from '../framing/alphaFont.ts';
import { matrixColumnBit } from '../framing/matrix8x8.ts';
import { COLON_BIT, COLON_RAM, DIGIT_RAM } from '../framing/sevenSegment.ts';
import type { Ht16k33Chip } from './Ht16k33Chip.ts';

const MODULE_GAP = 3;
/** Left edge of each 7-segment digit and of the colon within a module. */
export const SEG7_DIGIT_X = [0, 7, 16, 23] as const;
export const SEG7_COLON_X = 14;
export const ALPHA_PITCH = 9;

export function moduleWidth(variant: Ht16k33Variant): number {
  return variant === 'sevenSegment4' ? 30 : variant === 'alphanumeric4' ? 4 * ALPHA_PITCH - 1 : 8;
}

export function moduleHeight(variant: Ht16k33Variant): number {
  return variant === 'sevenSegment4' ? 9 : variant === 'alphanumeric4' ? 11 : 8;
}

/** Pixel x of module `i`'s left edge. */
export function moduleX(variant: Ht16k33Variant, i: number): number {
  return i * (moduleWidth(variant) + (variant === 'matrix8x8' ? 0 : MODULE_GAP));
}

type Px = readonly [number, number];
const span = (x0: number, x1: number, y: number): Px[] => Array.from({ length: x1 - x0 + 1 }, (_, k) => [x0 + k, y] as const);
const col = (x: number, y0: number, y1: number): Px[] => Array.from({ length: y1 - y0 + 1 }, (_, k) => [x, y0 + k] as const);
/** 14-segment pixels, bit order A B C D E F G1 G2 H J K L M N DP (alphaFont.ts). */
const SEG14_PIXELS: ReadonlyArray<readonly Px[]> = [
  span(1, 5, 0), col(6, 1, 4), col(6, 6, 9), span(1, 5, 10), col(0, 6, 9), col(0, 1, 4),
  span(1, 3, 5), span(3, 5, 5),
  [[1, 1], [1, 2], [2, 3], [2, 4]], col(3, 1, 4), [[5, 1], [5, 2], [4, 3], [4, 4]],
  [[2, 6], [2, 7], [1, 8], [1, 9]], col(3, 6, 9), [[4, 6], [4, 7], [5, 8], [5, 9]],
  [[7, 10]],
];

/** Lit colour for a dimming level: full red from 8/16 duty, dim red below. */
function litColour(dimming: number): number {
  return dimming >= 8 ? Colour.red : Colour.dimRed;
}

/** Render every module at time `ms` (blinking modules are dark in their off half). */
export function renderHt16k33(variant: Ht16k33Variant, chips: readonly Ht16k33Chip[], ms: number): Bitmap {
  const n = chips.length;
  const bm = createBitmap(Math.max(1, moduleX(variant, n) - (variant === 'matrix8x8' ? 0 : MODULE_GAP)), moduleHeight(variant));
  chips.forEach((chip, i) => {
    if (!chip.litAt(ms)) return;
    const x0 = moduleX(variant, i);
    const c = litColour(chip.dimming);
    switch (variant) {
      case 'sevenSegment4':
        DIGIT_RAM.forEach((ramAddr, d) => drawSeg7(bm, x0 + SEG7_DIGIT_X[d]!, 0, chip.ram[ramAddr] ?? 0, c));
        if ((chip.ram[COLON_RAM] ?? 0) & COLON_BIT) {
          plot(bm, x0 + SEG7_COLON_X, 2, c);
          plot(bm, x0 + SEG7_COLON_X, 6, c);
        }
        return;
      case 'alphanumeric4':
        for (let ch = 0; ch < 4; ch++) {
          const w = chip.word(ch);
          SEG14_PIXELS.forEach((pixels, bit) => {
            if (w & (1 << bit)) for (const [px, py] of pixels) plot(bm, x0 + ch * ALPHA_PITCH + px, py, c);
          });
        }
        return;
      case 'matrix8x8':
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) if ((chip.ram[2 * y] ?? 0) & matrixColumnBit(x)) plot(bm, x0 + x, y, c);
        }
        return;
    }
  });
  return bm;
}

const BLINK_TEXT = ['', ' blink 2 Hz', ' blink 1 Hz', ' blink 0.5 Hz'] as const;

/** Terminal form: what the RAM shows (blinking noted, not animated), one block per module, then a status line. */
export function ht16k33Terminal(variant: Ht16k33Variant, chips: readonly Ht16k33Chip[]): string {
  const blocks = chips.map((chip): string[] => {
    switch (variant) {
      case 'sevenSegment4': {
        const digits = DIGIT_RAM.map((a) => seg7Ascii(chip.ram[a] ?? 0));
        const colon = (chip.ram[COLON_RAM] ?? 0) & COLON_BIT ? [' ', '.', '.'] : [' ', ' ', ' '];
        return [0, 1, 2].map((r) => `${digits[0]![r]}${digits[1]![r]}${colon[r]}${digits[2]![r]}${digits[3]![r]}`);
      }
      case 'alphanumeric4': {
        let text = '';
        for (let i = 0; i < 4; i++) {
          const w = chip.word(i);
          text += (alphaChar(w) ?? '?') + (w & ALPHA_DP ? '.' : '');
        }
        return [`[${text}]`];
      }
      case 'matrix8x8':
        return Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => ((chip.ram[2 * y] ?? 0) & matrixColumnBit(x) ? '#' : '.')).join(''));
    }
  });
  const rows = Math.max(0, ...blocks.map((b) => b.length));
  const lines = Array.from({ length: rows }, (_, r) => blocks.map((b) => b[r] ?? '').join(variant === 'matrix8x8' ? '' : '  '));
  const status = chips.map((c) => (c.oscillator && c.displayOn ? `dim ${c.dimming}${BLINK_TEXT[c.blink]}` : 'off')).join(' | ');
  return [...lines, status].join('\n');
}
