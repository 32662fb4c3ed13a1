import { createHash } from 'node:crypto';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { GlyphFont } from '../../text/GlyphFont.ts';
import { buildCjkFont, cjkChars } from './cjkFont.ts';

/**
 * The CJK characters every page of the site has shown (plus any configured
 * up front), and the font covering them. The set only grows, so the current
 * font covers every page, including one still showing an older view; the
 * version (a hash of the characters) changes when it grows, telling pages to
 * load it again. The font is built on first request after a change.
 */
export class CjkFontSet {
  private readonly chars = new Set<string>();
  private versionCache: string | null = null;
  private built: { version: string; bytes: Uint8Array } | null = null;
  private warnedFull = false;
  private readonly warnedMissing = new Set<string>();

  constructor(
    private readonly font: () => GlyphFont,
    private readonly maxChars: number,
    private readonly log: Logger,
  ) {}

  /**
   * Add the CJK characters of `text`.
   * @returns the version covering them, or null when `text` has none (the page needs no CJK font for it).
   */
  add(text: string): string | null {
    const chars = cjkChars(text);
    for (const ch of chars) {
      if (this.chars.has(ch)) continue;
      if (this.chars.size >= this.maxChars) {
        if (!this.warnedFull) this.log.warn({ max: this.maxChars }, 'web board CJK font full; further characters use the browser fonts');
        this.warnedFull = true;
        break;
      }
      this.chars.add(ch);
      this.versionCache = null;
    }
    return chars.length > 0 ? this.version() : null;
  }

  /** Hash of the covered characters (12 hex digits), null while there are none. */
  version(): string | null {
    if (this.chars.size === 0) return null;
    this.versionCache ??= createHash('sha256').update([...this.chars].sort().join('')).digest('hex').slice(0, 12);
    return this.versionCache;
  }

  /** The current font file, or null while no CJK character was seen. */
  file(): { version: string; bytes: Uint8Array } | null {
    const version = this.version();
    if (version === null) return null;
    if (this.built?.version !== version) {
      const { bytes, missing } = buildCjkFont(this.chars, this.font());
      const fresh = missing.filter((c) => !this.warnedMissing.has(c));
      if (fresh.length > 0) {
        for (const c of fresh) this.warnedMissing.add(c);
        this.log.warn({ chars: fresh.join('') }, 'no Unifont glyph for these board characters; install the unifont package');
      }
      this.built = { version, bytes };
      this.log.debug({ version, chars: this.chars.size, bytes: bytes.length }, 'CJK web font built');
    }
    return this.built;
  }
}
