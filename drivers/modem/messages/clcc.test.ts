import { describe, expect, it } from 'vitest';
import { loadTrace, toLines } from './atTraceFixtures.ts';
import { parseClcc, parseClccList } from './clcc.ts';

interface ClccFixture {
  modemmanager: Array<{ test: string; input: string }>;
  chan_dongle: Array<{ input: string; expected_src: string }>;
}
interface SimcomFixture {
  urc_fixtures: Array<{ test: string; rx: string }>;
}

describe('parseClcc (27.007 §7.18)', () => {
  it('parses the long form with alpha, priority and CLI validity', () => {
    expect(parseClcc('+CLCC: 5,1,5,0,0,"555555555",161,"Mallory",2,0')).toEqual({
      index: 5,
      direction: 'in',
      state: 'waiting',
      mode: 0,
      multiparty: false,
      number: '555555555',
      type: 161,
      alpha: 'Mallory',
      validity: 'valid',
    });
  });

  it('accepts a line without number (number unknown)', () => {
    expect(parseClcc('+CLCC: 1,1,0,0,1')).toMatchObject({ index: 1, number: null, type: null, multiparty: true, state: 'active' });
  });

  it('maps SimTech stat 6 to ended', () => {
    expect(parseClcc('+CLCC: 1,0,6,0,0,"123",129')?.state).toBe('ended');
  });

  it('rejects a number without type (chan_dongle expects -1)', () => {
    expect(parseClcc('+CLCC: 1,1,4,0,0,"+7913913ABCA"')).toBeNull();
  });

  it.each(['+CLCC: (0-1)', '+CLCC: 0,1,4,0,0', '+CLCC: 1,2,4,0,0', '+CLCC: 1,1,9,0,0', '+CLCC: 1,1,4,0,3', '+CLCC:', '+CLCC: a,b'])(
    'rejects malformed %s',
    (line) => {
      expect(parseClcc(line)).toBeNull();
    },
  );

  it('scenario 3: rejects only the bad line and keeps the rest of the list', () => {
    const list = parseClccList(['+CLCC: 1,1,4,0,0,"+7913913ABCA"', '+CLCC: 2,1,0,0,0,"+27820001234",145', 'OK']);
    expect(list.rejected).toEqual(['+CLCC: 1,1,4,0,0,"+7913913ABCA"']);
    expect(list.entries.map((e) => [e.index, e.number])).toEqual([[2, '+27820001234']]);
  });
});

describe('multi-vendor-clcc.json', () => {
  const fx = loadTrace<ClccFixture>('multi-vendor-clcc.json');

  it('ModemManager response cases parse fully', () => {
    const counts = fx.modemmanager.map((c) => {
      const r = parseClccList(toLines(c.input));
      expect(r.rejected).toEqual([]);
      return [c.test, r.entries.length];
    });
    expect(counts).toEqual([
      ['test_clcc_response_empty', 0],
      ['test_clcc_response_single', 1],
      ['test_clcc_response_single_long', 1],
      ['test_clcc_response_multiple', 5],
      ['test_clcc_response_ignore_non_voice', 10],
    ]);
  });

  it('keeps the mode for non-voice lines so the tracker can skip them', () => {
    const c = fx.modemmanager.find((x) => x.test === 'test_clcc_response_ignore_non_voice');
    const modes = parseClccList(toLines(c?.input ?? '')).entries.map((e) => e.mode);
    expect(modes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('single_long has empty alpha, no priority and validity 0', () => {
    const c = fx.modemmanager.find((x) => x.test === 'test_clcc_response_single_long');
    expect(parseClccList(toLines(c?.input ?? '')).entries[0]).toMatchObject({ state: 'incoming', type: 129, alpha: null, validity: 'valid' });
  });

  it('chan_dongle cases: three accepted verbatim, the type-less one rejected', () => {
    const results = fx.chan_dongle.map((c) => parseClcc(c.input));
    expect(results.map((r) => r?.number ?? null)).toEqual(['', '+79139131234', '+7913913ABCA', null]);
    expect(results.map((r) => r?.type ?? null)).toEqual([145, 145, 145, null]);
  });
});

describe('simcom-sim7600.json +CLCC URC blocks', () => {
  const fx = loadTrace<SimcomFixture>('simcom-sim7600.json');
  it.each([
    ['test_clcc_urc_single', [[1, 'active', '123456789']]],
    ['test_clcc_urc_multiple', [[1, 'active', null], [2, 'active', '123456789'], [3, 'active', '987654321']]],
    ['test_clcc_urc_complex', [[1, 'active', '123456789'], [2, 'waiting', '987654321']]],
  ])('%s', (test, expected) => {
    const rx = fx.urc_fixtures.find((u) => u.test === test)?.rx ?? '';
    const r = parseClccList(toLines(rx));
    expect(r.entries.map((e) => [e.index, e.state, e.number])).toEqual(expected);
    expect(r.entries.every((e) => e.direction === 'in')).toBe(true);
  });
});
