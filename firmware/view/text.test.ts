import { describe, expect, it } from 'vitest';
import { describeEvent, formatEvent } from './formatEvent.ts';
import { cell, clipLine, displayWidth, duration, mmss, percent, truncate } from './text.ts';

describe('text helpers', () => {
  it('measures Chinese as two cells, Persian ZWNJ and ANSI as none', () => {
    expect(displayWidth('李伟')).toBe(4);
    expect(displayWidth('می\u200Cخواهم')).toBe(7);
    expect(displayWidth('\x1b[31mab\x1b[0m')).toBe(2);
  });

  it('pads and truncates by cells', () => {
    expect(cell('李伟', 6)).toBe('李伟  ');
    expect(cell('7', 3, 'right')).toBe('  7');
    expect(truncate('李伟李伟', 5)).toBe('李伟…');
    expect(clipLine('\x1b[31mabcdef\x1b[0m', 3)).toBe('\x1b[31mabc\x1b[0m');
  });

  it('formats durations and rates, with "-" for no data', () => {
    expect(duration(65_000)).toBe('1:05');
    expect(duration(3_725_000)).toBe('1:02:05');
    expect(duration(null)).toBe('-');
    expect(mmss(134_000)).toBe('02:14');
    expect(percent(0.714)).toBe('71%');
    expect(percent(null)).toBe('-');
  });

  it('describes events in one line', () => {
    expect(formatEvent({ type: 'agentPaused', at: Date.UTC(2026, 0, 5, 6, 45, 3), seq: 1, agent: 'a3', reason: 'lunch', auto: false }, 'Asia/Tehran')).toBe('10:15:03 a3 paused (lunch)');
    expect(describeEvent({ type: 'trunkHealthChanged', at: 0, seq: 2, trunkId: 'gsm2', up: false, detail: 'no SIM' })).toBe('trunk gsm2 DOWN: no SIM');
    expect(describeEvent({ type: 'agentRung', at: 0, seq: 3, callId: 'c1', queue: 'q', agent: 'a1' })).toBe('agentRung c1');
  });
});
