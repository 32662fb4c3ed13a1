import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { UNIFONT_LICENSE } from '../../fonts/fontFiles.ts';

/**
 * The static font files the page uses: Vazirmatn (SIL OFL 1.1, from the
 * `@fontsource/vazirmatn` package) for Persian and Latin, one weight, the
 * two subsets the boards need (the CSS `unicode-range` makes the browser
 * fetch each only when the page has such characters), and the licence texts.
 */

// npm packages resolve through node_modules from this module's folder up, the same from dist/ (which sits in the package).
const require = createRequire(import.meta.url);

/** Bold: wallboards are read across a room. */
export const VAZIRMATN_WEIGHT = 700;

export interface StaticFont {
  /** File name under /fonts/. */
  name: string;
  contentType: string;
  /** Where the bytes come from. */
  path: string;
  /** CSS unicode-range of the subset, copied from the package's own 700.css, for font files. */
  unicodeRange?: string;
}

/** Files served under /fonts/, by name. */
export const STATIC_FONTS: readonly StaticFont[] = [
  {
    name: `vazirmatn-arabic-${VAZIRMATN_WEIGHT}-normal.woff2`,
    contentType: 'font/woff2',
    path: require.resolve(`@fontsource/vazirmatn/files/vazirmatn-arabic-${VAZIRMATN_WEIGHT}-normal.woff2`),
    unicodeRange:
      'U+0600-06FF,U+0750-077F,U+0870-088E,U+0890-0891,U+0897-08E1,U+08E3-08FF,U+200C-200E,U+2010-2011,U+204F,U+2E41,U+FB50-FDFF,U+FE70-FE74,U+FE76-FEFC,U+102E0-102FB,U+10E60-10E7E,U+10EC2-10EC4,U+10EFC-10EFF,U+1EE00-1EE03,U+1EE05-1EE1F,U+1EE21-1EE22,U+1EE24,U+1EE27,U+1EE29-1EE32,U+1EE34-1EE37,U+1EE39,U+1EE3B,U+1EE42,U+1EE47,U+1EE49,U+1EE4B,U+1EE4D-1EE4F,U+1EE51-1EE52,U+1EE54,U+1EE57,U+1EE59,U+1EE5B,U+1EE5D,U+1EE5F,U+1EE61-1EE62,U+1EE64,U+1EE67-1EE6A,U+1EE6C-1EE72,U+1EE74-1EE77,U+1EE79-1EE7C,U+1EE7E,U+1EE80-1EE89,U+1EE8B-1EE9B,U+1EEA1-1EEA3,U+1EEA5-1EEA9,U+1EEAB-1EEBB,U+1EEF0-1EEF1',
  },
  {
    name: `vazirmatn-latin-${VAZIRMATN_WEIGHT}-normal.woff2`,
    contentType: 'font/woff2',
    path: require.resolve(`@fontsource/vazirmatn/files/vazirmatn-latin-${VAZIRMATN_WEIGHT}-normal.woff2`),
    unicodeRange: 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
  },
  { name: 'LICENSE-Vazirmatn.txt', contentType: 'text/plain; charset=utf-8', path: require.resolve('@fontsource/vazirmatn/LICENSE') },
  { name: 'LICENSE-Unifont.txt', contentType: 'text/plain; charset=utf-8', path: UNIFONT_LICENSE },
];

/** Read every static font file once (a few tens of kB); a missing package fails the server start, not a page load. */
export async function loadStaticFonts(): Promise<Map<string, { contentType: string; bytes: Buffer }>> {
  const out = new Map<string, { contentType: string; bytes: Buffer }>();
  for (const f of STATIC_FONTS) out.set(f.name, { contentType: f.contentType, bytes: await readFile(f.path) });
  return out;
}
