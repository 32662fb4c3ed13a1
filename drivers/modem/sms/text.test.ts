import { describe, expect, it } from 'vitest';
import { chooseSmsMode, decodeUcs2Hex, encodeUcs2Hex } from './text.ts';

describe('UCS-2 hex for AT+CSCS="UCS2" (27.005 §3, 27.007 §5.5)', () => {
  it.each([
    ['Hi', '00480069'],
    ['سلام دنیا', '06330644062706450020062F064606CC0627'],
    ['你好，世界', '4F60597DFF0C4E16754C'],
    ['+27820001234', '002B00320037003800320030003000300031003200330034'],
    ['😀', 'D83DDE00'],
    ['', ''],
  ])('%j ↔ %s', (text, hex) => {
    expect(encodeUcs2Hex(text)).toBe(hex);
    expect(decodeUcs2Hex(hex)).toBe(text);
  });
  it('decodes a real Gammu SMSC answer (at-smsc/01.dump) and rejects bad hex', () => {
    expect(decodeUcs2Hex('002B00390037003200350034003100320030003000330032')).toBe('+97254120032');
    expect(decodeUcs2Hex('004')).toBeNull();
    expect(decodeUcs2Hex('00GG')).toBeNull();
  });
});

describe('chooseSmsMode', () => {
  it.each([
    ['hello', { mode: 'text', encoding: 'gsm7', parts: 1 }],
    ['a'.repeat(160), { mode: 'text', encoding: 'gsm7', parts: 1 }],
    ['a'.repeat(161), { mode: 'pdu', encoding: 'gsm7', parts: 2 }],
    ['سلام دنیا', { mode: 'text', encoding: 'ucs2', parts: 1 }],
    ['ش'.repeat(71), { mode: 'pdu', encoding: 'ucs2', parts: 2 }],
    ['ش'.repeat(135), { mode: 'pdu', encoding: 'ucs2', parts: 3 }],
  ])('%#', (text, expected) => {
    expect(chooseSmsMode(text)).toEqual(expected);
  });
});
