import bidiModule from 'bidi-js';
import type { Bidi } from 'bidi-js';
import { shape } from './shape.ts';
import { stripIgnorables } from './ignorable.ts';

/** Paragraph direction: forced, or `auto` from the first strong character (UAX #9 P2–P3). */
export type BaseDir = 'ltr' | 'rtl' | 'auto';

// bidi-js 1.1.0 (MIT): UAX #9 conformance-tested. Its CommonJS main exports
// the factory itself, but its types declare an ES default export, so under
// NodeNext TypeScript sees the default import as a namespace: accept both.
const loaded: unknown = bidiModule;
const bidiFactory = (typeof loaded === 'function' ? loaded : (loaded as { default: unknown }).default) as () => Bidi;

// The factory builds its tables once; the object is stateless, so one per
// module is enough.
let bidiInstance: Bidi | undefined;
function bidi(): Bidi {
  return (bidiInstance ??= bidiFactory());
}

/** Resolved embedding level of each UTF-16 unit of one line (even = LTR, odd = RTL). */
export function lineLevels(line: string, baseDir: BaseDir): Uint8Array {
  return bidi().getEmbeddingLevels(line, baseDir).levels;
}

/** The direction a paragraph resolves to: `baseDir` itself unless `auto`. */
export function paragraphDirection(text: string, baseDir: BaseDir): 'ltr' | 'rtl' {
  if (baseDir !== 'auto') return baseDir;
  const level = bidi().getEmbeddingLevels(text, 'auto').paragraphs[0]?.level ?? 0;
  return level % 2 === 1 ? 'rtl' : 'ltr';
}

/**
 * One line (already shaped, no line breaks) from logical to left-to-right
 * visual order: UAX #9 levels, brackets mirrored at odd levels (L4), runs
 * reversed (L2). Default-ignorables are kept, in their reordered place.
 */
export function reorderLine(line: string, baseDir: BaseDir): string {
  if (line === '') return line;
  const b = bidi();
  const levels = b.getEmbeddingLevels(line, baseDir);
  const units = line.split('');
  // Pass the levels array, not the result object: given the object (as
  // bidi-js's README example does), 1.1.0 returns an empty map and nothing
  // is mirrored.
  for (const [i, mirrored] of b.getMirroredCharactersMap(line, levels.levels)) units[i] = mirrored;
  for (const [start, end] of b.getReorderSegments(line, levels)) {
    if (start === undefined || end === undefined) continue;
    const reversed = units.slice(start, end + 1).reverse();
    units.splice(start, reversed.length, ...reversed);
  }
  return fixSurrogates(units).join('');
}

/**
 * What a board draws for one logical line, left to right: shaped, reordered
 * and mirrored, default-ignorables (ZWNJ, ZWJ, LRM, RLM, ALM, isolates)
 * removed. Break lines before calling this, on the logical string.
 */
export function visualLine(text: string, baseDir: BaseDir): string {
  return stripIgnorables(reorderLine(shape(text), baseDir));
}

/** Reversing UTF-16 units turns a surrogate pair around; put pairs back in order. */
function fixSurrogates(units: string[]): string[] {
  for (let i = 0; i + 1 < units.length; i++) {
    const a = units[i]?.charCodeAt(0) ?? 0;
    const b = units[i + 1]?.charCodeAt(0) ?? 0;
    if (a >= 0xdc00 && a <= 0xdfff && b >= 0xd800 && b <= 0xdbff) {
      units[i] = String.fromCharCode(b);
      units[i + 1] = String.fromCharCode(a);
      i++;
    }
  }
  return units;
}
