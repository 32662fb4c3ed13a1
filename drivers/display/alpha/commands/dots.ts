import type { Bitmap } from '../../../../wallboard/bitmap/Bitmap.ts';
import { AlphaEncodeError } from '../errors.ts';
import { ascii, concat, hex, labelByte } from '../framing/bytes.ts';
import { CR, Cmd } from '../framing/codes.ts';

/** 9708-8061 §6.4: a SMALL DOTS picture has at most 31 rows and 255 columns. */
export const MAX_DOTS_ROWS = 31;
export const MAX_DOTS_COLUMNS = 255;
/** Highest pixel code (8 = yellow); 0 is off. */
export const MAX_PIXEL_CODE = 8;

/** Throws unless `rows × columns` fits a SMALL DOTS picture. */
export function checkDotsSize(rows: number, columns: number, label = ''): void {
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 1 || columns < 1 || rows > MAX_DOTS_ROWS || columns > MAX_DOTS_COLUMNS) {
    throw new AlphaEncodeError('dotsTooLarge', `SMALL DOTS ${label} of ${rows}×${columns} (at most ${MAX_DOTS_ROWS}×${MAX_DOTS_COLUMNS})`, { label, rows, columns });
  }
}

/**
 * Write SMALL DOTS picture (command `I`, 9708-8061 §6.4): `I <label> <rows
 * 2 hex> <columns 2 hex>` then each row as one ASCII digit per pixel, ended by
 * CR. The Bitmap's colour indices are the protocol's pixel codes (0 off,
 * 1 red, 2 green, 3 amber, … 8 yellow), so they are written as they are.
 * A TEXT shows the picture with CALL DOTS `0x14 <label>`.
 */
export function writeSmallDots(label: string, picture: Bitmap): Uint8Array {
  checkDotsSize(picture.height, picture.width, label);
  const pixels = new Uint8Array(picture.height * (picture.width + 1));
  let at = 0;
  for (let y = 0; y < picture.height; y++) {
    for (let x = 0; x < picture.width; x++) {
      const v = picture.data[y * picture.width + x] ?? 0;
      if (v > MAX_PIXEL_CODE) throw new AlphaEncodeError('pixel', `pixel (${x},${y}) of DOTS ${label} has colour ${v} (0–${MAX_PIXEL_CODE})`, { label, x, y, value: v });
      pixels[at++] = 0x30 + v;
    }
    pixels[at++] = CR;
  }
  return concat(Cmd.writeSmallDots, labelByte(label), ascii(hex(picture.height, 2) + hex(picture.width, 2)), pixels);
}
