/**
 * Default-ignorable format characters that steer shaping and bidi but have
 * no glyph of their own. GNU Unifont draws them as dashed boxes, so they are
 * dropped after the bidi step and never looked up in a font.
 * (Unicode 15 DerivedCoreProperties Default_Ignorable_Code_Point, the
 * members a wallboard string can realistically contain.)
 */
const IGNORABLE = new Set<number>([
  0x00ad, // SOFT HYPHEN
  0x034f, // COMBINING GRAPHEME JOINER
  0x061c, // ARABIC LETTER MARK (ALM)
  0x180e, // MONGOLIAN VOWEL SEPARATOR
  0x200b, // ZERO WIDTH SPACE
  0x200c, // ZERO WIDTH NON-JOINER (ZWNJ, Persian half-space)
  0x200d, // ZERO WIDTH JOINER
  0x200e, // LEFT-TO-RIGHT MARK (Intl emits it before fa negatives)
  0x200f, // RIGHT-TO-LEFT MARK
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, // embeddings and overrides
  0x2060, // WORD JOINER
  0x2066, 0x2067, 0x2068, 0x2069, // isolates
  0xfeff, // ZERO WIDTH NO-BREAK SPACE (BOM)
]);

/** True for a default-ignorable code point (ZWNJ, ZWJ, LRM, RLM, ALM, isolates, …). */
export function isDefaultIgnorable(cp: number): boolean {
  return IGNORABLE.has(cp) || (cp >= 0xfe00 && cp <= 0xfe0f); // variation selectors
}

/** The string without its default-ignorable characters. */
export function stripIgnorables(text: string): string {
  let out = '';
  for (const ch of text) if (!isDefaultIgnorable(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}
