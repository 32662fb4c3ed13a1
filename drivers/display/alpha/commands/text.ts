import { ascii, concat, labelByte } from '../framing/bytes.ts';
import { Cmd, ESC, Mode, Position, type PositionByte } from '../framing/codes.ts';

export interface TextOptions {
  /** Display position (byte after ESC); default middle line 0x20. */
  position?: PositionByte;
  /** Mode byte (`Mode.hold`, `Mode.rotate` …); default rotate 'a' as in 9708-8061 §6.1. */
  mode?: number;
  /** Special-mode byte after mode `n` ('0' twinkle … 'B' trumpet); only with `Mode.special`. */
  special?: number;
}

/**
 * Write TEXT file (command `A`, 9708-8061 §6.1): `A <label> ESC <position>
 * <mode> [special] <message>`. `message` is raw bytes so it can hold control
 * codes (colour, CALL STRING, CALL DOTS, new line) built with `controls.ts`.
 */
export function writeText(label: string, message: Uint8Array | string, opts: TextOptions = {}): Uint8Array {
  const body = typeof message === 'string' ? ascii(message) : message;
  const mode = opts.mode ?? Mode.rotate;
  const special = mode === Mode.special && opts.special !== undefined ? [opts.special] : [];
  return concat(Cmd.writeText, labelByte(label), ESC, opts.position ?? Position.middleLine, mode, ...special, body);
}

/**
 * Clear the priority TEXT file `0`: a write with no data at all (`A0`). The
 * sign drops the priority message and returns to its run sequence.
 */
export function clearPriorityText(): Uint8Array {
  return Uint8Array.of(Cmd.writeText, 0x30);
}

/** Label of the priority TEXT file: always present, shown over everything while it holds text. */
export const PRIORITY_TEXT_LABEL = '0';
