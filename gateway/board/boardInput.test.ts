import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../core/errors.ts';
import {
  BoardInputError,
  checkCounterName,
  checkCounterValue,
  checkMessageDuration,
  checkMessageLevel,
  checkMessageText,
  type BoardInputProblem,
} from './boardInput.ts';

function problemOf(fn: () => unknown): BoardInputProblem | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(BoardInputError);
    expect(isCcgateError(e, 'BOARD_INPUT_INVALID')).toBe(true);
    return (e as BoardInputError).problem;
  }
}

describe('counter names', () => {
  it.each(['email', 'whatsapp', 'social_dm', 'x', 'q2-chats', 'a' + 'b'.repeat(31)])('accepts %j', (name) => {
    expect(checkCounterName(name)).toBe(name);
  });
  it.each(['', 'Email', '2chats', '_x', '-x', 'a' + 'b'.repeat(32), 'e mail', 'ایمیل', 'email\n', 'a/b'])('refuses %j', (name) => {
    expect(problemOf(() => checkCounterName(name))).toBe('counterName');
  });
});

describe('counter values', () => {
  it.each([0, 1, 42, 1_000_000_000])('accepts %d', (v) => {
    expect(checkCounterValue(v)).toBe(v);
  });
  it.each([-1, 1.5, 1_000_000_001, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (v) => {
    expect(problemOf(() => checkCounterValue(v))).toBe('counterValue');
  });
});

describe('message text', () => {
  it('trims, and counts code points, not UTF-16 units', () => {
    expect(checkMessageText('  Team meeting at 14:00  ')).toBe('Team meeting at 14:00');
    // 160 astral characters are 320 UTF-16 units: still 160 characters.
    const astral = '😀'.repeat(160);
    expect(checkMessageText(astral)).toBe(astral);
    expect(problemOf(() => checkMessageText(astral + '😀'))).toBe('messageText');
    expect(checkMessageText('x'.repeat(160))).toHaveLength(160);
    expect(problemOf(() => checkMessageText('x'.repeat(161)))).toBe('messageText');
  });

  it('keeps Persian with ZWNJ and directional marks', () => {
    const fa = 'جلسه\u200Cی تیم ساعت ۱۴:۰۰ \u200Fدر اتاق B';
    expect(checkMessageText(fa)).toBe(fa);
  });

  it.each(['', '   ', '\t\n', 'line one\nline two', 'bell\u0007', 'c1\u0085x', 'lone \ud800 surrogate'])('refuses %j', (text) => {
    expect(problemOf(() => checkMessageText(text))).toBe('messageText');
  });

  it('names the control character found', () => {
    expect(() => checkMessageText('a\u001bb')).toThrow(/U\+001B/);
  });
});

describe('message level and duration', () => {
  it('accepts info and critical only', () => {
    expect(checkMessageLevel('info')).toBe('info');
    expect(checkMessageLevel('critical')).toBe('critical');
    expect(problemOf(() => checkMessageLevel('warn'))).toBe('messageLevel');
  });

  it.each([1_000, 600_000, 86_400_000])('accepts %d ms', (ms) => {
    expect(checkMessageDuration(ms)).toBe(ms);
  });
  it.each([0, 999, 86_400_001, 1500.5, Number.NaN])('refuses %d ms', (ms) => {
    expect(problemOf(() => checkMessageDuration(ms))).toBe('messageDuration');
  });
});
