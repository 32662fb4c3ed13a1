/**
 * What the core accepts for wallboard inputs: external counter names and
 * values, supervisor message text and duration. Pure and shared: the core
 * enforces it, and the CLI checks the same rules before contacting the
 * daemon so a typo exits with a usage error instead of a round trip.
 */
import { CcgateError, type ErrorCode } from '../core/errors.ts';
import type { BoardMessageLevel } from '../events.ts';

/** Counter names: lower-case ASCII, starting with a letter, at most 32 characters (they become config keys and item ids). */
export const COUNTER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
/** Largest counter value; a count of emails or chats, never near it. */
export const MAX_COUNTER_VALUE = 1_000_000_000;
/**
 * Distinct counters kept. A bound so a misbehaving feeder inventing names
 * cannot grow the stored set (and every snapshot) without limit; real sites
 * feed a handful (email, whatsapp, social).
 */
export const MAX_COUNTERS = 64;
/** Longest message, in Unicode code points after trimming: two lines of a large sign, one scroll on a small one. */
export const MAX_MESSAGE_CHARS = 160;
/** Shortest, longest and default time a message stays up, ms. */
export const MIN_MESSAGE_MS = 1_000;
export const MAX_MESSAGE_MS = 24 * 3_600_000;
export const DEFAULT_MESSAGE_MS = 10 * 60_000;

/** The code board input errors carry (HTTP 400 on the local API). */
export const BOARD_INPUT_CODE: ErrorCode = 'BOARD_INPUT_INVALID';

/** Which rule an input broke; kept in the error's `context.problem`. */
export type BoardInputProblem = 'counterName' | 'counterValue' | 'counterLimit' | 'messageText' | 'messageLevel' | 'messageDuration';

/** A counter or message the core refuses; nothing was changed. */
export class BoardInputError extends CcgateError {
  constructor(
    readonly problem: BoardInputProblem,
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super(BOARD_INPUT_CODE, message, { problem, ...context });
    this.name = 'BoardInputError';
  }
}

/** @throws BoardInputError `counterName` unless `name` matches {@link COUNTER_NAME}. */
export function checkCounterName(name: string): string {
  if (!COUNTER_NAME.test(name)) {
    throw new BoardInputError('counterName', `invalid counter name ${JSON.stringify(name)}: expected a lower-case letter, then up to 31 of a-z, 0-9, _ or -`, { name });
  }
  return name;
}

/** @throws BoardInputError `counterValue` unless `value` is a whole number 0 … {@link MAX_COUNTER_VALUE}. */
export function checkCounterValue(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_COUNTER_VALUE) {
    throw new BoardInputError('counterValue', `invalid counter value ${String(value)}: expected a whole number from 0 to ${MAX_COUNTER_VALUE}`, { value });
  }
  return value;
}

// C0 and C1 controls (newline and tab included: a sign line has no breaks),
// and lone surrogates (a JSON "\ud800" is valid JSON but no character).
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;

/**
 * The message as it will be shown: trimmed, 1 … {@link MAX_MESSAGE_CHARS}
 * code points, no control characters. Format characters stay: Persian needs
 * ZWNJ (U+200C) and mixed text may carry directional marks.
 * @throws BoardInputError `messageText`
 */
export function checkMessageText(text: string): string {
  const t = text.trim();
  const chars = [...t].length;
  if (chars === 0) throw new BoardInputError('messageText', `empty message: expected 1 to ${MAX_MESSAGE_CHARS} characters of text`);
  if (chars > MAX_MESSAGE_CHARS) throw new BoardInputError('messageText', `message too long: ${chars} characters, at most ${MAX_MESSAGE_CHARS}`, { chars });
  const bad = FORBIDDEN.exec(t);
  if (bad) {
    const cp = bad[0].codePointAt(0) ?? 0;
    const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
    throw new BoardInputError('messageText', `message contains the control character ${hex}: expected one line of plain text`, { codePoint: hex });
  }
  return t;
}

/** @throws BoardInputError `messageLevel` unless `level` is 'info' or 'critical'. */
export function checkMessageLevel(level: string): BoardMessageLevel {
  if (level !== 'info' && level !== 'critical') throw new BoardInputError('messageLevel', `invalid message level ${JSON.stringify(level)}: expected info or critical`, { level });
  return level;
}

/** @throws BoardInputError `messageDuration` unless `ms` is whole milliseconds from 1 s to 24 h. */
export function checkMessageDuration(ms: number): number {
  if (!Number.isInteger(ms) || ms < MIN_MESSAGE_MS || ms > MAX_MESSAGE_MS) {
    throw new BoardInputError('messageDuration', `invalid message duration ${String(ms)} ms: expected 1 s to 24 h`, { forMs: ms });
  }
  return ms;
}
