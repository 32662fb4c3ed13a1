import { describe, expect, it } from 'vitest';
import { CME_ERRORS } from './cmeErrors.ts';
import { CMS_ERRORS } from './cmsErrors.ts';
import { describeModemError, parseErrorLine } from './modemError.ts';

describe('error tables', () => {
  it('cover the 27.007 §9.2 and 27.005 §3.2.5 codes the drivers meet', () => {
    for (const c of [0, 3, 4, 10, 11, 12, 13, 14, 16, 20, 21, 22, 30, 31, 50, 100, 103, 106, 107, 111, 112, 113, 114, 115, 132, 133, 134, 148, 149, 150, 260, 261, 262, 515]) {
      expect(CME_ERRORS[c], `CME ${c}`).toBeTypeOf('string');
    }
    for (const c of [1, 21, 38, 42, 127, 300, 301, 302, 303, 304, 305, 310, 311, 313, 314, 320, 321, 322, 330, 331, 332, 340, 500]) {
      expect(CMS_ERRORS[c], `CMS ${c}`).toBeTypeOf('string');
    }
  });
});

describe('describeModemError', () => {
  it.each([
    ['cme', 10, '10', { code: 10, text: 'SIM not inserted', retryable: false }],
    ['cme', 14, '14', { code: 14, text: 'SIM busy', retryable: true }],
    ['cme', 515, '515', { code: 515, text: 'device busy (initialisation or command processing in progress)', retryable: true }],
    ['cme', 30, '30', { code: 30, text: 'no network service', retryable: false }],
    ['cme', 1234, '1234', { code: 1234, text: 'unknown CME error 1234', retryable: false }],
    ['cms', 330, '330', { code: 330, text: 'SMSC address unknown', retryable: false }],
    ['cms', 314, '314', { code: 314, text: 'SIM busy', retryable: true }],
    ['cms', 456, '456', { code: 456, text: 'reserved error 456', retryable: false }],
    ['cms', 600, '600', { code: 600, text: 'manufacturer-specific error 600', retryable: false }],
    ['cms', 66, '66', { code: 66, text: 'network (RP) cause 66, TS 24.011 §E.2', retryable: false }],
    // Verbose (AT+CMEE=2) forms map back to codes.
    ['cme', null, 'SIM not inserted', { code: 10, text: 'SIM not inserted', retryable: false }],
    ['cme', null, 'SIM busy', { code: 14, text: 'SIM busy', retryable: true }],
    ['cme', null, 'Incorrect  password', { code: 16, text: 'incorrect password', retryable: false }],
    ['cms', null, 'SMSC address unknown', { code: 330, text: 'SMSC address unknown', retryable: false }],
    ['cme', null, 'raspberry', { code: null, text: 'raspberry', retryable: false }],
    ['cme', null, '', { code: null, text: 'unspecified error', retryable: false }],
  ] as const)('%s %s %j', (kind, code, text, expected) => {
    expect(describeModemError(kind, code, text)).toEqual(expected);
  });
  it('keeps the modem text for an unknown code given verbosely', () => {
    expect(describeModemError('cme', 999, 'vendor says no')).toEqual({ code: 999, text: 'vendor says no', retryable: false });
  });
});

describe('parseErrorLine (multi-vendor-final-result-and-echo.json cases)', () => {
  it.each([
    ['+CME ERROR: raspberry', { kind: 'cme', code: null, text: 'raspberry' }],
    ['+CME ERROR: 123', { kind: 'cme', code: 123, text: '123' }],
    ['+CME ERROR: ', { kind: 'cme', code: null, text: '' }],
    ['+CMS ERROR: bananas', { kind: 'cms', code: null, text: 'bananas' }],
    ['+CMS ERROR: 456', { kind: 'cms', code: 456, text: '456' }],
    ['+CMS ERROR: ', { kind: 'cms', code: null, text: '' }],
    ['+CME ERROR:', null],
    ['+CMS ERROR:', null],
    ['ERROR', null],
  ])('%j', (line, expected) => {
    expect(parseErrorLine(line)).toEqual(expected);
  });
});
