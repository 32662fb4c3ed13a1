import { ConfigError } from '../../gateway/core/errors.ts';
import type { Glyph } from './GlyphFont.ts';

/**
 * GNU Unifont `.hex` format: one glyph per line, `XXXX:HEX` (code point in
 * 4–6 hex digits, a colon, the bitmap). 32 hex digits are an 8×16 glyph
 * (two per row), 64 a 16×16 glyph (four per row); rows top to bottom, the
 * most significant bit is the leftmost pixel. Lines starting with `#` and
 * blank lines are skipped (our subset file carries a header that way).
 */

/** Unifont's fixed cell height, pixels. */
export const UNIFONT_HEIGHT = 16;

const LINE = /^([0-9A-Fa-f]{4,6}):([0-9A-Fa-f]+)$/;

/** Decode one bitmap field (32 or 64 hex digits) into a 16-row glyph. */
export function decodeHexGlyph(hex: string): Glyph {
  const width = (hex.length * 4) / UNIFONT_HEIGHT;
  const bits = new Uint8Array(width * UNIFONT_HEIGHT);
  const digitsPerRow = width / 4;
  for (let y = 0; y < UNIFONT_HEIGHT; y++) {
    const row = parseInt(hex.slice(y * digitsPerRow, (y + 1) * digitsPerRow), 16);
    for (let x = 0; x < width; x++) bits[y * width + x] = (row >>> (width - 1 - x)) & 1;
  }
  return { width, height: UNIFONT_HEIGHT, bits };
}

/**
 * Parse a `.hex` file into code point → bitmap field, undecoded (a full
 * Unifont has 57,000 glyphs; decoding waits until one is drawn).
 * @param file named in the error for a malformed line.
 * @throws ConfigError (CONFIG_INVALID) naming the file and line.
 */
export function parseHexFile(text: string, file: string): Map<number, string> {
  const out = new Map<number, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    const hex = m?.[2];
    if (!m?.[1] || !hex || (hex.length !== 32 && hex.length !== 64)) {
      throw new ConfigError(file, [{ path: `line ${i + 1}`, expected: 'XXXX:HEX with 32 or 64 hex digits (Unifont .hex format)' }]);
    }
    out.set(parseInt(m[1], 16), hex.toUpperCase());
  }
  return out;
}

/** Format one glyph back as a `.hex` line (the inverse of decodeHexGlyph). */
export function formatHexLine(cp: number, hex: string): string {
  return `${cp.toString(16).toUpperCase().padStart(4, '0')}:${hex}`;
}
