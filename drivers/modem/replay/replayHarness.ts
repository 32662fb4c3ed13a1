/**
 * The trace replay harness (STYLE.md rule 34): one recorded command and the
 * modem's answer, driven through the real AtSession.
 *
 *   ReplayCase (tx, rx with pauses)          test/fixtures/at-traces/*.json
 *        │ commandForTx(tx)
 *        ▼
 *   AtSession.send(cmd) ──write──▶ LoopbackTransport ──onHostWrite──▶ scripted DCE
 *        ▲                                                                │ rx segments, split per
 *        │ lines/URCs/finals ◀── TappingDecoder(AtLineDecoder) ◀──data────┘ SplitMode, pauses on FakeClock
 *        ▼
 *   ReplayRun: outcome, decoded lines, URC/stray events, written bytes, virtual time
 *
 * Everything runs in virtual time (gateway/core/FakeClock.ts): a pause in the
 * trace is a timer, a command timeout costs nothing. Test support only; the
 * product never loads traces.
 */
import { FakeClock } from '../../../gateway/core/FakeClock.ts';
import type { ErrorCode } from '../../../gateway/core/errors.ts';
import { silentLogger } from '../../../gateway/core/Logger.ts';
import { SeededRandom } from '../../../gateway/core/Random.ts';
import type { AtDecoder, AtFrame } from '../framing/AtFrame.ts';
import { AtLineDecoder } from '../framing/AtLineDecoder.ts';
import { urcShape } from '../messages/urcTable.ts';
import type { AtCommand, AtResponse, FailureReason, FinalResult } from '../session/AtCommand.ts';
import { isAtCommandError } from '../session/AtCommandError.ts';
import { AtSession } from '../session/AtSession.ts';
import { advance, recordEvents, type SplitMode, split, splitName } from '../session/testing.ts';
import { DEFAULT_AT_TIMEOUTS, timeoutFor } from '../session/timeouts.ts';
import { LoopbackTransport } from '../transport/LoopbackTransport.ts';
import { commandForTx } from './replayCommand.ts';
import type { ReplayCase, RxItem } from './traceCases.ts';

/** How the command ended, in a shape `toEqual` can compare across runs. */
export type ReplayOutcome =
  | { status: 'resolved'; response: AtResponse }
  | { status: 'rejected'; reason: FailureReason; code: ErrorCode; final: FinalResult | null; deviceCode: number | null }
  /** Still waiting after the pauses and the command's own timeout: the session hung. */
  | { status: 'pending' }
  /** The case has no command (unsolicited output). */
  | { status: 'noCommand' }
  /** send() rejected with something other than an AtCommandError (a session bug). */
  | { status: 'foreignError'; message: string };

/** One URC event of the session. */
export interface ReplayUrc {
  line: string;
  trailing: string[];
  known: boolean;
  /** Virtual ms after the start of the run. */
  atMs: number;
}

/** Everything one replay produced. */
export interface ReplayRun {
  /** `whole`, `bytes` or `random#<seed>`. */
  mode: string;
  /** The command sent, or null for unsolicited output. */
  command: AtCommand | null;
  outcome: ReplayOutcome;
  /** Every frame the decoder produced, in order: a line's text, `<prompt>`, or `<discarded:reason:hex>`. */
  frames: string[];
  /** The decoded lines only. */
  lines: string[];
  urcs: ReplayUrc[];
  /** Final results with no command waiting (`strayFinal`). */
  strays: string[];
  /** testing.ts `recordEvents` of the session (URCs, strays, discards, success/failure), in emission order. */
  events: unknown[][];
  /** All host writes as latin1. */
  written: string;
  /** Virtual ms from send() to its settlement; null if it never settled or there was no command. */
  settledAfterMs: number | null;
  /** Timers still pending after the run (should be none). */
  pendingTimers: string[];
  /** LoopbackTransport contract violations (should be none). */
  violations: string[];
}

export interface ReplayOptions {
  /** Use this command instead of `commandForTx(tx)` (a profile's own command with its quirks). */
  command?: AtCommand;
}

/**
 * Replay one case with the rx cut per `mode`: bytes between two pauses form
 * one segment, delivered as one read (`whole`), one read per byte (`bytes`)
 * or reads of 1–8 bytes from a SeededRandom (`{ seed }`). The scripted DCE
 * answers the first host write equal to `tx`; a case with no `tx` is
 * delivered at once with no command in flight.
 */
