import { beforeAll, describe, expect, it } from 'vitest';
import { parseUrc } from '../messages/urcTable.ts';
import { standardQueries } from '../profiles/commands27007.ts';
import type { FailureReason } from '../session/AtCommand.ts';
import { DEFAULT_AT_TIMEOUTS, timeoutFor } from '../session/timeouts.ts';
import { accountLines, expectedEnd, plainLines } from './lineAccounting.ts';
import { replayCase, type ReplayRun, toSegments } from './replayHarness.ts';
import { type CaseResult, replayAllWays, type Tally, tally } from './replayTally.ts';
import { allCases, exchangeCases, type ReplayCase, type RxItem, traceFiles } from './traceCases.ts';

/**
 * Session-level replay of the recorded traces (STYLE.md rule 34): every
 * command/answer pair of test/fixtures/at-traces (python-gsmmodem exchanges,
 * PIN-locked answers and ATD answers; Gammu dumps holding a command) and
 * every piece of modem output with no command (urc_sequences, URC-only
 * dumps) goes through the real AtSession on a LoopbackTransport and a
 * FakeClock, fed whole, byte by byte and randomly split. Per case: the three
 * runs agree; every decoded line is accounted for exactly once; the command
 * ends the way the trace's own final result says, when it arrives; known
 * URCs parse. Per file: the counts below, so a silent loss shows as a diff.
 */

/**
 * Traces with no final result for their command: the only cases allowed to
 * time out. The information lines the command had collected are lost with it
 * (an AtCommandError carries no lines); they are listed so the accounting
 * stays exact. With the profile's quirk flag the same trace completes (test below).
 */
const NO_FINAL_RESULT: Readonly<Record<string, { lostWithCommand: string[]; why: string }>> = {
  'wavecom-multiband-900e-1800.json exchanges[14] AT+CPIN?': {
    lostWithCommand: ['+CPIN: READY'],
    why: 'fixture notes: "AT+CPIN? reply is NOT terminated by OK" (python-gsmmodem #19); commandForTx knows no quirks',
  },
  'wavecom-multiband-900e-1800.json pin_locked_variant AT+CPIN?': {
    lostWithCommand: ['+CPIN: SIM PIN'],
    why: 'same Wavecom quirk, PIN-locked answer: "+CPIN: SIM PIN" and no OK',
  },
};

/** ERROR, COMMAND NOT SUPPORT and MODEM ERROR map to 'error'; +CME/+CMS ERROR to 'cme'/'cms'. */
const EXPECTED_REJECTIONS: ReadonlySet<FailureReason> = new Set(['error', 'cme', 'cms']);

/** Files with nothing to replay at the session level: lines for the parsers, or output without the host side. */
const NOTHING_TO_REPLAY = ['multi-vendor-clcc.json', 'multi-vendor-final-result-and-echo.json', 'python-gsmmodem-scenarios.json', 'simcom-sim7600.json'];

