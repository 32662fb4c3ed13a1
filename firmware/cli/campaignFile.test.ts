import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CcgateError } from '../../gateway/core/errors.ts';
import { parseCampaignCsv, parseCampaignJson, readCampaignFile } from './campaignFile.ts';
import { jsonElementLines } from './jsonLines.ts';

const dir = mkdtempSync(join(tmpdir(), 'ccgate-campaign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function invalid(fn: () => unknown): { message: string; context: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CcgateError);
    const err = e as CcgateError;
    expect(err.code).toBe('CAMPAIGN_INVALID');
    return { message: err.message, context: { ...err.context } };
  }
  throw new Error('expected CAMPAIGN_INVALID');
}

describe('campaign CSV', () => {
  it('reads number and message columns with quotes, commas, doubled quotes, Persian and Chinese text', () => {
    const csv = '\uFEFFNumber,Message,branch\r\n' + '+989121234567,"سلام، نوبت شما فردا ساعت ۱۰ است",x\r\n' + ' 02188776655 ,"He said ""hi"", then left",y\r\n' + '008613800138000,您好，明天见,z\r\n';
    expect(parseCampaignCsv(csv, 'list.csv')).toEqual({
      targets: [
        { number: '+989121234567', message: 'سلام، نوبت شما فردا ساعت ۱۰ است' },
        { number: '02188776655', message: 'He said "hi", then left' },
        { number: '008613800138000', message: '您好，明天见' },
      ],
      duplicatesRemoved: 0,
    });
  });

  it('accepts a number-only file, blank lines, a message with a line break, and Persian digits', () => {
    const csv = 'number\n\n۰۹۱۲۱۲۳۴۵۶۷\n+44207\n';
    expect(parseCampaignCsv(csv, 'a.csv').targets).toEqual([{ number: '09121234567' }, { number: '+44207' }]);
    const multi = parseCampaignCsv('number,message\n123,"line one\nline two"\n456,\n', 'b.csv');
    expect(multi.targets).toEqual([{ number: '123', message: 'line one\nline two' }, { number: '456' }]);
  });

  it('removes duplicate numbers, keeping the first, and counts them', () => {
    const res = parseCampaignCsv('number,message\n123,first\n 123 ,second\n456,\n123,third\n', 'd.csv');
    expect(res.targets).toEqual([{ number: '123', message: 'first' }, { number: '456' }]);
    expect(res.duplicatesRemoved).toBe(2);
  });

  it('names file, line and problem', () => {
    expect(invalid(() => parseCampaignCsv('number\n123\n12a45\n', 'x.csv'))).toMatchObject({ message: expect.stringMatching(/^x\.csv:3: invalid number "12a45"/), context: { file: 'x.csv', line: 3 } });
    expect(invalid(() => parseCampaignCsv('number\n12\n', 'x.csv')).message).toMatch(/x\.csv:2: .*3–20 digits/);
    expect(invalid(() => parseCampaignCsv('number\n' + '1'.repeat(21) + '\n', 'x.csv')).context.line).toBe(2);
    expect(invalid(() => parseCampaignCsv('phone,message\n123,hi\n', 'x.csv')).message).toMatch(/x\.csv:1: the header row needs a "number" column/);
    expect(invalid(() => parseCampaignCsv('number;message\n123;hi\n', 'x.csv')).message).toMatch(/separated by ";"/);
    expect(invalid(() => parseCampaignCsv('number,message\n123,hi, there\n', 'x.csv')).message).toMatch(/x\.csv:2: expected 2 fields.*found 3/);
    expect(invalid(() => parseCampaignCsv('number,message\n123,"open\n456,x\n', 'x.csv')).message).toMatch(/x\.csv:2: a quoted field is never closed/);
    expect(invalid(() => parseCampaignCsv('number,message\n123,"a"b\n', 'x.csv')).message).toMatch(/x\.csv:2: unexpected text after a closing quote/);
    expect(invalid(() => parseCampaignCsv('number,message\r\n"1\r\n2",x\r\n999,"bad\n', 'x.csv')).context.line).toBe(4);
    expect(invalid(() => parseCampaignCsv('number\n', 'x.csv')).message).toMatch(/no targets/);
    expect(invalid(() => parseCampaignCsv('', 'x.csv')).message).toMatch(/empty/);
  });
});

describe('campaign JSON', () => {
  it('accepts an array of strings or of {number, message}, mixed', () => {
    const json = '\uFEFF[\n  "+989121234567",\n  {"number": "02188776655", "message": "您好"},\n  {"number": "+989121234567"}\n]';
    expect(parseCampaignJson(json, 't.json')).toEqual({ targets: [{ number: '+989121234567' }, { number: '02188776655', message: '您好' }], duplicatesRemoved: 1 });
  });

  it('names the line of the bad element', () => {
    const json = '[\n  "123",\n  {"number": "x, \\"y\\"\\n[", "message": "a,b"},\n  {"number": 4567}\n]';
    expect(invalid(() => parseCampaignJson(json, 't.json')).message).toMatch(/^t\.json:3: invalid number/);
    expect(invalid(() => parseCampaignJson('[\n"123",\n{"number": 4567}\n]', 't.json')).message).toMatch(/t\.json:3: element 2: "number" must be a string/);
    expect(invalid(() => parseCampaignJson('[\n"123",\n{"number": "4567", "msg": "x"}]', 't.json')).message).toMatch(/unknown field\(s\) msg/);
    expect(invalid(() => parseCampaignJson('[1234]', 't.json')).message).toMatch(/element 1: expected a number string/);
    expect(invalid(() => parseCampaignJson('{"targets": []}', 't.json')).message).toMatch(/expected a JSON array/);
    expect(invalid(() => parseCampaignJson('[]', 't.json')).message).toMatch(/no targets/);
    expect(invalid(() => parseCampaignJson('[\n"123",\n"456"\n', 't.json')).message).toMatch(/^t\.json(:\d+)?: not valid JSON/);
  });

  it('finds element lines past nested values and escaped quotes', () => {
    expect(jsonElementLines('[\n"a\\"]",\n{"x": [1,\n2]},\n\n"c"\n]')).toEqual([2, 3, 6]);
    expect(jsonElementLines('[]')).toEqual([]);
  });
});

describe('readCampaignFile', () => {
  it('reads .csv and .json by extension', async () => {
    writeFileSync(join(dir, 'a.CSV'), 'number\n123\n');
    writeFileSync(join(dir, 'b.json'), '["456"]');
    expect((await readCampaignFile(join(dir, 'a.CSV'))).targets).toEqual([{ number: '123' }]);
    expect((await readCampaignFile(join(dir, 'b.json'))).targets).toEqual([{ number: '456' }]);
  });

  it('rejects other extensions, missing files and non-UTF-8 text', async () => {
    await expect(readCampaignFile(join(dir, 'list.xlsx'))).rejects.toThrow(/expected a \.csv or \.json file/);
    await expect(readCampaignFile(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: file not found/);
    // "سلام" in Windows-1256, as Excel on a Persian Windows saves "CSV".
    writeFileSync(join(dir, 'cp1256.csv'), Buffer.concat([Buffer.from('number,message\n123,'), Buffer.from([0xd3, 0xe1, 0xc7, 0xe3]), Buffer.from('\n')]));
    await expect(readCampaignFile(join(dir, 'cp1256.csv'))).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID', message: expect.stringMatching(/not valid UTF-8/) });
  });
});
