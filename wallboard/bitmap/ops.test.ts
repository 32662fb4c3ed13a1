import { describe, expect, it } from 'vitest';
import type { Bitmap } from './Bitmap.ts';
import { createBitmap } from './Bitmap.ts';
import { blit, crop, sameBitmap, scrollLength, scrollWindow } from './ops.ts';

/** A bitmap from rows of digits (colour indices). */
function bm(...rows: string[]): Bitmap {
  const b = createBitmap(rows[0]?.length ?? 0, rows.length);
  rows.forEach((r, y) => [...r].forEach((c, x) => (b.data[y * b.width + x] = Number(c))));
  return b;
}
function rowsOf(b: Bitmap): string[] {
  return [...Array(b.height).keys()].map((y) => [...b.data.slice(y * b.width, (y + 1) * b.width)].join(''));
}

describe('blit', () => {
  it('copies with clipping on every side', () => {
    const dst = createBitmap(4, 3);
    blit(dst, bm('12', '34'), -1, 2);
    expect(rowsOf(dst)).toEqual(['0000', '0000', '2000']);
    blit(dst, bm('56', '78'), 3, -1);
    expect(rowsOf(dst)).toEqual(['0007', '0000', '2000']);
  });

  it('is opaque by default and keeps the background when transparent', () => {
    const opaque = bm('333', '333');
    blit(opaque, bm('10', '01'), 1, 0);
    expect(rowsOf(opaque)).toEqual(['310', '301']);
    const transparent = bm('333', '333');
    blit(transparent, bm('10', '01'), 1, 0, { transparent: true });
    expect(rowsOf(transparent)).toEqual(['313', '331']);
  });
});

describe('crop', () => {
  it('takes a region, off outside the source', () => {
    expect(rowsOf(crop(bm('123', '456'), 1, 1, 3, 2))).toEqual(['560', '000']);
  });
});

describe('scrollWindow', () => {
  const text = bm('123'); // "1" is the text's left end, "3" its right end

  it('LTR enters from the right and leaves to the left', () => {
    const frames = [...Array(scrollLength(text, 4) + 1).keys()].map((o) => rowsOf(scrollWindow(text, 4, o, 'ltr'))[0]);
    expect(frames).toEqual(['0000', '0001', '0012', '0123', '1230', '2300', '3000', '0000']);
  });

  it('RTL enters from the left, its right end (the start of the text) first', () => {
    const frames = [...Array(scrollLength(text, 4) + 1).keys()].map((o) => rowsOf(scrollWindow(text, 4, o, 'rtl'))[0]);
    expect(frames).toEqual(['0000', '3000', '2300', '1230', '0123', '0012', '0001', '0000']);
  });
});

describe('sameBitmap', () => {
  it('compares size and pixels', () => {
    expect(sameBitmap(bm('12'), bm('12'))).toBe(true);
    expect(sameBitmap(bm('12'), bm('13'))).toBe(false);
    expect(sameBitmap(bm('12'), bm('1', '2'))).toBe(false);
  });
});
