import type { Bitmap } from './Bitmap.ts';
import { PALETTE } from './Bitmap.ts';

/**
 * A bitmap as terminal text, two pixel rows per text row with half blocks:
 * without colour, "▀" top lit, "▄" bottom lit, "█" both, space neither;
 * with colour, every cell is "▀" with the top pixel as ANSI 24-bit
 * foreground and the bottom one as background (off = PALETTE[0]), reset at
 * each line end. An odd last row pairs with an off row.
 */
export function toTerminal(bitmap: Bitmap, opts: { color: boolean }): string {
  const lines: string[] = [];
  const at = (x: number, y: number): number => (y < bitmap.height ? (bitmap.data[y * bitmap.width + x] ?? 0) : 0);
  for (let y = 0; y < bitmap.height; y += 2) {
    let line = '';
    for (let x = 0; x < bitmap.width; x++) {
      const top = at(x, y);
      const bottom = at(x, y + 1);
      if (opts.color) line += `\x1b[38;2;${rgb(top)}m\x1b[48;2;${rgb(bottom)}m▀`;
      else line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(opts.color ? `${line}\x1b[0m` : line);
  }
  return lines.join('\n');
}

function rgb(index: number): string {
  return (PALETTE[index] ?? PALETTE[0] ?? [0, 0, 0]).join(';');
}
