import { describe, expect, it } from 'vitest';
import { parseDtmf, parseDtmfUrc, qtonedetToDigit } from './dtmf.ts';

describe('parseDtmf (gsm-modems.md §5.5, §10 scenario 4)', () => {
  it.each([
    ['+DTMF: 5', '5', null, '+DTMF'],
    ['+DTMF:5', '5', null, '+DTMF'],
    ['+DTMF:1', '1', null, '+DTMF'],
    ['+DTMF: *,200', '*', 200, '+DTMF'],
    ['+DTMF: 1,40', '1', 40, '+DTMF'],
    ['+RXDTMF: 8', '8', null, '+RXDTMF'],
    ['+RXDTMF: #', '#', null, '+RXDTMF'],
    ['+RXDTMF: A', 'A', null, '+RXDTMF'],
    ['+QTONEDET: 35', '#', null, '+QTONEDET'],
    ['+QTONEDET: 56', '8', null, '+QTONEDET'],
    ['+QTONEDET: 42', '*', null, '+QTONEDET'],
    ['+QTONEDET: 68', 'D', null, '+QTONEDET'],
    ['^DDTMF: 1', '1', null, '^DDTMF'],
    ['^DTMF:9', '9', null, '^DTMF'],
  ])('%s → %s', (line, digit, durationMs, source) => {
    expect(parseDtmf(line)).toEqual({ digit, durationMs, source });
  });

  it.each(['+DTMF: E', '+DTMF: 12', '+DTMF:', '+QTONEDET: 8', '+QTONEDET: 69', '+QTONEDET: x', '^DDTMF: a', 'DTMF: 1'])(
    'rejects %j',
    (line) => {
      expect(parseDtmf(line)).toBeNull();
    },
  );

  it('never leaves a stray CR in the digit (SIM7600 \\r\\r\\n, P1)', () => {
    expect(parseDtmf('+RXDTMF: 8\r')?.digit).toBe('8');
  });

  it('scenario 4 sequence yields 8 # 5 * 1 8', () => {
    const lines = ['+RXDTMF: 8', '+QTONEDET: 35', '+DTMF:5', '+DTMF: *,200', '^DDTMF: 1', '+RXDTMF: 8'];
    expect(lines.map((l) => parseDtmfUrc(l)).map((u) => (u?.kind === 'dtmf' ? u.digit : null))).toEqual(['8', '#', '5', '*', '1', '8']);
  });

  it('maps every QTONEDET ASCII code and nothing else', () => {
    const mapped = Array.from({ length: 128 }, (_, i) => qtonedetToDigit(i)).filter((d) => d !== null);
    expect(mapped.join('')).toBe('#*0123456789ABCD');
    expect(qtonedetToDigit(-1)).toBeNull();
    expect(qtonedetToDigit(1000)).toBeNull();
  });
});