const EXPECTED_TALLY: Readonly<Record<string, Tally>> = {
  // 17 command dumps (model, CPMS, SMSC, CCFC) + 8 USSD dumps with no command: +CUSD is known noise.
  'gammu-dumps-misc.json': { 'case:dump': 17, 'case:unsolicited': 8, lines: 63, 'line:echo': 17, 'line:final': 17, 'line:response': 21, 'line:urc': 8, 'outcome:resolved': 17, 'urc:noise': 8 },
  'generic-3gpp-python-gsmmodem-testmodem.json': { 'case:exchange': 13, 'case:unsolicited': 1, lines: 19, 'line:final': 13, 'line:response': 4, 'line:urc': 2, 'outcome:error': 7, 'outcome:resolved': 6, 'urc:callerId': 1, 'urc:ring': 1 },
  // No command dump here: 3 USSD URCs, and the E1752 +CSCS answer recorded without its command (unknown URC + stray OK).
  'huawei-e1550-class-chan-dongle.json': { 'case:unsolicited': 4, lines: 5, 'line:stray': 1, 'line:urc': 4, 'urc:noise': 3, 'urc:unknown': 1 },
  // AT+CLAC: 262 bare lines ending \r\r\n, all response lines.
  'huawei-e1752.json': { 'case:exchange': 13, 'case:unsolicited': 5, lines: 294, 'line:final': 13, 'line:response': 274, 'line:urc': 7, 'outcome:error': 3, 'outcome:resolved': 10, 'urc:callState': 5, 'urc:callerId': 1, 'urc:ring': 1 },
  'huawei-k3715.json': { 'case:exchange': 13, 'case:unsolicited': 5, lines: 29, 'line:final': 13, 'line:response': 9, 'line:urc': 7, 'outcome:error': 3, 'outcome:resolved': 10, 'urc:callState': 5, 'urc:callerId': 1, 'urc:ring': 1 },
  'multi-vendor-registration-creg-cgreg-cereg.json': { 'case:dump': 9, lines: 26, 'line:echo': 9, 'line:final': 9, 'line:response': 8, 'outcome:resolved': 9 },
  // 36 AT+CMGR dumps (header + PDU each; 04.dump's PDU ends in a stray quote) and 3 AT+CNMI=? dumps.
  'multi-vendor-sms.json': { 'case:dump': 39, lines: 153, 'line:echo': 39, 'line:final': 39, 'line:response': 75, 'outcome:resolved': 39 },
  'nokia-n79.json': { 'case:exchange': 25, 'case:unsolicited': 1, lines: 42, 'line:final': 25, 'line:response': 15, 'line:urc': 2, 'outcome:error': 12, 'outcome:resolved': 13, 'urc:callerId': 1, 'urc:ring': 1 },
  'quectel-ec2x-eg25.json': { 'case:unsolicited': 1, lines: 1, 'line:urc': 1, 'urc:noise': 1 },
  // +WIND is no family of ours (unknown); the answered-call 'OK' arrives with no command (stray); 2 timeouts, see NO_FINAL_RESULT.
  'wavecom-multiband-900e-1800.json': {
    'case:exchange': 16, 'case:unsolicited': 5, lines: 32, 'line:final': 14, 'line:lost': 2, 'line:response': 7, 'line:stray': 1, 'line:urc': 8,
    'outcome:error': 5, 'outcome:resolved': 9, 'outcome:timeout': 2, 'urc:callEnded': 2, 'urc:callerId': 1, 'urc:ring': 1, 'urc:unknown': 4,
  },
  // ZTE: CONNECT and the reject 'OK' arrive with no command (strays); HANGUP: 1 is unknown.
  'zte-k3565-z.json': { 'case:exchange': 14, 'case:unsolicited': 4, lines: 204, 'line:final': 14, 'line:response': 185, 'line:stray': 2, 'line:urc': 3, 'outcome:error': 2, 'outcome:resolved': 12, 'urc:callerId': 1, 'urc:ring': 1, 'urc:unknown': 1 },
  'zte-qualcomm-m6280.json': { 'case:exchange': 15, 'case:unsolicited': 4, lines: 30, 'line:final': 15, 'line:response': 10, 'line:stray': 1, 'line:urc': 4, 'outcome:error': 5, 'outcome:resolved': 10, 'urc:callerId': 1, 'urc:ring': 1, 'urc:unknown': 2 },
};

/** Virtual ms (after the write) at which the bytes holding the command's final result arrive. */
function finalArrivesAtMs(rx: readonly RxItem[], run: ReplayRun): number {
  const segments = toSegments(rx);
  for (let k = 1; k <= segments.length; k++) {
    if (expectedEnd(segments.slice(0, k).map((s) => s.data), run.command!).kind !== 'noFinal') return segments[k - 1]!.atMs;
  }
  return Number.NaN;
}

function checkCase({ c, runs, account }: CaseResult): void {
  const [first, ...others] = runs as [ReplayRun, ...ReplayRun[]];
  const { mode: _, ...reference } = first;
  for (const run of others) {
    const { mode, ...rest } = run;
    expect(rest, `${mode} split differs from the whole stream`).toEqual(reference);
  }
  expect(first.violations).toEqual([]);
  expect(first.pendingTimers).toEqual([]);
  expect(first.written).toBe(c.tx ?? '');
  // Framing: the decoder's lines are the trace's lines, nothing discarded, no prompt.
  expect(first.lines).toEqual(plainLines(c.rx));
  expect(first.frames).toEqual(first.lines);
  // Accounting: every decoded line exactly once.
  expect(account.extra).toEqual([]);
  expect(account.echo).toHaveLength(c.echoLines);
  for (const u of first.urcs) if (u.known) expect(parseUrc(u.line, u.trailing), u.line).not.toBeNull();

  const exception = NO_FINAL_RESULT[c.id];
  if (first.command === null) {
    expect(first.outcome).toEqual({ status: 'noCommand' });
    expect(account.lost).toEqual([]);
    return;
  }
  const end = expectedEnd(c.rx, first.command);
  if (end.kind === 'noFinal') {
    expect(exception, 'a trace with no final result must be listed in NO_FINAL_RESULT').toBeDefined();
    expect(first.outcome).toMatchObject({ status: 'rejected', reason: 'timeout', final: null });
    expect(first.settledAfterMs).toBe((toSegments(c.rx).at(-1)?.atMs ?? 0) + timeoutFor(DEFAULT_AT_TIMEOUTS, first.command.timeout));
    expect(account.lost).toEqual(exception?.lostWithCommand);
    return;
  }
  expect(exception, 'stale NO_FINAL_RESULT entry: the trace has a final result').toBeUndefined();
  expect(account.lost).toEqual([]);
  expect(account.final).toHaveLength(1);
  expect(first.settledAfterMs).toBe(finalArrivesAtMs(c.rx, first));
  if (end.kind === 'resolved') {
    expect(first.outcome).toEqual({ status: 'resolved', response: { command: first.command.text, lines: account.response, final: end.final } });
  } else {
    expect(EXPECTED_REJECTIONS.has(end.reason), `unexpected rejection ${end.reason}`).toBe(true);
    expect(first.outcome).toMatchObject({ status: 'rejected', reason: end.reason, final: end.final });
  }
}

