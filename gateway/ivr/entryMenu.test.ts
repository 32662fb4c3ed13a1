import { describe, expect, it } from 'vitest';
import { entryMenuFor } from './entryMenu.ts';

const ivr = { entry: 'main', entryByNumber: { '4455': 'flights', '2188774455': 'vip-flights', '6000': 'hotels', '+982188776000': 'hq' } };

describe('entryMenuFor', () => {
  it('an exact number first, else the longest configured number the dialled digits end with, else the default', () => {
    expect(entryMenuFor(ivr, '4455')).toBe('flights');
    expect(entryMenuFor(ivr, '2188774455')).toBe('vip-flights');
    expect(entryMenuFor(ivr, '02188774455')).toBe('vip-flights');
    expect(entryMenuFor(ivr, '2188884455')).toBe('flights');
    expect(entryMenuFor(ivr, '+982188776000')).toBe('hq');
    expect(entryMenuFor(ivr, '982188776000')).toBe('hq');
    expect(entryMenuFor(ivr, '2188775000')).toBe('main');
    expect(entryMenuFor(ivr, '')).toBe('main');
    expect(entryMenuFor({ entry: 'main' }, '4455')).toBe('main');
  });
});
