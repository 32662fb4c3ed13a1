import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AtLineDecoder } from './AtLineDecoder.ts';
import { isCallFinal, parseFinalResult } from './finalResult.ts';

/**
 * ModemManager's final-result vectors (src/tests/test-at-serial-port.c @
 * 9a2d586, GPL-2.0+; copied into test/fixtures/at-traces/, see SOURCES.md
 * there). Each input is a whole modem read: we decode it and classify its
 * first line, as the session would.
 */
interface Row {
  line: number;
  input: string;
  expected_src: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/at-traces/multi-vendor-final-result-and-echo.json', import.meta.url), 'utf8'),
) as { final_result_ok: Row[]; final_result_error: Row[] };

/**
 * Where ccgate deliberately differs from ModemManager: `+CME ERROR:` /
 * `+CMS ERROR:` with nothing after the colon are errors for us (see
 * finalResult.ts codeAndText), not "no final yet".
 */
const DEVIATIONS = new Set([67, 71]);

function firstLine(input: string): string {
  const frames = new AtLineDecoder().push(Buffer.from(input, 'latin1'));
  const f = frames[0];
  if (f?.kind !== 'line') throw new Error(`no line in ${JSON.stringify(input)}`);
  return f.text;
}

describe('parseFinalResult against ModemManager fixtures', () => {
  for (const row of [...fixture.final_result_ok, ...fixture.final_result_error]) {
    const found = row.expected_src.includes('found=TRUE');
    const isError = row.expected_src.includes('expected_error=TRUE');
    it(`L${row.line} ${JSON.stringify(row.input)} → ${row.expected_src}`, () => {
      const r = parseFinalResult(firstLine(row.input));
      if (DEVIATIONS.has(row.line)) {
        expect(found).toBe(false);
        expect(r).toMatchObject({ code: null, text: '' });
        return;
      }
      if (!found) return expect(r).toBeNull();
      expect(r).not.toBeNull();
      expect(r!.kind === 'ok' || r!.kind === 'connect').toBe(!isError);
    });
  }
});

describe('parseFinalResult details', () => {
  it.each([
    ['OK', { kind: 'ok' }],
    ['ERROR', { kind: 'error', text: 'ERROR' }],
    ['CONNECT', { kind: 'connect', text: '' }],
    ['CONNECT 9600', { kind: 'connect', text: '9600' }],
    ['+CME ERROR: 10', { kind: 'cme', code: 10, text: '10' }],
    ['+CME ERROR: SIM not inserted', { kind: 'cme', code: null, text: 'SIM not inserted' }],
    ['+CME ERROR: ', { kind: 'cme', code: null, text: '' }],
    ['+CMS ERROR: 500', { kind: 'cms', code: 500, text: '500' }],
    ['+CMS ERROR: bananas', { kind: 'cms', code: null, text: 'bananas' }],
    ['NO CARRIER', { kind: 'noCarrier' }],
    ['BUSY', { kind: 'busy' }],
    ['NO ANSWER', { kind: 'noAnswer' }],
    ['NO DIALTONE', { kind: 'noDialtone' }],
    ['NO DIAL TONE', { kind: 'noDialtone' }],
    ['COMMAND NOT SUPPORT', { kind: 'error', text: 'COMMAND NOT SUPPORT' }],
    ['MODEM ERROR: 5', { kind: 'error', text: 'MODEM ERROR: 5' }],
    ['OK ', { kind: 'ok' }],
  ])('%j', (line, want) => expect(parseFinalResult(line)).toEqual(want));

  it.each(['OKAY', 'CONNECTED', 'RING', '+CSQ: 1,2', 'MODEM ERROR: apple', 'UNKNOWN COMMAND', 'ok', '+CIEV: 7,1', 'NO CARRIERS'])(
    '%j is not a final',
    (line) => expect(parseFinalResult(line)).toBeNull(),
  );

  it('call finals are exactly NO CARRIER / BUSY / NO ANSWER / NO DIALTONE', () => {
    const call = ['NO CARRIER', 'BUSY', 'NO ANSWER', 'NO DIALTONE'].map((l) => isCallFinal(parseFinalResult(l)!));
    const other = ['OK', 'ERROR', 'CONNECT', '+CME ERROR: 3', '+CMS ERROR: 1'].map((l) => isCallFinal(parseFinalResult(l)!));
    expect(call).toEqual([true, true, true, true]);
    expect(other).toEqual([false, false, false, false, false]);
  });
});
