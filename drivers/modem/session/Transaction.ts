import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { latin1Encode } from '../framing/latin1.ts';
import type { AtCommand, AtResponse, FailureReason, FinalResult } from './AtCommand.ts';
import { type CommandAction, type CommandInput, type CommandNext, type CommandState, isTerminal, stepCommand } from './commandMachine.ts';
import type { Route } from './routeLine.ts';
import { type AtTimeouts, timeoutFor } from './timeouts.ts';

/** How one execution of a command ended. */
export type Outcome =
  | {
      ok: true;
      response: AtResponse;
      /** Ended by a `completesOn` line rather than a final result (a standard modem's OK may still follow). */
      early: boolean;
    }
  | {
      ok: false;
      reason: FailureReason;
      final?: FinalResult;
      waitedMs?: number;
      /** A resync marker timed out and the last thing received was an error final: the modem may refuse the marker. */
      markerRefused?: boolean;
      /** What `beforePayload` threw (reason 'payloadNotSent'). */
      cause?: unknown;
    };

export type AbortReason = Extract<FailureReason, 'aborted' | 'rebooted' | 'portClosed'>;

/** What the executor needs from its session. */
export interface TransactionDeps {
  clock: Clock;
  timeouts: AtTimeouts;
  /** The session's serialised write (one write at a time on the port). */
  write(bytes: Uint8Array): Promise<void>;
  /** Tell the decoder whether a `>` prompt is possible now. */
  setExpectPrompt(on: boolean): void;
  /** Called synchronously on done/failed, before `done` resolves, so events keep wire order. */
  onSettled(outcome: Outcome): void;
}

const CTRL_Z = 0x1a;
const ESC = 0x1b;

/**
 * The executor of one AT command (zwave-js `Driver.executeSerialAPICommand`
 * to commandMachine.ts's `SerialAPICommandMachine`): feeds inputs to the
 * pure table, performs its actions (writes, timers on the injected clock)
 * and collects the answer lines the router hands it. The session arms it
 * (makes it current for routing) before `start()` writes anything.
 */
export class Transaction {
  readonly done: Promise<Outcome>;
  private state_: CommandState = 'idle';
  private readonly lines: string[] = [];
  private bodyOwed_ = 0;
  private timer: Timer | null = null;
  private timerMs = 0;
  private resolve!: (o: Outcome) => void;
  private readonly hasPayload: boolean;
  private markerSeen = false;
  private lastStaleWasError = false;
  private discarded = 0;
  /** An input an action produced (beforePayload threw), fed once the current transition is applied. */
  private followUp: CommandInput | null = null;
  private refusedBy: unknown = undefined;

  constructor(
    readonly command: AtCommand,
    private readonly deps: TransactionDeps,
  ) {
    this.hasPayload = command.payload !== undefined;
    this.done = new Promise((r) => (this.resolve = r));
  }

  get state(): CommandState {
    return this.state_;
  }

  /** Body lines still owed to the last information line (for routeLine). */
  get bodyOwed(): number {
    return this.bodyOwed_;
  }

  get settled(): boolean {
    return isTerminal(this.state_);
  }

  /** A resync marker still waiting for its value (routeLine drops stale answers meanwhile). */
  get awaitingMarker(): boolean {
    return this.command.marker !== undefined && !this.markerSeen;
  }

  /** The decoder threw bytes away while this command was in flight: its answer may lack a line. */
  noteDiscarded(): void {
    if (!this.settled) this.discarded++;
  }

  /** Write the command (and expect the prompt first if it has a payload). */
  start(): void {
    // Armed before the write: a fast modem's `> ` can arrive before the drain callback.
    if (this.hasPayload) this.deps.setExpectPrompt(true);
    this.input({ kind: 'start' });
  }

  /** A line the router gave to this command. */
  line(route: Route, text: string): void {
    if (this.settled) return;
    switch (route.kind) {
      case 'info':
        this.lines.push(text);
        this.bodyOwed_ = route.bodyLines;
        return;
      case 'body':
        this.lines.push(text);
        this.bodyOwed_ = Math.max(0, this.bodyOwed_ - 1);
        return;
      case 'complete':
        this.lines.push(text);
        return this.input({ kind: 'complete' });
      case 'marker':
        this.lines.push(text);
        this.markerSeen = true;
        this.lastStaleWasError = false;
        return;
      case 'stale':
        this.lastStaleWasError = route.result !== undefined && route.result.kind !== 'ok';
        return;
      case 'final':
        return this.input({ kind: 'final', result: route.result });
      default:
        return; // echo; URCs and strays never reach a transaction
    }
  }

