import { describe, expect, it } from 'vitest';
import type { FinalResult } from './AtCommand.ts';
import { COMMAND_TABLE, type CommandAction, type CommandInput, type CommandState, failureOfFinal, stepCommand } from './commandMachine.ts';

const OK: FinalResult = { kind: 'ok' };
const CME14: FinalResult = { kind: 'cme', code: 14, text: '14' };
const CMS500: FinalResult = { kind: 'cms', code: 500, text: '500' };
const BUSY: FinalResult = { kind: 'busy' };

interface Row {
  from: CommandState;
  input: CommandInput;
  payload?: boolean;
  to: CommandState | null; // null: ignored
  reason?: string;
  actions?: CommandAction[];
}

/** One row per case (STYLE.md rule 17). */
const ROWS: Row[] = [
  { from: 'idle', input: { kind: 'start' }, to: 'writing', actions: ['writeCommand'] },
  { from: 'idle', input: { kind: 'abort', reason: 'portClosed' }, to: 'failed', reason: 'portClosed' },
  { from: 'writing', input: { kind: 'commandWritten' }, to: 'awaitingFinal', actions: ['armFinalTimer'] },
  { from: 'writing', input: { kind: 'commandWritten' }, payload: true, to: 'awaitingPrompt', actions: ['armPromptTimer'] },
  { from: 'writing', input: { kind: 'prompt' }, payload: true, to: 'writingPayload', actions: ['writePayload'] },
  { from: 'writing', input: { kind: 'prompt' }, to: 'writing', actions: [] },
  { from: 'writing', input: { kind: 'final', result: OK }, to: 'done' },
  { from: 'writing', input: { kind: 'final', result: OK }, payload: true, to: 'failed', reason: 'error' },
  { from: 'writing', input: { kind: 'final', result: CME14 }, to: 'failed', reason: 'cme' },
  { from: 'writing', input: { kind: 'complete' }, to: 'done' },
  { from: 'writing', input: { kind: 'writeFailed' }, to: 'failed', reason: 'portClosed' },
  { from: 'writing', input: { kind: 'timeout' }, to: null },
  { from: 'writing', input: { kind: 'abort', reason: 'aborted' }, to: 'failed', reason: 'aborted' },
  { from: 'awaitingPrompt', input: { kind: 'prompt' }, payload: true, to: 'writingPayload', actions: ['writePayload'] },
  { from: 'awaitingPrompt', input: { kind: 'final', result: CMS500 }, payload: true, to: 'failed', reason: 'cms' },
  { from: 'awaitingPrompt', input: { kind: 'final', result: OK }, payload: true, to: 'failed', reason: 'error' },
  { from: 'awaitingPrompt', input: { kind: 'timeout' }, payload: true, to: 'failed', reason: 'promptTimeout', actions: ['writeEscape'] },
  { from: 'awaitingPrompt', input: { kind: 'abort', reason: 'aborted' }, payload: true, to: 'failed', reason: 'aborted', actions: ['writeEscape'] },
  { from: 'awaitingPrompt', input: { kind: 'abort', reason: 'portClosed' }, payload: true, to: 'failed', reason: 'portClosed', actions: [] },
  { from: 'awaitingPrompt', input: { kind: 'commandWritten' }, payload: true, to: null },
  { from: 'writingPayload', input: { kind: 'commandWritten' }, payload: true, to: 'writingPayload', actions: [] },
  { from: 'writingPayload', input: { kind: 'payloadRefused' }, payload: true, to: 'failed', reason: 'payloadNotSent', actions: ['writeEscape'] },
  { from: 'awaitingPrompt', input: { kind: 'payloadRefused' }, payload: true, to: null },
  { from: 'writingPayload', input: { kind: 'payloadWritten' }, payload: true, to: 'awaitingFinal', actions: ['armFinalTimer'] },
  { from: 'writingPayload', input: { kind: 'final', result: CMS500 }, payload: true, to: 'failed', reason: 'cms' },
  { from: 'writingPayload', input: { kind: 'writeFailed' }, payload: true, to: 'failed', reason: 'portClosed' },
  { from: 'writingPayload', input: { kind: 'complete' }, payload: true, to: 'done' },
  { from: 'writingPayload', input: { kind: 'abort', reason: 'rebooted' }, payload: true, to: 'failed', reason: 'rebooted' },
  { from: 'writingPayload', input: { kind: 'prompt' }, payload: true, to: null },
  { from: 'awaitingFinal', input: { kind: 'final', result: OK }, to: 'done', actions: [] },
  { from: 'awaitingFinal', input: { kind: 'final', result: { kind: 'connect', text: '9600' } }, to: 'done' },
  { from: 'awaitingFinal', input: { kind: 'final', result: BUSY }, to: 'failed', reason: 'busy' },
  { from: 'awaitingFinal', input: { kind: 'final', result: { kind: 'error', text: 'ERROR' } }, to: 'failed', reason: 'error' },
  { from: 'awaitingFinal', input: { kind: 'complete' }, to: 'done' },
  { from: 'awaitingFinal', input: { kind: 'timeout' }, to: 'failed', reason: 'timeout', actions: [] },
  { from: 'awaitingFinal', input: { kind: 'abort', reason: 'rebooted' }, to: 'failed', reason: 'rebooted' },
  { from: 'awaitingFinal', input: { kind: 'prompt' }, to: null },
  { from: 'done', input: { kind: 'final', result: OK }, to: null },
  { from: 'failed', input: { kind: 'timeout' }, to: null },
  { from: 'failed', input: { kind: 'abort', reason: 'aborted' }, to: null },
];

describe('commandMachine table', () => {
  for (const r of ROWS) {
    it(`${r.from} --${r.input.kind}${r.input.kind === 'final' ? `(${r.input.result.kind})` : ''}${r.payload ? ' [payload]' : ''}--> ${r.to ?? 'ignored'}`, () => {
      const next = stepCommand(r.from, r.input, { hasPayload: r.payload ?? false });
      if (r.to === null) return expect(next).toBeNull();
      expect(next?.state).toBe(r.to);
      expect(next?.reason).toBe(r.reason);
      if (r.actions) expect(next?.actions).toEqual(r.actions);
    });
  }

  it('every handler in the table is exercised by a row', () => {
    const covered = new Set(ROWS.map((r) => `${r.from}/${r.input.kind}`));
    const handlers = Object.entries(COMMAND_TABLE).flatMap(([state, row]) => Object.keys(row).map((k) => `${state}/${k}`));
    expect(handlers.filter((h) => !covered.has(h))).toEqual([]);
  });

  it('terminal states accept nothing; failures always carry a reason', () => {
    expect(Object.keys(COMMAND_TABLE.done)).toEqual([]);
    expect(Object.keys(COMMAND_TABLE.failed)).toEqual([]);
    for (const r of ROWS) {
      const next = stepCommand(r.from, r.input, { hasPayload: r.payload ?? false });
      if (next?.state === 'failed') expect(next.reason).toBeDefined();
    }
  });

  it('failureOfFinal maps every final kind', () => {
    const kinds: FinalResult[] = [OK, { kind: 'connect', text: '' }, { kind: 'error', text: 'ERROR' }, CME14, CMS500, { kind: 'noCarrier' }, BUSY, { kind: 'noAnswer' }, { kind: 'noDialtone' }];
    expect(kinds.map(failureOfFinal)).toEqual([null, null, 'error', 'cme', 'cms', 'noCarrier', 'busy', 'noAnswer', 'noDialtone']);
  });
});
