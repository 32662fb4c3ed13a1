import { describe, expect, it } from 'vitest';
import { CcgateError, isCcgateError } from '../../../gateway/core/errors.ts';
import type { FailureReason } from './AtCommand.ts';
import { AtCommandError, errorCodeFor, isAtCommandError } from './AtCommandError.ts';

describe('AtCommandError', () => {
  it('maps every failure reason to one code', () => {
    const reasons: FailureReason[] = ['timeout', 'error', 'cme', 'cms', 'noCarrier', 'busy', 'noAnswer', 'noDialtone', 'promptTimeout', 'aborted', 'portClosed', 'rebooted'];
    expect(Object.fromEntries(reasons.map((r) => [r, errorCodeFor(r)]))).toEqual({
      timeout: 'AT_TIMEOUT',
      error: 'AT_ERROR',
      cme: 'AT_CME',
      cms: 'AT_CMS',
      noCarrier: 'AT_CALL_FAILED',
      busy: 'AT_CALL_FAILED',
      noAnswer: 'AT_CALL_FAILED',
      noDialtone: 'AT_CALL_FAILED',
      promptTimeout: 'AT_TIMEOUT',
      aborted: 'AT_ABORTED',
      portClosed: 'SERIAL_CLOSED',
      rebooted: 'AT_ABORTED',
    });
  });

  it('carries the device code and the looked-up text in fields and context', () => {
    const e = new AtCommandError({ reason: 'cme', command: 'AT+CSCA?', final: { kind: 'cme', code: 10, text: '10' }, lookup: (k, c) => (k === 'cme' && c === 10 ? 'SIM not inserted' : undefined) });
    expect(e).toBeInstanceOf(CcgateError);
    expect(isCcgateError(e, 'AT_CME')).toBe(true);
    expect(isAtCommandError(e, 'cme')).toBe(true);
    expect([e.deviceCode, e.deviceText, e.command, e.name]).toEqual([10, 'SIM not inserted', 'AT+CSCA?', 'AtCommandError']);
    expect(e.message).toBe('AT+CSCA?: cme 10 (SIM not inserted)');
    expect(e.context).toMatchObject({ command: 'AT+CSCA?', reason: 'cme', deviceCode: 10, deviceText: 'SIM not inserted' });
  });

  it('keeps a text-form CME error (AT+CMEE=2) and a bare ERROR as text', () => {
    const text = new AtCommandError({ reason: 'cme', command: 'AT+CPIN?', final: { kind: 'cme', code: null, text: 'SIM busy' } });
    expect([text.deviceCode, text.deviceText, text.message]).toEqual([null, 'SIM busy', 'AT+CPIN?: cme (SIM busy)']);
    const bare = new AtCommandError({ reason: 'error', command: 'AT^FOO', final: { kind: 'error', text: 'COMMAND NOT SUPPORT' } });
    expect(bare.message).toBe('AT^FOO: error (COMMAND NOT SUPPORT)');
    const numberOnly = new AtCommandError({ reason: 'cme', command: 'AT+X', final: { kind: 'cme', code: 3, text: '3' } });
    expect(numberOnly.message).toBe('AT+X: cme 3');
  });

  it('appends the enqueue stack', () => {
    const enqueuedAt = new Error('enqueued').stack;
    const e = new AtCommandError({ reason: 'timeout', command: 'AT', waitedMs: 2000, enqueuedAt });
    expect(e.message).toBe('AT: timeout after 2000 ms');
    expect(e.stack).toMatch(/--- command enqueued at ---\n\s+at .*AtCommandError\.test\.ts/);
    expect(isAtCommandError(new Error('x'))).toBe(false);
  });
});