  prompt(): void {
    this.input({ kind: 'prompt' });
  }

  abort(reason: AbortReason): void {
    this.input({ kind: 'abort', reason });
  }

  private input(i: CommandInput): void {
    if (this.settled) return;
    const next = stepCommand(this.state_, i, { hasPayload: this.hasPayload });
    if (!next) return;
    this.state_ = next.state;
    for (const a of next.actions) this.act(a);
    if (isTerminal(next.state)) return this.finish(next, i);
    const followUp = this.followUp;
    this.followUp = null;
    if (followUp) this.input(followUp);
  }

  private act(a: CommandAction): void {
    const { command, deps } = this;
    switch (a) {
      case 'writeCommand':
        return this.writeThen(latin1Encode(command.text + '\r'), { kind: 'commandWritten' });
      case 'writePayload': {
        this.clearTimer();
        deps.setExpectPrompt(false);
        if (command.beforePayload && !this.allowPayload(command.beforePayload)) return;
        const body = latin1Encode(command.payload ?? '');
        const bytes = new Uint8Array(body.length + 1);
        bytes.set(body);
        bytes[body.length] = CTRL_Z; // 27.005 §3.5.1: <ctrl-Z> ends the PDU/text
        return this.writeThen(bytes, { kind: 'payloadWritten' });
      }
      case 'armPromptTimer':
        return this.arm('at.prompt', deps.timeouts.promptWait);
      case 'armFinalTimer':
        return this.arm('at.timeout', this.hasPayload ? deps.timeouts.smsBody : timeoutFor(deps.timeouts, command.timeout));
      case 'writeEscape':
        // Best effort: if the port is gone there is nothing to cancel.
        deps.write(Uint8Array.of(ESC)).catch(() => undefined);
        return;
    }
  }

  /** Run the at-most-once hook; false (and the refusal queued) when it threw, so nothing is written. */
  private allowPayload(hook: () => void): boolean {
    try {
      hook();
      return true;
    } catch (e) {
      this.refusedBy = e;
      this.followUp = { kind: 'payloadRefused' };
      return false;
    }
  }

  private writeThen(bytes: Uint8Array, then: CommandInput): void {
    this.deps.write(bytes).then(
      () => this.input(then),
      () => this.input({ kind: 'writeFailed' }),
    );
  }

  private arm(name: string, ms: number): void {
    this.clearTimer();
    this.timerMs = ms;
    this.timer = this.deps.clock.setTimer(name, ms, () => {
      this.timer = null;
      this.input({ kind: 'timeout' });
    });
  }

  private clearTimer(): void {
    this.timer?.clear();
    this.timer = null;
  }

  private finish(next: CommandNext, cause: CommandInput): void {
    this.clearTimer();
    if (this.hasPayload) this.deps.setExpectPrompt(false);
    const final = cause.kind === 'final' ? cause.result : undefined;
    let outcome: Outcome;
    if (next.state === 'done') {
      // A completesOn line ends the command without a final; report it as OK.
      const response: AtResponse = { command: this.command.text, lines: [...this.lines], final: final ?? { kind: 'ok' } };
      if (this.discarded > 0) response.discarded = this.discarded;
      outcome = { ok: true, early: !final, response };
    } else {
      const waited = cause.kind === 'timeout' ? { waitedMs: this.timerMs } : {};
      const refused = cause.kind === 'timeout' && this.awaitingMarker && this.lastStaleWasError ? { markerRefused: true } : {};
      const refusal = next.reason === 'payloadNotSent' ? { cause: this.refusedBy } : {};
      outcome = { ok: false, reason: next.reason ?? 'error', ...(final ? { final } : {}), ...waited, ...refused, ...refusal };
    }
    this.deps.onSettled(outcome);
    this.resolve(outcome);
  }
}
