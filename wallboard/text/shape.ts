import reshaper from 'arabic-persian-reshaper';

/**
 * Contextual shaping of Persian/Arabic letters into Arabic Presentation
 * Forms (U+FB50–FDFF, U+FE70–FEFF), on the logical string, before line
 * breaking and bidi. A bitmap font has one glyph per code point, so the
 * joining forms must be chosen here. Uses arabic-persian-reshaper's
 * PersianShaper, which maps yeh to the Farsi yeh forms U+FBFC–FBFF.
 * ZWNJ stays in place as a joining break; text without Arabic letters is
 * returned unchanged, and shaped text shapes to itself.
 */
export function shape(text: string): string {
  if (!ARABIC_LETTER.test(text)) return text;
  // arabic-persian-reshaper 1.0.1 knows only LAM+ALEF as a ligature: LAM
  // followed by ALEF WITH MADDA / HAMZA ABOVE / HAMZA BELOW comes out as
  // U+0000 in place of both letters. Those alefs join exactly like a plain
  // ALEF, so shape with plain ALEF and restore the ligature's variant after.
  const plain = text.replace(LAM_ALEF_VARIANT, '\u0644\u0627');
  const shaped = reshaper.PersianShaper.convertArabic(plain);
  if (plain === text) return shaped;
  let out = '';
  let i = 0;
  for (const ch of shaped) {
    const lig = ch === '\uFEFB' || ch === '\uFEFC';
    // Each lam-alef ligature consumed two input units; everything else one.
    if (lig && text[i] === '\u0644') {
      const variant = LIGATURE_FOR[text[i + 1] ?? ''];
      out += variant ? String.fromCharCode(variant + (ch === '\uFEFC' ? 1 : 0)) : ch;
      i += 2;
    } else {
      out += ch;
      i += ch.length;
    }
  }
  return out;
}

/** Arabic letters the shaper maps (U+0621–064A and the Persian/Urdu extensions). */
const ARABIC_LETTER = /[\u0621-\u064A\u0671-\u06D3]/;

const LAM_ALEF_VARIANT = /\u0644[\u0622\u0623\u0625]/g;

/** Isolated lam-alef ligature per alef variant (the final form is the next code point). */
const LIGATURE_FOR: Readonly<Record<string, number>> = {
  '\u0622': 0xfef5, // LAM WITH ALEF WITH MADDA ABOVE
  '\u0623': 0xfef7, // LAM WITH ALEF WITH HAMZA ABOVE
  '\u0625': 0xfef9, // LAM WITH ALEF WITH HAMZA BELOW
};
