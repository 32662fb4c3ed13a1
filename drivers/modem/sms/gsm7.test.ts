import { describe, expect, it } from 'vitest';
import { bytesToHex } from './pduFields.ts';
import { canEncodeGsm7, fromSeptets, packSeptets, toSeptets, unpackSeptets } from './gsm7.ts';

describe('GSM 03.38 alphabet (TS 23.038 §6.2.1)', () => {
  it('maps the characters that differ from ASCII', () => {
    // @ 0x00, £ 0x01, $ 0x02, ¤ 0x24, ¡ 0x40, § 0x5F, ¿ 0x60, à 0x7F, LF 0x0A, CR 0x0D, _ 0x11
    expect(toSeptets('@£$¤¡§¿à\n\r_')).toEqual([0x00, 0x01, 0x02, 0x24, 0x40, 0x5f, 0x60, 0x7f, 0x0a, 0x0d, 0x11]);
  });
  it('escapes the extension table with 0x1B', () => {
    // € 1B 65, [ 1B 3C, ] 1B 3E, { 1B 28, } 1B 29, ~ 1B 3D, \ 1B 2F, ^ 1B 14, | 1B 40, FF 1B 0A
    expect(toSeptets('€[]{}~\\^|\f')).toEqual([0x1b, 0x65, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x3d, 0x1b, 0x2f, 0x1b, 0x14, 0x1b, 0x40, 0x1b, 0x0a]);
  });
  it('round-trips every representable character', () => {
    const all = fromSeptets(Array.from({ length: 128 }, (_, i) => i).filter((i) => i !== 0x1b)) + '€[]{}~\\^|\f';
    expect(all).toHaveLength(127 + 10);
    expect(fromSeptets(toSeptets(all) ?? [])).toBe(all);
  });
  it('canEncodeGsm7', () => {
    expect(canEncodeGsm7('Hello, World! 123 €')).toBe(true);
    expect(canEncodeGsm7('ÄÖÜäöüßÉ')).toBe(true);
    expect(canEncodeGsm7('سلام')).toBe(false);
    expect(canEncodeGsm7('你好')).toBe(false);
    expect(canEncodeGsm7('`')).toBe(false); // grave accent is not in GSM 03.38
    expect(toSeptets('é`')).toBeNull();
  });
  it('unknown escape shows the default character; trailing escape dropped', () => {
    expect(fromSeptets([0x1b, 0x41, 0x42])).toBe('AB');
    expect(fromSeptets([0x41, 0x1b])).toBe('A');
  });
});

describe('septet packing (TS 23.038 §6.1.2.1.1)', () => {
  it('packs "hellohello" to the textbook E8329BFD4697D9EC37', () => {
    expect(bytesToHex(packSeptets(toSeptets('hellohello') ?? []))).toBe('E8329BFD4697D9EC37');
  });
  it('packs 8 septets into exactly 7 octets', () => {
    // "12345678": 31 32 33 34 35 36 37 38 → 31 D9 8C 56 B3 DD 70
    expect(bytesToHex(packSeptets(toSeptets('12345678') ?? []))).toBe('31D98C56B3DD70');
  });
  it('honours fill bits after a UDH: one bit for the 6-octet concat header', () => {
    // bit 0 = fill; 'A' 0x41 at bits 1–7 → octet0 = 0x41<<1 = 0x82; 'a' 0x61 at bits 8–14 → octet1 = 0x61.
    const packed = packSeptets([0x41, 0x61], 1);
    expect(bytesToHex(packed)).toBe('8261');
    expect(unpackSeptets(packed, 2, 1)).toEqual([0x41, 0x61]);
  });
  it('unpack is the inverse for every fill and length', () => {
    const s = toSeptets('The quick brown fox jumps over the lazy dog €') ?? [];
    for (let fill = 0; fill < 7; fill++) {
      for (let n = 0; n <= s.length; n++) expect(unpackSeptets(packSeptets(s.slice(0, n), fill), n, fill)).toEqual(s.slice(0, n));
    }
  });
  it('stops early instead of reading past the data', () => {
    expect(unpackSeptets(Uint8Array.of(0xe8), 5)).toEqual([0x68]);
  });
});