describe('at-trace fixtures replayed through AtSession (whole / byte by byte / random split)', () => {
  const files = traceFiles();

  it('every fixture file is either replayed (with an expected tally) or listed as having nothing to replay', () => {
    const replayed = files.filter((f) => allCases(f).length > 0);
    expect(replayed).toEqual(Object.keys(EXPECTED_TALLY).sort());
    expect(files.filter((f) => !replayed.includes(f))).toEqual(NOTHING_TO_REPLAY);
  });

  for (const file of files) {
    const cases = allCases(file);
    if (cases.length === 0) continue;
    const commands = cases.filter((c) => c.tx !== null).length;
    const lines = cases.reduce((n, c) => n + plainLines(c.rx).length, 0);
    describe(`${file}: ${commands} commands + ${cases.length - commands} unsolicited, ${lines} lines`, () => {
      const results = new Map<string, CaseResult>();
      beforeAll(async () => {
        for (const c of cases) results.set(c.id, await replayAllWays(c));
      });
      it(`tally (${cases.length} cases × 3 splits)`, () => {
        expect(tally([...results.values()])).toEqual(EXPECTED_TALLY[file]);
      });
      for (const c of cases) it(c.id.slice(file.length + 1), () => checkCase(results.get(c.id)!));
    });
  }
});

describe('spot checks on what the replay routed', () => {
  const find = (file: string, id: string): ReplayCase => {
    const c = allCases(file).find((x) => x.id === `${file} ${id}`);
    if (!c) throw new Error(`no case ${id} in ${file}`);
    return c;
  };
  const resolvedLines = async (c: ReplayCase): Promise<string[]> => {
    const run = await replayCase(c, 'bytes');
    return run.outcome.status === 'resolved' ? run.outcome.response.lines : [`<${run.outcome.status}>`];
  };

  it('bare-text answers (expect any): Nokia multi-line AT+CGMR, Wavecom leading space, Samsung ATI4 with +GCAP', async () => {
    expect(await resolvedLines(find('nokia-n79.json', 'exchanges[2] AT+CGMR'))).toEqual(['V ICPR72_08w44.1', '24-11-08', 'RM-348', '(c) Nokia', '11.049']);
    expect(await resolvedLines(find('wavecom-multiband-900e-1800.json', 'exchanges[0] AT+CGMI'))).toEqual([' WAVECOM MODEM']);
    const ati = await resolvedLines(find('gammu-dumps-misc.json', 'dumps[4] tests/at-model/05.dump'));
    expect(ati).toHaveLength(5);
    expect(ati.at(-1)).toBe('+GCAP: +CIS707-A, CIS-856, +MS, +ES, +DS, +FCLASS');
  });

  it('ZTE AT+ZPAS? answers +BEARTYPE:, taken as the answer (EXTRA_PREFIXES), not a URC', async () => {
    expect(await resolvedLines(find('zte-k3565-z.json', 'exchanges[9] AT+ZPAS?'))).toEqual(['+BEARTYPE: "UMTS","CS_PS"']);
  });

  it('Gammu AT+CMGR: header and PDU body; a PDU with a stray quote and CR stays one body line', async () => {
    const lines = await resolvedLines(find('multi-vendor-sms.json', 'gammu_at_sms_dumps[2] tests/at-sms/04.dump'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('+CMGR: 1,,156');
    expect(lines[1]).toMatch(/^07914487200030230406D04F5904.*A301"$/);
  });

  it('Wavecom AT+CPIN? with the profile quirk (cpinNoOk: completesOn +CPIN:) completes at once, nothing lost', async () => {
    const cpin = standardQueries({ lte: false, cpinNoOk: true }).cpin;
    const cases = exchangeCases('wavecom-multiband-900e-1800.json').filter((c) => c.tx === 'AT+CPIN?\r');
    expect(cases).toHaveLength(2);
    for (const c of cases) {
      const run = await replayCase(c, 'bytes', { command: cpin });
      expect(run.outcome, c.id).toEqual({ status: 'resolved', response: { command: 'AT+CPIN?', lines: plainLines(c.rx), final: { kind: 'ok' } } });
      expect(run.settledAfterMs).toBe(0);
      expect(accountLines(run)).toMatchObject({ lost: [], extra: [], final: [], response: plainLines(c.rx) });
    }
  });
});
