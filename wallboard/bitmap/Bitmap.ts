/**
 * A frame buffer every display speaks: one byte per pixel, a colour index
 * into {@link PALETTE}. Monochrome devices use 0 (off) and any non-zero
 * value (on). The indices are the Alpha protocol's DOTS pixel codes, so a
 * picture for a sign is this buffer written out row by row.
 */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  /** Row-major, `width * height` bytes, index = y * width + x. */
  readonly data: Uint8Array;
}

/** Colour indices (Alpha SMALL DOTS pixel codes). */
export const Colour = {
  off: 0,
  red: 1,
  green: 2,
  amber: 3,
  dimRed: 4,
  dimGreen: 5,
  brown: 6,
  orange: 7,
  yellow: 8,
} as const;
export type ColourIndex = (typeof Colour)[keyof typeof Colour];

/** RGB of each colour index, for PNG and terminal previews. */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [16, 16, 16],
  [255, 40, 30],
  [40, 230, 60],
  [255, 176, 0],
  [130, 20, 15],
  [20, 115, 30],
  [140, 80, 20],
  [255, 120, 0],
  [255, 230, 40],
];

export function createBitmap(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(width * height) };
}
