import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import { decodeSubmit, encodeRelativeValidity, encodeSubmit } from './pduSubmit.ts';

const PERSIAN = 'سلام دنیا';
const CHINESE = '你好，世界';

describe('encodeSubmit: hand-computed vectors (TS 23.040 §9.2.2.2)', () => {
  it('ASCII: the textbook "hellohello" to +46708251358, VP 4 days', () => {
    // 00 SMSC default | 11 SUBMIT+VPF relative | 00 MR | 0B 91 6407281553F8 DA | 00 PID | 00 DCS GSM
    // | AA VP (166+4 days) | 0A UDL 10 septets | E8329BFD4697D9EC37 packed "hellohello"
    expect(encodeSubmit({ to: '+46708251358', text: 'hellohello', validityMinutes: 4 * 1440 })).toEqual([
      { pdu: '0011000B916407281553F80000AA0AE8329BFD4697D9EC37', tpduLength: 23 },
    ]);
  });

  it('Persian "سلام دنیا" in UCS-2, national number, status report', () => {
    // 00 | 21 SUBMIT+SRR | 00 MR | 0B 81 9021214365F7 (09121234567, 11 digits, F-padded)
    // | 00 | 08 UCS2 | 12 UDL 18 octets | 0633 0644 0627 0645 0020 062F 0646 06CC 0627
    const [part] = encodeSubmit({ to: '09121234567', text: PERSIAN, requestStatusReport: true });
    expect(part).toEqual({ pdu: '0021000B819021214365F7000812' + '06330644062706450020062F064606CC0627', tpduLength: 31 });
  });

  it('Persian to an international number (TOA 0x91)', () => {
    // DA 0C 91 891912325476 = +989121234567
    expect(encodeSubmit({ to: '+989121234567', text: PERSIAN })[0]?.pdu).toBe('0001000C9189191232547600081206330644062706450020062F064606CC0627');
  });

  it('Chinese "你好，世界" in UCS-2', () => {
    // DA 0B 81 3108108300F0 = 13800138000 | 00 | 08 | 0A | 4F60 597D FF0C 4E16 754C
    expect(encodeSubmit({ to: '13800138000', text: CHINESE })).toEqual([
      { pdu: '0001000B813108108300F000080A4F60597DFF0C4E16754C', tpduLength: 23 },
    ]);
  });

  it('long Persian (80 chars) splits 67 + 13 with UDH 05 00 03 ref total seq', () => {
    const text = `${PERSIAN} `.repeat(8);
    expect(text).toHaveLength(80);
    const parts = encodeSubmit({ to: '+989121234567', text, reference: 0x2a });
    expect(parts).toHaveLength(2);
    // Part 1: 41 (SUBMIT+UDHI) … 08 | 8C UDL = 6 + 134 | 05 00 03 2A 02 01 | 67 UCS-2 units
    expect(parts[0]?.pdu.slice(0, 40)).toBe('0041000C918919123254760008' + '8C' + '0500032A0201');
    expect(parts[0]?.tpduLength).toBe(13 + 6 + 134); // fo mr DA(8) pid dcs udl = 13
    // Part 2 in full: 20 UDL = 6 + 26 | header seq 2 | "یا سلام دنیا "
    expect(parts[1]).toEqual({
      pdu: '0041000C91891912325476000820' + '0500032A0202' + '06CC06270020' + '06330644062706450020062F064606CC06270020',
      tpduLength: 45,
    });
    expect(parts.map((p) => decodeSubmit(p.pdu)?.text).join('')).toBe(text);
  });

  it('never splits a surrogate pair across UCS-2 parts', () => {
    const text = `${'a'.repeat(66)}😀${'b'.repeat(10)}`; // 😀 = D83D DE00 would straddle units 67/68
    const parts = encodeSubmit({ to: '+1', text: `${text}ش`, reference: 1 });
    const decoded = parts.map((p) => decodeSubmit(p.pdu));
    expect(decoded[0]?.text).toBe('a'.repeat(66));
    expect(decoded[1]?.text.startsWith('😀')).toBe(true);
    expect(decoded.map((d) => d?.text).join('')).toBe(`${text}ش`);
  });

  it('GSM 7-bit long message reproduces a real concatenated PDU (chan_dongle test/parse.c)', () => {
    // The fixture's two DELIVER parts (ref 0xCA to +33600000000) carry this text; the user data must match byte for byte.
    const part1 = 'Aaaaa '.repeat(25) + 'Aaa';
    const part2 = 'aa Aaaaa Aaaaa Aaaaa';
    expect(part1).toHaveLength(153);
    const parts = encodeSubmit({ to: '+33600000000', text: part1 + part2, reference: 0xca });
    expect(parts).toHaveLength(2);
    const ud = (pdu: string): string => pdu.slice(2 + 2 * (1 + 1 + 1 + 1 + 6 + 1 + 1));
    expect(ud(parts[0]?.pdu ?? '')).toBe(
      'A0050003CA020182E170380C0A86C3E13028180E87C3A060381C0E8382E170380C0A86C3E13028180E87C3A060381C0E8382E170380C0A86C3E13028180E87C3A060381C0E8382E170380C0A86C3E13028180E87C3A060381C0E8382E170380C0A86C3E13028180E87C3A060381C0E8382E170380C0A86C3E13028180E87C3A060381C0E8382E170380C0A86C3',
    );
    expect(ud(parts[1]?.pdu ?? '')).toBe('1B050003CA0202C26150301C0E8741C170381C0605C3E17018');
  });

  it('splits GSM text at 153 septets without cutting an escape pair', () => {
    const text = `${'x'.repeat(152)}€${'y'.repeat(10)}`; // 164 septets: € (ESC pair) would end at septet 154
    const parts = encodeSubmit({ to: '+1', text, reference: 3 }).map((p) => decodeSubmit(p.pdu));
    expect(parts.map((p) => p?.text)).toEqual(['x'.repeat(152), `€${'y'.repeat(10)}`]);
    expect(parts.map((p) => p?.concat)).toEqual([
      { ref: 3, total: 2, seq: 1 },
      { ref: 3, total: 2, seq: 2 },
    ]);
  });

  it('160 GSM chars fit one part, 161 need two; 70 UCS-2 one, 71 two', () => {
    expect(encodeSubmit({ to: '+1', text: 'a'.repeat(160) })).toHaveLength(1);
    expect(encodeSubmit({ to: '+1', text: 'a'.repeat(161) })).toHaveLength(2);
    expect(encodeSubmit({ to: '+1', text: 'ش'.repeat(70) })).toHaveLength(1);
    expect(encodeSubmit({ to: '+1', text: 'ش'.repeat(71) })).toHaveLength(2);
  });

  it('round-trips through decodeSubmit', () => {
    for (const text of ['hellohello', PERSIAN, CHINESE, '', 'Price: 5€ [ok]']) {
      const [p] = encodeSubmit({ to: '+27820001234', text, requestStatusReport: true, validityMinutes: 60 });
      expect(decodeSubmit(p?.pdu ?? '')).toMatchObject({ to: '+27820001234', toType: 0x91, text, statusReportRequested: true, validity: 11 });
      expect(p?.tpduLength).toBe(((p?.pdu.length ?? 0) - 2) / 2);
    }
  });

  it('rejects bad input with SMS_INVALID', () => {
    for (const to of ['', '+', 'abc', '+27 82', '1'.repeat(21)]) {
      expect(() => encodeSubmit({ to, text: 'x' })).toThrow(expect.objectContaining({ code: 'SMS_INVALID' }));
    }
    try {
      encodeSubmit({ to: '+1', text: 'x', reference: 256 });
      expect.unreachable();
    } catch (e) {
      expect(isCcgateError(e, 'SMS_INVALID')).toBe(true);
    }
  });
});

describe('encodeRelativeValidity (TS 23.040 §9.2.3.12.1)', () => {
  it.each([
    [5, 0],
    [60, 11],
    [720, 143],
    [750, 144],
    [1440, 167],
    [2 * 1440, 168],
    [4 * 1440, 170],
    [30 * 1440, 196],
    [35 * 1440, 197],
    [10_000_000, 255],
  ])('%i min → %i', (minutes, vp) => {
    expect(encodeRelativeValidity(minutes)).toBe(vp);
  });
});
