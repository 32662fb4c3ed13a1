import { describe, expect, it } from 'vitest';
import { parseClccList } from './clcc.ts';
import { loadTrace, rxLines, toLines } from './atTraceFixtures.ts';
import { parseErrorLine } from './modemError.ts';
import { parseCops, parseCpin } from './network.ts';
import { parseRegistrationResponse } from './registration.ts';
import { parseCmglHeader, parseCmgrHeader } from './smsHeaders.ts';
import { parseUrc, urcShape } from './urcTable.ts';
import type { Urc } from './Urc.ts';

/**
 * Replays every modem-output string of the at-trace fixtures through the
 * URC table (and the matching response parsers), asserting per file how many
 * lines become which URC kind, so a parser that silently drops lines fails.
 * Tally keys: a Urc kind, 'unknown' (urcShape says not a URC) or 'malformed'
 * (known start, parseUrc null).
 */

type Tally = Record<string, number>;

interface Replayed {
  tally: Tally;
  urcs: Urc[];
  unknown: string[];
}

function replay(lines: readonly string[]): Replayed {
  const tally: Tally = {};
  const urcs: Urc[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const n = urcShape.trailingLines(line);
    let key: string;
    if (n === null) {
      key = 'unknown';
      unknown.push(line);
    } else {
      const trailing = lines.slice(i + 1, i + 1 + n);
      i += n;
      const u = parseUrc(line, trailing);
      key = u ? u.kind : 'malformed';
      if (u) urcs.push(u);
    }
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return { tally, urcs, unknown };
}

interface DeviceTrace {
  exchanges: Array<{ tx: string; rx: unknown[] }>;
  urc_sequences: Array<{ event: string; rx: unknown[] }>;
  pin_locked_variant: Record<string, unknown[]>;
}

const DEVICE_FILES = [
  'huawei-k3715.json',
  'huawei-e1752.json',
  'wavecom-multiband-900e-1800.json',
  'zte-k3565-z.json',
  'zte-qualcomm-m6280.json',
  'nokia-n79.json',
  'generic-3gpp-python-gsmmodem-testmodem.json',
] as const;

describe('python-gsmmodem device traces: urc_sequences', () => {
  const expected: Record<(typeof DEVICE_FILES)[number], Tally> = {
    // +CRING, +CLIP, ^ORIG, ^CONF, ^CONN, ^CEND ×2, and the ATD 'OK' (a final, not a URC).
    'huawei-k3715.json': { ring: 1, callerId: 1, callState: 5, unknown: 1 },
    'huawei-e1752.json': { ring: 1, callerId: 1, callState: 5, unknown: 1 },
    // Wavecom +WIND is not one of our families: unknown (counted, logged). Answer 'OK' likewise.
    'wavecom-multiband-900e-1800.json': { ring: 1, callerId: 1, unknown: 5, callEnded: 2 },
    // ZTE: CONNECT, HANGUP: 1 and the reject 'OK' are profile matters, not URCs of ours.
    'zte-k3565-z.json': { ring: 1, callerId: 1, unknown: 3 },
    'zte-qualcomm-m6280.json': { ring: 1, callerId: 1, unknown: 3 },
    'nokia-n79.json': { ring: 1, callerId: 1, unknown: 1 },
    'generic-3gpp-python-gsmmodem-testmodem.json': { ring: 1, callerId: 1, unknown: 1 },
  };
  for (const file of DEVICE_FILES) {
    it(file, () => {
      const fx = loadTrace<DeviceTrace>(file);
      const r = replay(fx.urc_sequences.flatMap((s) => rxLines(s.rx)));
      expect(r.tally).toEqual(expected[file]);
      const callers = r.urcs.flatMap((u) => (u.kind === 'callerId' ? [u.callerId] : []));
      expect(callers).toEqual([{ number: '+27820001234', type: 145, validity: 'valid', alpha: null }]);
    });
  }

  it('exchanges and PIN-locked answers: no throw; every +CPIN answer parses; no bare text is taken for a URC', () => {
    let cpin = 0;
    for (const file of DEVICE_FILES) {
      const fx = loadTrace<DeviceTrace>(file);
      const lines = [...fx.exchanges.flatMap((e) => rxLines(e.rx)), ...Object.values(fx.pin_locked_variant).flatMap((rx) => rxLines(rx))];
      for (const line of lines) {
        if (line.startsWith('+CPIN:')) {
          expect(parseCpin(line), line).not.toBeNull();
          cpin++;
        }
        const known = urcShape.trailingLines(line) !== null;
        // Only +CPIN (boot/simState) and +CFUN (ZTE's test-syntax answer) look like URCs among solicited
        // answers; the session routes lines of the command in flight before asking the URC table.
        if (known) expect(/^\+(CPIN|CFUN):/.test(line), line).toBe(true);
        expect(() => parseUrc(line, [])).not.toThrow();
      }
    }
    expect(cpin).toBe(14);
  });
});

interface SimcomTrace {
  urc_fixtures: Array<{ test: string; rx: string }>;
}

describe('simcom-sim7600.json urc_fixtures', () => {
  it('all 22 lines are known URCs of the expected kinds', () => {
    const fx = loadTrace<SimcomTrace>('simcom-sim7600.json');
    expect(fx.urc_fixtures).toHaveLength(17);
    const r = replay(fx.urc_fixtures.flatMap((u) => toLines(u.rx)));
    expect(r.tally).toEqual({ callListEntry: 6, noise: 3, callState: 3, ring: 2, dtmf: 8 });
    expect(r.urcs.flatMap((u) => (u.kind === 'dtmf' ? [u.digit] : []))).toEqual(['8', '*', '#', 'A', '8', '*', '#', 'A']);
    expect(r.urcs.flatMap((u) => (u.kind === 'callState' ? [u.state] : []))).toEqual(['active', 'ended', 'ended']);
  });
});

interface QuectelTrace {
  parser_comment_examples: Array<{ line: number; example: string }>;
}

describe('quectel-ec2x-eg25.json parser_comment_examples', () => {
  it('URC examples parse; answers go to their parsers', () => {
    const fx = loadTrace<QuectelTrace>('quectel-ec2x-eg25.json');
    const lines = fx.parser_comment_examples.map((e) => e.example);
    expect(lines).toHaveLength(31);
    const r = replay(lines);
    // unknown: +CNUM ×3, +QSPN, +QNWINFO, +CMGR, +CMGL, +CSCA ×2, +QPCMV, +CCLK, +CPCMREG (answers, not URCs).
    expect(r.tally).toEqual({ unknown: 12, noise: 6, signal: 1, callState: 4, callListEntry: 4, dtmf: 3, ring: 1 });
    expect(r.urcs.flatMap((u) => (u.kind === 'dtmf' ? [u.digit] : []))).toEqual(['8', '5', '5']);
    expect(r.urcs.flatMap((u) => (u.kind === 'callState' ? [`${u.source}:${u.state}`] : []))).toEqual([
      '+QIND ccinfo:alerting',
      '+QIND ccinfo:ended',
      '^DSCI:incoming',
      '^DSCI:ended',
    ]);
    expect(parseCmgrHeader('+CMGR: 1,,31')).toMatchObject({ stat: 1, length: 31 });
    expect(parseCmglHeader('+CMGL: 0,1,,31')).toMatchObject({ index: 0, stat: 1, length: 31 });
  });
});

interface FinalTrace {
  final_result_ok: Array<{ input: string }>;
  final_result_error: Array<{ input: string; expected_src: string }>;
}

describe('multi-vendor-final-result-and-echo.json', () => {
  const fx = loadTrace<FinalTrace>('multi-vendor-final-result-and-echo.json');
  it('URCs after OK in the same read (P4, scenario 1 variant)', () => {
    const r = replay(fx.final_result_ok.flatMap((c) => toLines(c.input)));
    expect(r.tally).toEqual({ unknown: 3, smsStored: 1, noise: 1, ring: 1, callerId: 1 });
    expect(r.unknown).toEqual(['OK', 'OK', 'OK']);
    const clip = r.urcs.find((u) => u.kind === 'callerId');
    expect(clip?.kind === 'callerId' && clip.callerId.number).toBe('+0123456789');
  });
  it('error finals: CME/CMS split by parseErrorLine, call-ending ones are callEnded URCs elsewhere', () => {
    const first = fx.final_result_error.map((c) => toLines(c.input)[0] ?? '');
    const errors = first.map((l) => parseErrorLine(l)).filter((e) => e !== null);
    expect(errors.map((e) => `${e.kind}:${e.code}`)).toEqual(['cme:null', 'cme:123', 'cme:null', 'cms:null', 'cms:456', 'cms:null']);
    const r = replay(first);
    expect(r.tally).toEqual({ unknown: 17, callEnded: 7 });
  });
});

interface RegTrace {
  lines: Array<{ solicited: boolean; input: string }>;
}

describe('multi-vendor-registration-creg-cgreg-cereg.json', () => {
  it('every unsolicited line is a registration URC; every solicited one parses as an answer', () => {
    const fx = loadTrace<RegTrace>('multi-vendor-registration-creg-cgreg-cereg.json');
    const urcLines = fx.lines.filter((l) => !l.solicited).flatMap((l) => toLines(l.input));
    const r = replay(urcLines);
    expect(r.tally).toEqual({ registration: 34 });
    const answers = fx.lines.filter((l) => l.solicited).flatMap((l) => toLines(l.input));
    expect(answers).toHaveLength(24);
    expect(answers.filter((l) => parseRegistrationResponse(l) !== null)).toHaveLength(24);
  });
});

interface ClccTrace {
  modemmanager: Array<{ input: string }>;
  chan_dongle: Array<{ input: string }>;
}

describe('multi-vendor-clcc.json', () => {
  it('all +CLCC lines are known; only the type-less one is malformed', () => {
    const fx = loadTrace<ClccTrace>('multi-vendor-clcc.json');
    const lines = [...fx.modemmanager.flatMap((c) => toLines(c.input)), ...fx.chan_dongle.map((c) => c.input)];
    expect(replay(lines).tally).toEqual({ callListEntry: 20, malformed: 1 });
    expect(parseClccList(lines).rejected).toEqual(['+CLCC: 1,1,4,0,0,"+7913913ABCA"']);
  });
});

interface DongleTrace {
  tables: Record<string, Array<{ input: string }>>;
}

describe('huawei-e1550-class-chan-dongle.json tables', () => {
  const fx = loadTrace<DongleTrace>('huawei-e1550-class-chan-dongle.json');
  const col = (k: string): string[] => (fx.tables[k] ?? []).map((c) => c.input);
  it('cmti: two indications, the empty one rejected', () => {
    expect(replay(col('cmti')).tally).toEqual({ smsStored: 2, malformed: 1 });
  });
  it('clcc: three entries, the type-less one rejected', () => {
    expect(replay(col('clcc')).tally).toEqual({ callListEntry: 3, malformed: 1 });
  });
  it('creg answers, cops answers and cmgr headers parse', () => {
    expect(col('creg').map((l) => parseRegistrationResponse(l)?.stat)).toEqual([1, 1]);
    expect(col('cops').map((l) => parseCops(l)?.operator)).toEqual(['TELE2', 'TELE2', 'TELE2']);
    expect(col('cmgr').map((l) => { const h = parseCmgrHeader(toLines(l)[0] ?? ''); return h?.mode === 'pdu' ? h.length : null; })).toEqual([106, 159, 159, 43, 158, 55, 137]);
  });
  it('cusd lines are known noise; cnum answers are not URCs', () => {
    expect(replay(col('cusd')).tally).toEqual({ noise: 3 });
    expect(replay(col('cnum')).tally).toEqual({ unknown: 8 });
  });
});

interface SmsTrace {
  gammu_at_sms_dumps: Array<{ source: { path: string }; raw: string }>;
  modemmanager: Array<{ input: string }>;
  chan_dongle_cmgr: Array<{ input: string }>;
}

describe('multi-vendor-sms.json', () => {
  const fx = loadTrace<SmsTrace>('multi-vendor-sms.json');
  it('every Gammu +CMGR dump header parses', () => {
    const headers = fx.gammu_at_sms_dumps.flatMap((d) => toLines(d.raw).filter((l) => l.startsWith('+CMGR:')));
    expect(headers).toHaveLength(36);
    expect(headers.filter((h) => parseCmgrHeader(h)?.mode === 'pdu')).toHaveLength(36);
  });
  it('ModemManager +CMGL/+CMGR headers and the +CDS URC', () => {
    const lines = fx.modemmanager.flatMap((c) => toLines(c.input));
    expect(lines.filter((l) => l.startsWith('+CMGL:')).map((l) => parseCmglHeader(l)?.index)).toEqual([0, 0, 1, 2, 17, 17, 15, 13, 11]);
    expect(parseCmgrHeader(lines.find((l) => l.startsWith('+CMGR:')) ?? '')).toMatchObject({ stat: 1, length: 147 });
    const cds = fx.modemmanager.at(-1)?.input ?? '';
    expect(replay(toLines(cds)).tally).toEqual({ statusReport: 1 });
  });
});

interface Scenarios {
  sequences: Array<{ test: string; rx: unknown[] }>;
}

describe('python-gsmmodem-scenarios.json', () => {
  it('all 111 sequences replay; URC kinds counted', () => {
    const fx = loadTrace<Scenarios>('python-gsmmodem-scenarios.json');
    expect(fx.sequences).toHaveLength(111);
    const lines = fx.sequences.flatMap((s) => rxLines(s.rx));
    const r = replay(lines);
    // ring: RING/+CRING in 4 incoming-call tests; callerId: their +CLIP; statusReport: +CDSI ×3;
    // noise: the 14 literal +CUSD lines; boot: a bare '+CPIN: READY' (out of context here).
    // Unknown: finals, prompts, +CMGS/+CMGR/+CMGL answers, ZTE +ZDONR/+ZPASR, body text.
    expect(r.tally).toEqual({ unknown: 195, ring: 4, callerId: 4, statusReport: 3, noise: 14, boot: 1 });
    expect(r.urcs.flatMap((u) => (u.kind === 'callerId' ? [u.callerId.number] : []))).toEqual(Array(4).fill('+27821231234'));
    const cmgr = lines.filter((l) => l.startsWith('+CMGR:'));
    const cmgl = lines.filter((l) => l.startsWith('+CMGL:'));
    expect([cmgr.length, cmgl.length]).toEqual([6, 6]);
    expect(cmgr.filter((l) => parseCmgrHeader(l) !== null)).toHaveLength(6);
    expect(cmgl.filter((l) => parseCmglHeader(l) !== null)).toHaveLength(6);
  });
});
