import { existsSync, readFileSync } from 'node:fs';
import { UNIFONT_SUBSET_HEX } from '../fonts/fontFiles.ts';
import type { Glyph, GlyphFont } from './GlyphFont.ts';
import { isControl, missingChars } from './GlyphFont.ts';
import { decodeHexGlyph, parseHexFile, UNIFONT_HEIGHT } from './hexFont.ts';
import { isDefaultIgnorable } from './ignorable.ts';

/** Where Debian's `unifont` package puts the full font. */
export const SYSTEM_UNIFONT_HEX = '/usr/share/unifont/unifont.hex';

/** The subset shipped in the repository (see wallboard/fonts/make-subset.ts); found from the package root, so also from dist/. */
export const SHIPPED_SUBSET_HEX = UNIFONT_SUBSET_HEX;

export interface UnifontOptions {
  /**
   * More `.hex` files, read at load time and searched first, in order: a
   * site's own glyphs (a logo, a corrected character) or Unifont's upper
   * planes.
   */
  extraHexPaths?: string[];
  /**
   * The full Unifont, searched last and only when a glyph is missing from
   * the others; read once, on that first miss, if the file exists. Null
   * turns it off (tests, or a unit that must show only what ships).
   * Default {@link SYSTEM_UNIFONT_HEX}.
   */
  systemHexPath?: string | null;
  /** The shipped subset; a test seam. Default {@link SHIPPED_SUBSET_HEX}. */
  subsetPath?: string;
}

/**
 * GNU Unifont (16 rows; 8 px Latin/Arabic, 16 px CJK) from the shipped
 * subset, any extra files, and lazily the full Debian file, so any Chinese
 * queue name draws on a unit with the `unifont` package installed.
 * @throws ConfigError (CONFIG_INVALID) when a file is malformed; a missing
 *   extra file or subset throws the fs error (ENOENT) as it comes.
 */
export function loadUnifont(opts: UnifontOptions = {}): GlyphFont {
  const tables: Map<number, string>[] = [];
  for (const path of opts.extraHexPaths ?? []) tables.push(parseHexFile(readFileSync(path, 'utf8'), path));
  const subsetPath = opts.subsetPath ?? SHIPPED_SUBSET_HEX;
  tables.push(parseHexFile(readFileSync(subsetPath, 'utf8'), subsetPath));

  const systemPath = opts.systemHexPath === undefined ? SYSTEM_UNIFONT_HEX : opts.systemHexPath;
  let system: Map<number, string> | null | undefined = systemPath === null ? null : undefined;
  const systemTable = (): Map<number, string> | null => {
    if (system === undefined) {
      system = systemPath !== null && existsSync(systemPath) ? parseHexFile(readFileSync(systemPath, 'utf8'), systemPath) : null;
    }
    return system;
  };

  const cache = new Map<number, Glyph | null>();
  const glyph = (cp: number): Glyph | undefined => {
    if (isDefaultIgnorable(cp) || isControl(cp)) return undefined;
    const cached = cache.get(cp);
    if (cached !== undefined) return cached ?? undefined;
    let hex: string | undefined;
    for (const t of tables) if ((hex = t.get(cp)) !== undefined) break;
    hex ??= systemTable()?.get(cp);
    const g = hex === undefined ? null : decodeHexGlyph(hex);
    cache.set(cp, g);
    return g ?? undefined;
  };

  return { height: UNIFONT_HEIGHT, glyph, missing: (text) => missingChars(text, glyph) };
}
