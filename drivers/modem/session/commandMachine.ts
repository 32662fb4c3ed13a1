import type { FailureReason, FinalResult } from './AtCommand.ts';

/**
 * One AT command's life as a pure transition table (STYLE.md rules 11 and 17,
 * after zwave-js `SerialAPICommandMachine.ts`):
 *
 *   idle → writing → awaitingFinal → done | failed
 *                 ↘ awaitingPrompt → writingPayload → awaitingFinal
 *
 * `writingPayload` is the second write of AT+CMGS (payload + Ctrl-Z, 27.005
 * §3.5.1). The executor (Transaction.ts) feeds inputs and performs the
 * returned actions; this file does no I/O and knows no clock.
 */
export type CommandState = 'idle' | 'writing' | 'awaitingPrompt' | 'writingPayload' | 'awaitingFinal' | 'done' | 'failed';

export type CommandInput =
  | { kind: 'start' }
  /** The command line (text + CR) left the process. */
  | { kind: 'commandWritten' }
  /** Payload + Ctrl-Z left the process. */
  | { kind: 'payloadWritten' }
  | { kind: 'writeFailed' }
  | { kind: 'prompt' }
  /** The command's `beforePayload` hook threw on the way to writing the payload: it must not go out. */
  | { kind: 'payloadRefused' }
  | { kind: 'final'; result: FinalResult }
  /** A `completesOn` line: success without a final (Wavecom `+CPIN: READY`, gsm-modems.md P6). */
  | { kind: 'complete' }
  | { kind: 'timeout' }
  | { kind: 'abort'; reason: Extract<FailureReason, 'aborted' | 'rebooted' | 'portClosed'> };

export type CommandInputKind = CommandInput['kind'];

/** What the executor must do on a transition. */
export type CommandAction = 'writeCommand' | 'armPromptTimer' | 'writePayload' | 'armFinalTimer' | 'writeEscape';

export interface CommandNext {
  state: CommandState;
  /** Set when `state` is 'failed'. */
  reason?: FailureReason;
  actions: CommandAction[];
}

/** Facts about the command the table needs. */
export interface CommandContext {
  hasPayload: boolean;
}

type Handler<K extends CommandInputKind> = (input: Extract<CommandInput, { kind: K }>, ctx: CommandContext) => CommandNext;
type Row = { [K in CommandInputKind]?: Handler<K> };

const go = (state: CommandState, ...actions: CommandAction[]): CommandNext => ({ state, actions });
const fail = (reason: FailureReason, ...actions: CommandAction[]): CommandNext => ({ state: 'failed', reason, actions });

/** The failure a final result means, or null for a success (OK, CONNECT). */
export function failureOfFinal(f: FinalResult): FailureReason | null {
  switch (f.kind) {
    case 'ok':
    case 'connect':
      return null;
    case 'error':
    case 'cme':
    case 'cms':
    case 'noCarrier':
    case 'busy':
    case 'noAnswer':
    case 'noDialtone':
      return f.kind;
  }
}

/** A final result while waiting for the final. */
const onFinal: Handler<'final'> = (i) => {
  const reason = failureOfFinal(i.result);
  return reason === null ? go('done') : fail(reason);
};

/** A final before the prompt: an error ends AT+CMGS; an OK without a prompt means the payload was never asked for. */
const onFinalBeforePrompt: Handler<'final'> = (i, ctx) => (ctx.hasPayload ? fail(failureOfFinal(i.result) ?? 'error') : onFinal(i, ctx));

const onAbort: Handler<'abort'> = (i) => fail(i.reason);

export const COMMAND_TABLE: Readonly<Record<CommandState, Row>> = {
  idle: {
    start: () => go('writing', 'writeCommand'),
    abort: onAbort,
  },
  writing: {
    // The prompt timer (and every timer) starts only after the write resolved (STYLE.md rule 9).
    commandWritten: (_, ctx) => (ctx.hasPayload ? go('awaitingPrompt', 'armPromptTimer') : go('awaitingFinal', 'armFinalTimer')),
    // A fast modem's prompt can beat the drain callback: the payload write queues behind the command's.
    prompt: (_, ctx) => (ctx.hasPayload ? go('writingPayload', 'writePayload') : go('writing')),
    final: onFinalBeforePrompt,
    complete: () => go('done'),
    writeFailed: () => fail('portClosed'),
    abort: onAbort,
  },
  awaitingPrompt: {
    prompt: () => go('writingPayload', 'writePayload'),
    final: onFinalBeforePrompt,
    // No prompt in time: ESC cancels the SMS, else the modem takes the next commands as text (gsm-modems.md §6).
    timeout: () => fail('promptTimeout', 'writeEscape'),
    abort: (i) => (i.reason === 'aborted' ? fail('aborted', 'writeEscape') : fail(i.reason)),
  },
  writingPayload: {
    commandWritten: () => go('writingPayload'),
    // Nothing of the payload was written: ESC leaves the prompt as a prompt timeout does (gsm-modems.md §6).
    payloadRefused: () => fail('payloadNotSent', 'writeEscape'),
    payloadWritten: () => go('awaitingFinal', 'armFinalTimer'),
    final: onFinal,
    complete: () => go('done'),
    writeFailed: () => fail('portClosed'),
    abort: onAbort,
  },
  awaitingFinal: {
    final: onFinal,
    complete: () => go('done'),
    timeout: () => fail('timeout'),
    abort: onAbort,
  },
  done: {},
  failed: {},
};

/** Apply one input; null when the input means nothing in this state (ignored, state unchanged). */
export function stepCommand(state: CommandState, input: CommandInput, ctx: CommandContext): CommandNext | null {
  const handler = COMMAND_TABLE[state][input.kind] as Handler<typeof input.kind> | undefined;
  // The row was looked up by input.kind, so the handler takes exactly this input; TS cannot correlate the two.
  return handler ? handler(input as never, ctx) : null;
}

export function isTerminal(state: CommandState): boolean {
  return state === 'done' || state === 'failed';
}
