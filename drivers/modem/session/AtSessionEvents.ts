import type { AtFrame } from '../framing/AtFrame.ts';
import type { FailureReason } from './AtCommand.ts';

/**
 * What an AtSession tells the layers above. URCs are delivered raw (the line
 * plus any trailing lines the URC table asked for); the modem façade turns
 * them into typed `Urc` values with messages/parseUrc.ts, because which
 * dialect applies is the profile's business, not the transaction layer's.
 */
export interface AtSessionEvents {
  /** An unsolicited line (and its trailing lines), in arrival order relative to responses. */
  urc: [line: string, trailing: string[], known: boolean];
  /** A final result with no command waiting for it (a bare `OK` after a timeout, ZTE reject, Wavecom answer). */
  strayFinal: [line: string];
  /** Bytes the decoder threw away. */
  discarded: [frame: Extract<AtFrame, { kind: 'discarded' }>];
  /** A command failed (for health counters): its text and why. */
  commandFailed: [command: string, reason: FailureReason];
  /** A command succeeded (resets the consecutive-failure counter). */
  commandSucceeded: [command: string];
  /** Many garbage items with no valid final result in between: probably the wrong baud rate. */
  baudMismatch: [garbageItems: number];
  /** Wire traffic for trace logging: direction and exact bytes. */
  traffic: [direction: 'tx' | 'rx', bytes: Uint8Array];
  /** The transport closed under the session (EIO, USB unplug) or by close(). */
  closed: [error: Error | null];
}

/** The knowledge of URCs the session needs: is this line a known URC start, and how many lines follow it. */
export interface UrcShape {
  /** null: not a known URC. Otherwise the number of trailing lines that belong to it (+CMT / +CDS: 1). */
  trailingLines(line: string): number | null;
}
