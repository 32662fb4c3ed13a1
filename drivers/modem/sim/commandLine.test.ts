import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseParams } from './commandLine.ts';

const names = (line: string) => parseCommandLine(line).map((c) => `${c.name}|${c.kind}|${c.args}`);

describe('parseCommandLine (DCE side, V.250 §5.2–5.4)', () => {
  it.each([
    ['', []],
    ['+CLIP=1', ['+CLIP|set|1']],
    ['+CSQ', ['+CSQ|exec|']],
    ['+CPIN?', ['+CPIN|read|']],
    ['+CMGF=?', ['+CMGF|test|']],
    // IchthysMaranatha chan_quectel answers with PCM on in one line
    ['+QPCMV=0;+QPCMV=1,0;A', ['+QPCMV|set|0', '+QPCMV|set|1,0', 'A|exec|']],
    ['+VTS=1;+VTS=2', ['+VTS|set|1', '+VTS|set|2']],
    ['E0V1', ['E|exec|0', 'V|exec|1']],
    // D swallows the rest of the line: its ';' means "voice"
    ['D+15551234567;', ['D|exec|+15551234567;']],
    ['E0D123;', ['E|exec|0', 'D|exec|123;']],
    ['S0=0', ['S0|set|0']],
    ['^DTMF=1,5', ['^DTMF|set|1,5']],
    ['+CPMS="SM","SM","SM"', ['+CPMS|set|"SM","SM","SM"']],
    ['+CMGS="+1;2"', ['+CMGS|set|"+1;2"']],
  ])('AT%s', (line, expected) => {
    expect(names(line)).toEqual(expected);
  });

  it('keeps the text with AT prefix and unquotes parameters', () => {
    const [c] = parseCommandLine('+CREC=4,"C:\\User\\welcome.amr",0,90');
    expect(c).toMatchObject({ text: 'AT+CREC=4,"C:\\User\\welcome.amr",0,90', params: ['4', 'C:\\User\\welcome.amr', '0', '90'] });
    expect(parseParams('1,,"a,b"')).toEqual(['1', '', 'a,b']);
  });

  it('turns unparseable text into one unknown command (answered ERROR)', () => {
    expect(names('!!')).toEqual(['!!|exec|']);
  });
});
