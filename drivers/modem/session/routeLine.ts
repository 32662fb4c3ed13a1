import { isCallFinal, parseFinalResult } from '../framing/finalResult.ts';
import type { AtCommand, FinalResult } from './AtCommand.ts';
import type { UrcShape } from './AtSessionEvents.ts';

/** Where one received line goes (STYLE.md rule 10; gsm-modems.md P3, P5, P7, P11, P14). */
export type Route =
  /** The echo of the command or its payload: dropped (P7). */
  | { kind: 'echo' }
  /** The final result of the command in flight. */
  | { kind: 'final'; result: FinalResult }
  /** A `completesOn` line: part of the answer, and it ends the command. */
  | { kind: 'complete' }
  /** An information line of the answer; the next `bodyLines` lines are its body. */
  | { kind: 'info'; bodyLines: number }
  /** A body line owed to the last information line (the PDU after `+CMGR:`). */
  | { kind: 'body' }
  /** An unsolicited line; `trailing` lines after it belong to it (`+CMT:` + PDU). */
  | { kind: 'urc'; trailing: number; known: boolean }
  /** A trailing line owed to the last URC. */
  | { kind: 'urcTrailing' }
  /** A final result with no command waiting for it. */
  | { kind: 'strayFinal'; result: FinalResult }
  /** The resync marker's value: the answers before it were stale; the next final is the marker's. */
  | { kind: 'marker' }
  /** While the marker is awaited: a stale final result or answer line of an earlier command, dropped. */
  | { kind: 'stale'; result?: FinalResult };

/** The router's view of the session. */
export interface RouteContext {
  /** The command in flight (armed before its write), or null. */
  command: AtCommand | null;
  /** Body lines still owed to the command's last information line. */
  bodyOwed: number;
  /** Trailing lines still owed to the last URC; taken first, even mid-command. */
  urcOwed: number;
  /** The command is a resync marker whose value has not come yet. */
  awaitingMarker?: boolean;
}

/**
 * Route one line. Pure. Order:
 * 1. a URC's trailing lines (a `+CMT:` PDU is never part of a response);
 * 2. echo of the command text or payload; with a fixed `expect`, any line
 *    starting `AT` (echo back on after a reboot, gammu#115, faucamp#77);
 * 2a. while a resync marker (resyncMarker.ts) waits for its value: that
 *    value is the marker's; other bare numbers, final results and lines that
 *    are not known URCs are stale answers to earlier commands (P8, issue
 *    #9); known URCs and call-ended finals are still URCs;
 * 3. final results; NO CARRIER/BUSY/NO ANSWER/NO DIALTONE only for
 *    `finals: 'dial'`, else they are call-ended URCs (P5, warthog618
 *    `parseRxLine`). Finals win over owed body lines, so a missing body
 *    never turns the OK into data and hangs the command;
 * 4. owed body lines, except known URCs (RING between `+CMGR:` and its PDU,
 *    P14): in PDU mode a body is hex and cannot look like a URC;
 * 5. `completesOn`, then the expected prefixes (oFono's rule, P3), or for
 *    `expect: 'any'` everything that is not a known URC;
 * 6. everything else is a URC, known or not (P11).
 */
export function routeLine(line: string, ctx: RouteContext, urcs: UrcShape): Route {
  if (ctx.urcOwed > 0) return { kind: 'urcTrailing' };
  const cmd = ctx.command;
  if (cmd && isEcho(line, cmd)) return { kind: 'echo' };
  if (cmd?.marker !== undefined && ctx.awaitingMarker) return routeAwaitingMarker(line, cmd.marker, urcs);
  const final = parseFinalResult(line);
  if (final) {
    if (isCallFinal(final) && cmd?.finals !== 'dial') return { kind: 'urc', trailing: urcs.trailingLines(line) ?? 0, known: true };
    return cmd ? { kind: 'final', result: final } : { kind: 'strayFinal', result: final };
  }
  const urcTrailing = urcs.trailingLines(line);
  const urc: Route = { kind: 'urc', trailing: urcTrailing ?? 0, known: urcTrailing !== null };
  if (!cmd) return urc;
  if (ctx.bodyOwed > 0) return urcTrailing !== null ? urc : { kind: 'body' };
  if (cmd.completesOn?.some((p) => line.startsWith(p))) return { kind: 'complete' };
  if (cmd.expect === 'any') return urcTrailing !== null ? urc : { kind: 'info', bodyLines: cmd.bodyLines ?? 0 };
  if (cmd.expect?.some((p) => line.startsWith(p))) return { kind: 'info', bodyLines: cmd.bodyLines ?? 0 };
  return urc;
}

function routeAwaitingMarker(line: string, marker: number, urcs: UrcShape): Route {
  const t = line.trim();
  // S-register reads answer 3 digits with leading zeros (V.250 §5.3.2); some firmware drops the zeros.
  if (/^\d{1,5}$/.test(t)) return Number(t) === marker ? { kind: 'marker' } : { kind: 'stale' };
  const final = parseFinalResult(line);
  if (final && !isCallFinal(final)) return { kind: 'stale', result: final };
  const trailing = urcs.trailingLines(line);
  if (final || trailing !== null) return { kind: 'urc', trailing: trailing ?? 0, known: true };
  return { kind: 'stale' };
}

/**
 * The echo of `cmd`. Modems echo exactly what they got, but case-insensitively
 * is safer (some firmware upper-cases). The "starts with AT" rule is skipped
 * for `expect: 'any'`, whose bare-text answers (ATI, AT+CGMM) could start so.
 */
function isEcho(line: string, cmd: AtCommand): boolean {
  if (line.toUpperCase() === cmd.text.toUpperCase()) return true;
  if (cmd.payload !== undefined && line === cmd.payload) return true;
  return cmd.expect !== 'any' && /^AT/i.test(line);
}
