// Types for opentype.js 1.3 (MIT), which ships none; only what the CJK font builder calls.
declare module 'opentype.js' {
  export class Path {
    moveTo(x: number, y: number): void;
    lineTo(x: number, y: number): void;
    close(): void;
  }
  export class Glyph {
    constructor(options: { name: string; unicode?: number; advanceWidth: number; path: Path });
  }
  interface FontOptions {
    familyName: string;
    styleName: string;
    unitsPerEm: number;
    ascender: number;
    /** Negative. */
    descender: number;
    glyphs: Glyph[];
    copyright?: string;
    description?: string;
    license?: string;
    licenseURL?: string;
    version?: string;
    designer?: string;
    manufacturer?: string;
    /** Seconds since the Unix epoch written to `head.created`; default the current time. */
    createdTimestamp?: number;
    weightClass?: number;
  }
  export class Font {
    constructor(options: FontOptions);
    /** The font as an OpenType (CFF outlines) file. */
    toArrayBuffer(): ArrayBuffer;
  }
  /** A font read back by `parse` (the tests check what the builder wrote). */
  interface ParsedGlyph {
    name: string | null;
    unicode: number | undefined;
    advanceWidth: number;
    path: { commands: Array<{ type: string; x?: number; y?: number }> };
  }
  interface ParsedFont {
    unitsPerEm: number;
    ascender: number;
    descender: number;
    numGlyphs: number;
    names: Record<'windows' | 'macintosh' | 'unicode', Record<string, Record<string, string> | undefined>>;
    charToGlyph(ch: string): ParsedGlyph;
    hasChar(ch: string): boolean;
  }
  const opentype: { Font: typeof Font; Glyph: typeof Glyph; Path: typeof Path; parse(buffer: ArrayBuffer): ParsedFont };
  export default opentype;
}
