import { describe, expect, it } from 'vitest';
import { createBitmap } from '../../../wallboard/bitmap/Bitmap.ts';
import { scrollFrame } from './scroll.ts';
import { alphanumericText, cellCount, matrixLine, segmentValue, sevenSegmentText } from './segmentText.ts';
import { LONGEST, placeholder, SL, view, WAITING } from './testViews.ts';

describe('segment value rules', () => {
  const cases: Array<[latin: string, colon: 'centre' | 'none', width: number, shown: string]> = [
    ['42', 'centre', 4, '42'],
    ['97%', 'centre', 4, '97'],
    ['02:15', 'centre', 4, '02:15'],
    ['2:15', 'centre', 4, '2:15'],
    ['02:15', 'none', 4, '02.15'],
    ['1:02:15', 'centre', 4, '1h02'],
    ['4.3', 'centre', 4, '4.3'],
    ['--', 'centre', 4, '--'],
    ['12345', 'centre', 4, '----'],
    ['12345', 'none', 8, '12345'],
  ];
  for (const [latin, colon, width, shown] of cases) {
    it(`"${latin}" on ${width} digits (colon ${colon}) → "${shown}"`, () => {
      expect(segmentValue(latin, { width, colon })).toBe(shown);
    });
  }

  it('"12:02:15" (over ten hours) does not fit four digits and shows dashes', () => {
    expect(segmentValue('12:02:15', { width: 4, colon: 'centre' })).toBe('----');
  });

  it('counts cells: a dot after a character and a colon take none', () => {
    expect([cellCount('02.15'), cellCount('2:15'), cellCount('.5'), cellCount('1..2')]).toEqual([4, 3, 2, 3]);
  });

  it('7-segment shows the value alone; placeholder views show dashes across', () => {
    expect(sevenSegmentText(view([SL('97%')]), SL('97%'), { width: 4, colon: 'centre' })).toBe('97');
    expect(sevenSegmentText(placeholder([SL('97%')]), SL('97%'), { width: 4, colon: 'centre' })).toBe('----');
  });
});

describe('alphanumeric rule', () => {
  it('"W 12" when the value takes two characters at most', () => {
    expect(alphanumericText(view([WAITING('12')]), WAITING('12'), 0)).toEqual({ text: 'W 12', nextChangeMs: null });
    expect(alphanumericText(view([WAITING('3')]), WAITING('3'), 0).text).toBe('W  3');
    expect(alphanumericText(view([WAITING('--')]), { ...WAITING('--'), stale: true }, 0).text).toBe('W --');
  });

  it('otherwise the short label, then the value, every 2 s', () => {
    const v = view([LONGEST('02:15')]);
    expect(alphanumericText(v, LONGEST('02:15'), 500)).toEqual({ text: 'LONG', nextChangeMs: 1500 });
    expect(alphanumericText(v, LONGEST('02:15'), 2000)).toEqual({ text: '02.15', nextChangeMs: 2000 });
    expect(alphanumericText(v, SL('100%'), 0).text).toBe('SL  ');
  });
});

describe('matrix line', () => {
  it('label and value on English boards, short label elsewhere; blinks on a critical item', () => {
    expect(matrixLine(view([WAITING('12', 'crit'), LONGEST('02:15')]))).toEqual({ text: 'Waiting 12  Longest wait 02:15', dir: 'ltr', blink: true });
    expect(matrixLine(view([WAITING('12')], { lang: 'fa', dir: 'rtl' }))).toEqual({ text: 'WAIT 12', dir: 'ltr', blink: false });
  });

  it('the supervisor message during its turn, in the board direction', () => {
    const v = view([WAITING('12')], { message: { text: 'Storm', level: 'critical', until: 0 }, messageTurn: true });
    expect(matrixLine(v)).toEqual({ text: 'Storm', dir: 'ltr', blink: true });
  });
});

describe('scrollFrame', () => {
  it('enters from the right and moves one column per step', () => {
    const text = createBitmap(20, 7);
    text.data[0] = 1; // the text's first column, top row
    const at = (ms: number): number => scrollFrame(text, 16, ms).window.data.indexOf(1);
    expect([at(0), at(50), at(100), at(16 * 50)]).toEqual([-1, 15, 14, 0]);
    expect(scrollFrame(text, 16, 120).nextChangeMs).toBe(30);
  });
});
