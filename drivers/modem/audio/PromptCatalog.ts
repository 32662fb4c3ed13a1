import type { Logger } from '../../../gateway/core/Logger.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';

/** One audio file to play, by id (the file name without extension), with its nominal length. */
export interface Clip {
  id: string;
  /** Nominal duration, ms: what the silent path waits, and the base of fallback timeouts. */
  durationMs: number;
}

export interface PromptCatalogOptions {
  /** Nominal length of a prompt clip, ms; default 2 s. */
  promptMs?: number;
  /** Nominal length of a say clip (digit, number, `minutes`), ms; default 0.6 s. */
  sayClipMs?: number;
  /** Measured lengths per clip id, ms, overriding the nominal ones (e.g. from the prompt pack's manifest). */
  durations?: Readonly<Record<string, number>>;
  /**
   * Whether the prompt pack holds a clip, by id (`fa/welcome`, `welcome`):
   * a directory listing or the pack's manifest. A prompt with a language is
   * played from `<language>/<id>` when that clip is held, else from `<id>`.
   * Omitted, a language clip counts as held only when `durations` lists it,
   * so a pack without language folders plays exactly as before.
   */
  has?: (clipId: string) => boolean;
  /** Warns about ids that cannot be file names; silent when omitted. */
  logger?: Logger;
}

/** Largest number read as one clip (`number-0` … `number-20`); above it, digit by digit. */
export const LARGEST_WHOLE_NUMBER_CLIP = 20;

/**
 * Clip ids become file names (`<dir>/<id>.pcm`) and quoted AT arguments
 * (`AT+CREC=4,"C:\User\<id>.amr",…`): no path separators, quotes, `..` or
 * spaces, so a prompt id from config can neither escape the prompt directory
 * nor break the command line.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

/**
 * A language folder name (BCP 47 language with an optional region or
 * script, as `site.language` and menu `language` take): the one path
 * separator a clip id may get is the one this module puts there.
 */
const SAFE_LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** The clip ids that speak one say-value. Deliberately simple: no grammar, no language rules. */
export function sayClipIds(kind: 'number' | 'digits' | 'minutes', value: number | string): string[] {
  const text = String(value);
  const digitClips = (): string[] =>
    [...text].flatMap((ch) => (ch >= '0' && ch <= '9' ? [`digit-${ch}`] : ch === '*' ? ['digit-star'] : ch === '#' ? ['digit-hash'] : []));
  const numberClips = (): string[] => {
    const n = typeof value === 'number' ? value : /^\d+$/.test(text) ? Number(text) : NaN;
    // 0–20 have a clip each (the irregular words of most languages); anything else (21+, negative,
    // fractions, non-numeric text) is read digit by digit, dropping signs and separators.
    return Number.isInteger(n) && n >= 0 && n <= LARGEST_WHOLE_NUMBER_CLIP ? [`number-${n}`] : digitClips();
  };
  switch (kind) {
    case 'digits':
      return digitClips();
    case 'number':
      return numberClips();
    case 'minutes':
      // Always the plural clip, also after 1: record it as "minute(s)" where that sounds wrong.
      return [...numberClips(), 'minutes'];
  }
}

/**
 * Resolves a PromptRef into the clips to play: the prompt's own file, then
 * the files for each say-value in order. Each clip is taken from the
 * prompt's language folder (`fa/digit-4`) when the pack holds it there, and
 * from the pack's top level otherwise, so a pack may translate some prompts
 * and share the rest (hold music, tones).
 */
export class PromptCatalog {
  private readonly promptMs: number;
  private readonly sayClipMs: number;
  private readonly durations: Readonly<Record<string, number>>;

  constructor(private readonly opts: PromptCatalogOptions = {}) {
    this.promptMs = opts.promptMs ?? 2_000;
    this.sayClipMs = opts.sayClipMs ?? 600;
    this.durations = opts.durations ?? {};
  }

  resolve(prompt: PromptRef): Clip[] {
    const clips: Clip[] = [];
    const lang = this.language(prompt.language);
    const clip = (id: string, nominalMs: number): Clip => {
      const localised = lang === null ? null : `${lang}/${id}`;
      const chosen = localised !== null && (this.opts.has?.(localised) ?? localised in this.durations) ? localised : id;
      return { id: chosen, durationMs: this.durations[chosen] ?? nominalMs };
    };
    if (this.safe(prompt.id)) clips.push(clip(prompt.id, this.promptMs));
    for (const say of prompt.say ?? []) {
      for (const id of sayClipIds(say.kind, say.value)) clips.push(clip(id, this.sayClipMs));
    }
    return clips;
  }

  /** Sum of nominal durations, ms. */
  static totalMs(clips: readonly Clip[]): number {
    return clips.reduce((sum, c) => sum + c.durationMs, 0);
  }

  /** The prompt's language as a folder name, or null (none given, or not a safe folder name: logged). */
  private language(language: string | undefined): string | null {
    if (language === undefined || language === '') return null;
    if (SAFE_LANGUAGE.test(language)) return language;
    this.opts.logger?.warn({ language }, 'prompt language is not a safe folder name; top-level clips used');
    return null;
  }

  private safe(id: string): boolean {
    if (SAFE_ID.test(id)) return true;
    this.opts.logger?.warn({ promptId: id }, 'prompt id is not a safe file name; skipped');
    return false;
  }
}
