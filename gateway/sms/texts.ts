import type { LocalisedText } from '../config/types.ts';

/**
 * The text for a language: its own, else the one for every language (`*`,
 * a plain string in YAML), else the site language's. Null when none fits:
 * an SMS with no text for the caller's language and no fallback is not sent
 * in a language they did not choose… unless the site's is all there is.
 */
export function pickText(texts: LocalisedText | null, language: string, siteLanguage: string): string | null {
  if (!texts) return null;
  return texts[language] ?? texts['*'] ?? texts[siteLanguage] ?? null;
}

/**
 * `{name}` placeholders filled from `values`: a known name with no value
 * (a target without a message) becomes empty rather than reaching a customer
 * as `{message}`; an unknown name is left as written (the config check
 * refuses those).
 */
export function fillText(text: string, values: Readonly<Record<string, string | number | null | undefined>>): string {
  return text
    .replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
      if (!(name in values)) return whole;
      const v = values[name];
      return v === undefined || v === null ? '' : String(v);
    })
    .replace(/ {2,}/g, ' ')
    .trim();
}

const DIGITS: Record<string, string> = {
  '۰': '0', '۱': '1', '۲': '2', '۳': '3', '۴': '4', '۵': '5', '۶': '6', '۷': '7', '۸': '8', '۹': '9',
  '٠': '0', '١': '1', '٢': '2', '٣': '3', '٤': '4', '٥': '5', '٦': '6', '٧': '7', '٨': '8', '٩': '9',
};

/**
 * A survey reply's score: one digit 1–5, in Western, Persian or Arabic-Indic
 * digits, alone or with spaces/punctuation around it ("4", " ۴ ", "5!").
 * Anything else (two digits, words) is not a score.
 */
export function parseScore(text: string): number | null {
  const t = text.trim().replace(/[۰-۹٠-٩]/g, (d) => DIGITS[d] ?? d).replace(/[\s.!،,؛;:)(]+/g, '');
  return /^[1-5]$/.test(t) ? Number(t) : null;
}

/** A reply folded for comparison: full-width forms, case, joiners, spaces and punctuation do not count. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    // Joiners and direction marks first (alone: a class mixing them with letters reads as joined characters).
    .replace(/\u200c|\u200d|\u200e|\u200f/g, '')
    .replace(/[\s.!?,;:،؛'"()«»-]+/g, '');
}

/** The stop word the reply is (`Stop.`, ` STOP `, `ＳＴＯＰ`, `لغو.` all match), or null. */
export function isStopWord(text: string, stopWords: readonly string[]): string | null {
  const t = fold(text);
  if (t === '') return null;
  for (const w of stopWords) if (t === fold(w)) return w;
  return null;
}
