import { isDefaultIgnorable } from './ignorable.ts';

/**
 * A bitmap font as the renderers see it: one glyph per code point, all of
 * the font's height, drawn without extra spacing (each glyph carries its own
 * side bearing, as GNU Unifont's 8- and 16-pixel cells do).
 */
export interface Glyph {
  /** Advance and bitmap width, pixels. */
  readonly width: number;
  /** Rows, pixels; equal to the font's height. */
  readonly height: number;
  /** `width * height` pixels, 0 or 1, row-major (index = y * width + x). */
  readonly bits: Uint8Array;
}

export interface GlyphFont {
  /** Rows of every glyph, pixels. */
  readonly height: number;
  /** The glyph for one code point, or undefined when the font has none. Never called for default-ignorables. */
  glyph(cp: number): Glyph | undefined;
  /**
   * The characters of `text` this font cannot draw, each once, in order of
   * first appearance. Default-ignorables and control characters are not
   * drawn, so they are never reported. `text` is checked as given: pass the
   * shaped string to check Arabic presentation forms.
   */
  missing(text: string): string[];
}

/** Control characters (C0, DEL, C1): line breaks and the like, never drawn. */
export function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/** The characters of `text` `glyph` cannot draw, once each, skipping ignorables and controls (a GlyphFont's `missing`). */
export function missingChars(text: string, glyph: (cp: number) => Glyph | undefined): string[] {
  const out = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!isDefaultIgnorable(cp) && !isControl(cp) && glyph(cp) === undefined) out.add(ch);
  }
  return [...out];
}
