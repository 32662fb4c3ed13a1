import { describe, expect, it } from 'vitest';
import { loadTrace, toLines } from './atTraceFixtures.ts';
import { isDialableStat, registrationStatText } from '../health/registrationStat.ts';
import { parseRegistrationResponse, parseRegistrationUrc } from './registration.ts';

interface RegFixture {
  lines: Array<{ test: string; solicited: boolean; input: string; expected_src: string }>;
  gammu_dumps: Array<{ source: { path: string }; raw: string }>;
}

const fx = loadTrace<RegFixture>('multi-vendor-registration-creg-cgreg-cereg.json');

/** ModemManager MM_MODEM_3GPP_REGISTRATION_STATE_* → 27.007 <stat>. */
const MM_STATE: Record<string, number> = {
  IDLE: 0,
  HOME: 1,
  SEARCHING: 2,
  DENIED: 3,
  UNKNOWN: 4,
  ROAMING: 5,
  HOME_SMS_ONLY: 6,
  ROAMING_SMS_ONLY: 7,
  EMERGENCY_ONLY: 8,
  HOME_CSFB_NOT_PREFERRED: 9,
  ROAMING_CSFB_NOT_PREFERRED: 10,
  ATTACHED_RLOS: 11,
};
const MM_ACT: Record<string, number | null> = { UNKNOWN: null, GSM: 0, UMTS: 2, EDGE: 3, LTE: 7, '5GNR': 11 };

/** Decode the source's own expected_src: `{ STATE, lac, ci, ACT, regex, cgreg, cereg, c5greg }`. */
function expectedOf(src: string): { stat: number; lac: number; ci: number; act: number | null; domain: string } {
  const parts = src.replace(/[{}\s]/g, '').split(',');
  const state = (parts[0] ?? '').replace('MM_MODEM_3GPP_REGISTRATION_STATE_', '');
  const act = (parts[3] ?? '').replace('MM_MODEM_ACCESS_TECHNOLOGY_', '');
  const domain = parts[5] === 'TRUE' ? 'ps' : parts[6] === 'TRUE' ? 'eps' : parts[7] === 'TRUE' ? '5gs' : 'cs';
  return { stat: MM_STATE[state] ?? -1, lac: Number(parts[1]), ci: Number(parts[2]), act: act in MM_ACT ? (MM_ACT[act] ?? null) : -1, domain };
}

/** The hex value MM derives from a lac/ci string (strtoul: stops at the first non-hex char). */
const hexOf = (s: string | null): number => (s === null ? 0 : Number.parseInt(s, 16) || 0);

describe('multi-vendor registration fixture: every line parses as its source says', () => {
  it('has the 56 lines and parses all of them', () => {
    expect(fx.lines).toHaveLength(56);
  });

  for (const c of fx.lines) {
    it(`${c.test}: ${JSON.stringify(c.input)}`, () => {
      const lines = toLines(c.input);
      const want = expectedOf(c.expected_src);
      // Multi-URC inputs: ModemManager's expected result describes the first line.
      const first = lines[0] ?? '';
      const got = c.solicited ? parseRegistrationResponse(first) : parseRegistrationUrc(first);
      expect(got).not.toBeNull();
      expect(got?.stat).toBe(want.stat);
      expect(got?.domain).toBe(want.domain);
      expect(hexOf(got?.lac ?? null)).toBe(want.lac);
      expect(hexOf(got?.ci ?? null)).toBe(want.ci);
      expect(got?.act ?? null).toBe(want.act);
      for (const extra of lines.slice(1)) expect(parseRegistrationUrc(extra)).not.toBeNull();
    });
  }

  it('Gammu CREG dumps (answers to AT+CREG?) parse, incl. mismatched quotes', () => {
    const got = fx.gammu_dumps.map((d) => {
      const line = toLines(d.raw).find((l) => l.startsWith('+CREG:'));
      const r = line === undefined ? null : parseRegistrationResponse(line);
      return [d.source.path.split('/').pop(), r && [r.n, r.stat, r.lac, r.ci, r.act]];
    });
    expect(got).toEqual([
      ['empty.dump', null],
      ['huawei.dump', [2, 1, '4CA', '81DE445', null]],
      ['none.dump', [0, 0, null, null, null]],
      ['siemens.dump', [0, 1, '5E25', '605F', null]],
      ['sierra312u.dump', [2, 5, '2AF5', '0B88E350', 2]],
      ['telit.dump', [0, 1, '5E25', '605F', 2]],
      ['empty-lac.dump', [2, 1, null, '605F', null]],
      ['mismatched-quotes.dump', [2, 1, '0B', '0100701', 7]],
      ['single-quote.dump', [2, 1, '5E25', null, null]],
    ]);
  });
});

describe('the ambiguous +CREG: 1,3 (gsm-modems.md §3)', () => {
  it('solicited: n=1, stat=3 (denied)', () => {
    expect(parseRegistrationResponse('+CREG: 1,3')).toMatchObject({ n: 1, stat: 3, lac: null });
  });
  it('as URC: the URC grammar has no 2-field form, so it is a stale answer: stat 3', () => {
    expect(parseRegistrationUrc('+CREG: 1,3')).toMatchObject({ kind: 'registration', stat: 3, lac: null });
  });
});

describe('scenario 16 URCs', () => {
  it.each([
    ['+CREG: 2', 2, null, false],
    ['+CREG: 0', 0, null, false],
    ['+CREG: 5,"0502","0404736D"', 5, '0502', true],
    ['+CREG: 1,"8BE3","00002B5D",2', 1, '8BE3', true],
  ])('%s', (line, stat, lac, registered) => {
    const r = parseRegistrationUrc(line);
    expect(r).toMatchObject({ kind: 'registration', domain: 'cs', stat, lac });
    expect(isDialableStat(r?.stat ?? -1)).toBe(registered);
  });
});

describe('malformed and helpers', () => {
  it.each(['+CREG:', '+CREG: ', '+CREG: (0-2)', '+CREG: x,1', '+CREG: 12', '+COPS: 0', '+CREG: 12,1'])('URC null for %s', (line) => {
    expect(parseRegistrationUrc(line)).toBeNull();
  });
  it.each(['+CREG: 1', '+CREG: 7,1', '+CREG: 1,x'])('response null for %s', (line) => {
    expect(parseRegistrationResponse(line)).toBeNull();
  });
  it('dialable: home and roaming only (1, 5)', () => {
    expect(Array.from({ length: 12 }, (_, s) => s).filter(isDialableStat)).toEqual([1, 5]);
  });
  it('has text for every stat', () => {
    expect(registrationStatText(5)).toBe('registered, roaming');
    expect(registrationStatText(42)).toBe('stat 42');
  });
});
