import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadUnifont } from '../text/unifont.ts';
import { renderText } from '../text/render.ts';
import { Colour, createBitmap, PALETTE } from './Bitmap.ts';
import { toPng } from './png.ts';
import { toTerminal } from './terminal.ts';

describe('toPng', () => {
  it('decodes back to the same pixels in PALETTE colours', () => {
    const src = renderText('در انتظار: ۱۲', { font: loadUnifont({ systemHexPath: null }), colour: Colour.amber });
    src.data[0] = Colour.green;
    const png = PNG.sync.read(toPng(src, { scale: 2 }));
    expect([png.width, png.height]).toEqual([src.width * 2, src.height * 2]);
    for (let y = 0; y < src.height; y++) {
      for (let x = 0; x < src.width; x++) {
        const want = PALETTE[src.data[y * src.width + x] ?? 0];
        for (const [dx, dy] of [[0, 0], [1, 1]] as const) {
          const o = ((y * 2 + dy) * png.width + x * 2 + dx) * 4;
          expect([png.data[o], png.data[o + 1], png.data[o + 2], png.data[o + 3]]).toEqual([...(want ?? []), 255]);
        }
      }
    }
  });

  it('draws round dots on black when asked', () => {
    const b = createBitmap(1, 1);
    b.data[0] = Colour.red;
    const png = PNG.sync.read(toPng(b, { scale: 8, dots: true }));
    const at = (x: number, y: number): number[] => [...png.data.slice((y * 8 + x) * 4, (y * 8 + x) * 4 + 3)];
    expect(at(0, 0)).toEqual([0, 0, 0]);
    expect(at(4, 4)).toEqual([...(PALETTE[Colour.red] ?? [])]);
  });
});

describe('toTerminal', () => {
  it('packs two rows per line with half blocks', () => {
    const b = createBitmap(4, 3);
    // column 0: top only; 1: bottom only; 2: both; 3: neither; third row: column 0 lit.
    b.data.set([1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0]);
    expect(toTerminal(b, { color: false })).toBe('▀▄█ \n▀   ');
  });

  it('uses 24-bit colours, top as foreground and bottom as background', () => {
    const b = createBitmap(1, 2);
    b.data.set([Colour.red, Colour.green]);
    expect(toTerminal(b, { color: true })).toBe('\x1b[38;2;255;40;30m\x1b[48;2;40;230;60m▀\x1b[0m');
  });
});