export async function replayCase(c: ReplayCase, mode: SplitMode, opts: ReplayOptions = {}): Promise<ReplayRun> {
  const transport = new LoopbackTransport();
  const clock = new FakeClock(0);
  const decoder = new TappingDecoder(new AtLineDecoder());
  const session = new AtSession({ transport, clock, logger: silentLogger, urcShape, decoder });
  const events = recordEvents(session);
  const urcs: ReplayUrc[] = [];
  const strays: string[] = [];
  session.on('urc', (line, trailing, known) => urcs.push({ line, trailing: [...trailing], known, atMs: clock.now() }));
  session.on('strayFinal', (line) => strays.push(line));

  const rnd = typeof mode === 'object' ? new SeededRandom(mode.seed) : undefined;
  const segments = toSegments(c.rx);
  const playDce = () => {
    for (const s of segments) {
      const deliver = () => {
        for (const chunk of split(s.data, mode, rnd)) transport.deviceWrite(chunk);
      };
      if (s.atMs === 0) deliver();
      else clock.setTimer('replay.dcePause', s.atMs, deliver);
    }
  };

  const command = c.tx === null ? null : (opts.command ?? commandForTx(c.tx));
  let outcome: ReplayOutcome = { status: command ? 'pending' : 'noCommand' };
  let settledAfterMs: number | null = null;
  if (command && c.tx !== null) {
    const tx = c.tx;
    let answered = false;
    transport.onHostWrite((_, text) => {
      if (answered || text !== tx) return;
      answered = true;
      playDce();
    });
    const start = clock.now();
    void session.send(command).then(
      (response) => {
        outcome = { status: 'resolved', response };
        settledAfterMs = clock.now() - start;
      },
      (e: unknown) => {
        outcome = rejected(e);
        settledAfterMs = clock.now() - start;
      },
    );
  } else {
    playDce();
  }

  const lastPause = segments.at(-1)?.atMs ?? 0;
  await advance(clock, lastPause + (command ? timeoutFor(DEFAULT_AT_TIMEOUTS, command.timeout) : 0) + 1_000);
  const pendingTimers = clock.pendingTimers();
  await session.close();

  return {
    mode: splitName(mode),
    command,
    outcome,
    frames: decoder.frames.map(frameText),
    lines: decoder.frames.flatMap((f) => (f.kind === 'line' ? [f.text] : [])),
    urcs,
    strays,
    events,
    written: transport.writtenText,
    settledAfterMs,
    pendingTimers,
    violations: [...transport.violations],
  };
}

/** One read burst of the DCE: bytes, and when (virtual ms after the host's write) they are sent. */
interface Segment {
  atMs: number;
  data: string;
}

/** Join the strings between pauses; each pause (seconds) moves the following bytes later. */
export function toSegments(rx: readonly RxItem[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  let open: Segment | null = null;
  for (const item of rx) {
    if (typeof item === 'number') {
      at += Math.round(item * 1000);
      open = null;
      continue;
    }
    if (open) open.data += item;
    else out.push((open = { atMs: at, data: item }));
  }
  return out;
}

function rejected(e: unknown): ReplayOutcome {
  if (!isAtCommandError(e)) return { status: 'foreignError', message: String(e) };
  return { status: 'rejected', reason: e.reason, code: e.code, final: e.final, deviceCode: e.deviceCode };
}

function frameText(f: AtFrame): string {
  if (f.kind === 'line') return f.text;
  if (f.kind === 'prompt') return '<prompt>';
  return `<discarded:${f.reason}:${Buffer.from(f.bytes).toString('hex')}>`;
}

/** An AtDecoder that records every frame the real decoder gives the session. */
export class TappingDecoder implements AtDecoder {
  readonly frames: AtFrame[] = [];

  constructor(private readonly inner: AtDecoder) {}

  get expectPrompt(): boolean {
    return this.inner.expectPrompt;
  }

  set expectPrompt(on: boolean) {
    this.inner.expectPrompt = on;
  }

  push(chunk: Uint8Array): AtFrame[] {
    const frames = this.inner.push(chunk);
    this.frames.push(...frames);
    return frames;
  }

  reset(): void {
    this.inner.reset();
  }
}
