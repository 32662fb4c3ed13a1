/**
 * What the AT byte decoder produces (ITU-T V.250 §5.7 result-code framing, as
 * real modems bend it): one item per complete line, the SMS `> ` prompt, or
 * bytes thrown away. Text is latin1 so every byte value survives; it never
 * contains CR, LF or NUL and is never empty.
 */
export type AtFrame =
  | {
      kind: 'line';
      text: string;
      /**
       * Control bytes found in a data line (a `+CLIP:` / `+CLCC:` … line, see
       * AtLineDecoder's `dataPrefixes`) and kept as `\xNN` escapes in `text`;
       * absent when there were none.
       */
      controlBytes?: number;
    }
  /** The `>` (or `> `) prompt of AT+CMGS, which has no line end; only emitted while a prompt is expected. */
  | { kind: 'prompt' }
  /** Bytes that cannot be a line: control characters (baud mismatch, noise) or a line longer than the limit. */
  | { kind: 'discarded'; bytes: Uint8Array; reason: 'garbage' | 'overlong' };

/** A pure, synchronous decoder: no I/O, no timers, never throws. */
export interface AtDecoder {
  /** Feed bytes; returns the items completed by them, in order. */
  push(chunk: Uint8Array): AtFrame[];
  /** Set by the session while a command waits for the SMS prompt. */
  expectPrompt: boolean;
  /** Forget any partial line (after a reopen). */
  reset(): void;
}
