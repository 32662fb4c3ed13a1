import { isCallFinal, parseFinalResult } from '../framing/finalResult.ts';
import type { AtCommand, FailureReason, FinalResult } from '../session/AtCommand.ts';
import { failureOfFinal } from '../session/commandMachine.ts';
import type { ReplayRun } from './replayHarness.ts';
import type { RxItem } from './traceCases.ts';

/**
 * Test support: the no-loss accounting of a replay. Every line the decoder
 * produced must come out of the session exactly once, as the echo, an
 * information line of the response, the final result, a URC (or one of its
 * trailing lines) or a stray final; and what the trace's own final result
 * says must be how the command ended.
 */

/** Where each decoded line went. `lost` and `extra` must be empty. */
export interface LineAccount {
  echo: string[];
  response: string[];
  final: string[];
  /** URC lines and their trailing lines. */
  urc: string[];
  stray: string[];
  /** Decoded lines no output accounts for (dropped by the session), in decoded order. */
  lost: string[];
  /** Output lines the decoder never produced as often (duplicated or invented by the session). */
  extra: string[];
}

/**
 * The lines of an rx list as a plain splitter sees them, independent of
 * AtLineDecoder: CR and LF both end a line, empty lines vanish, NUL and
 * Ctrl-Z are skipped (gsm-modems.md P1/P2, framing/AtLineDecoder.ts rules).
 */
export function plainLines(rx: readonly RxItem[]): string[] {
  return rx
    .flatMap((item) => (typeof item === 'string' ? [item] : []))
    .join('')
    // eslint-disable-next-line no-control-regex -- NUL padding and Ctrl-Z in the capture are what is dropped
    .replace(/[\x00\x1a]/g, '')
    .split(/[\r\n]+/)
    .filter((l) => l !== '');
}

/** Account for every decoded line of `run` (see {@link LineAccount}). */
export function accountLines(run: ReplayRun): LineAccount {
  const acct: LineAccount = { echo: [], response: [], final: [], urc: [], stray: [], lost: [], extra: [] };
  const pool = new Map<string, number>();
  for (const l of run.lines) pool.set(l, (pool.get(l) ?? 0) + 1);
  const take = (line: string, bucket: string[]): void => {
    const n = pool.get(line) ?? 0;
    if (n === 0) return void acct.extra.push(line);
    pool.set(line, n - 1);
    bucket.push(line);
  };

  if (run.outcome.status === 'resolved') for (const l of run.outcome.response.lines) take(l, acct.response);
  for (const u of run.urcs) for (const l of [u.line, ...u.trailing]) take(l, acct.urc);
  for (const l of run.strays) take(l, acct.stray);
  const final = finalOfRun(run);
  if (final) {
    const line = [...pool.entries()].find(([l, n]) => n > 0 && sameFinal(parseFinalResult(l), final))?.[0];
    if (line === undefined) acct.extra.push(`<final ${JSON.stringify(final)}>`);
    else take(line, acct.final);
  }
  const echo = run.command?.text.toUpperCase();
  for (const [l, n] of pool) if (l.toUpperCase() === echo) for (let i = 0; i < n; i++) take(l, acct.echo);
  for (const l of run.lines) {
    const n = pool.get(l) ?? 0;
    if (n === 0) continue;
    pool.set(l, n - 1);
    acct.lost.push(l);
  }
  return acct;
}

/**
 * The final result that ended the run's command on the wire, if one did:
 * null for a timeout, for unsolicited output, and for a success by a
 * `completesOn` line (then the session reports `ok` without having seen one).
 */
function finalOfRun(run: ReplayRun): FinalResult | null {
  const o = run.outcome;
  if (o.status === 'rejected') return o.final;
  if (o.status !== 'resolved') return null;
  const early = run.command?.completesOn?.some((p) => o.response.lines.some((l) => l.startsWith(p))) ?? false;
  return early ? null : o.response.final;
}

function sameFinal(a: FinalResult | null, b: FinalResult): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** What the trace itself says about how `command` ends. */
export type ExpectedEnd =
  | { kind: 'resolved'; final: FinalResult }
  | { kind: 'rejected'; reason: FailureReason; final: FinalResult }
  /** The trace holds no final result for this command. */
  | { kind: 'noFinal' };

/**
 * Read the trace, not the session: the first line (after the echo) that is a
 * final result for `command` ends it. NO CARRIER/BUSY/NO ANSWER/NO DIALTONE
 * count only for `finals: 'dial'` (elsewhere they are call-ended URCs, P5).
 */
export function expectedEnd(rx: readonly RxItem[], command: AtCommand): ExpectedEnd {
  const echo = command.text.toUpperCase();
  for (const line of plainLines(rx)) {
    if (line.toUpperCase() === echo) continue;
    const f = parseFinalResult(line);
    if (!f || (isCallFinal(f) && command.finals !== 'dial')) continue;
    const reason = failureOfFinal(f);
    return reason === null ? { kind: 'resolved', final: f } : { kind: 'rejected', reason, final: f };
  }
  return { kind: 'noFinal' };
}
