import { describe, expect, it } from 'vitest';
import { localDayBounds, quietUntil } from './manners.ts';
import { fillText, isStopWord, parseScore, pickText } from './texts.ts';

const TZ = 'Asia/Tehran'; // UTC+03:30, no DST since 2022
const at = (hhmm: string) => Date.UTC(2026, 0, 5, 0, 0) - 3.5 * 3_600_000 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;

describe('quiet hours', () => {
  const quiet = { from: '21:00', to: '08:00' };
  it('lets an SMS go outside them', () => {
    expect(quietUntil(at('08:00'), quiet, TZ)).toBe(at('08:00'));
    expect(quietUntil(at('20:59'), quiet, TZ)).toBe(at('20:59'));
  });
  it('holds one inside them until they end, across midnight', () => {
    expect(quietUntil(at('21:00'), quiet, TZ)).toBe(at('08:00') + 24 * 3_600_000);
    expect(quietUntil(at('23:30'), quiet, TZ)).toBe(at('08:00') + 24 * 3_600_000);
    expect(quietUntil(at('03:15'), quiet, TZ)).toBe(at('08:00'));
  });
  it('a window within one day, and none at all', () => {
    expect(quietUntil(at('13:10'), { from: '13:00', to: '14:00' }, TZ)).toBe(at('14:00'));
    expect(quietUntil(at('13:10'), null, TZ)).toBe(at('13:10'));
  });
  it('local day bounds for the daily cap', () => {
    expect(localDayBounds(at('13:10'), TZ)).toEqual({ start: at('00:00'), next: at('00:00') + 24 * 3_600_000 });
  });
});

describe('texts and replies', () => {
  it('picks the language, then *, then the site language', () => {
    expect(pickText({ fa: 'سلام', en: 'Hello' }, 'en', 'fa')).toBe('Hello');
    expect(pickText({ fa: 'سلام' }, 'en', 'fa')).toBe('سلام');
    expect(pickText({ '*': 'Hi' }, 'zh', 'fa')).toBe('Hi');
    expect(pickText({ zh: '你好' }, 'en', 'fa')).toBeNull();
    expect(pickText(null, 'en', 'fa')).toBeNull();
  });
  it('fills placeholders', () => {
    expect(fillText('Flight {message}; queue {queue} {nope}', { message: 'IR712 at 14:30', queue: 'Flights' })).toBe('Flight IR712 at 14:30; queue Flights {nope}');
    // A target without a message: no raw placeholder reaches the customer.
    expect(fillText('Flight change {message} – call us', { message: null })).toBe('Flight change – call us');
  });
  it('reads a score in any digits, nothing else', () => {
    expect(['4', ' ۴ ', '٥', '5!', '(3)'].map(parseScore)).toEqual([4, 4, 5, 5, 3]);
    expect(['0', '6', '45', 'four', '', '4 stars'].map(parseScore)).toEqual([null, null, null, null, null, null]);
  });
  it('stop words ignore case and spaces', () => {
    expect(isStopWord(' stop ', ['STOP', 'لغو'])).toBe('STOP');
    expect(isStopWord('لغو', ['STOP', 'لغو'])).toBe('لغو');
    expect(isStopWord('stop it', ['STOP'])).toBeNull();
    expect(['Stop.', 'STOP!', 'ＳＴＯＰ', 'S T O P', 'لغو.', 'ل\u200cغو'].map((t) => isStopWord(t, ['STOP', 'لغو']))).toEqual(['STOP', 'STOP', 'STOP', 'STOP', 'لغو', 'لغو']);
    expect(isStopWord('...', ['STOP'])).toBeNull();
  });
});
