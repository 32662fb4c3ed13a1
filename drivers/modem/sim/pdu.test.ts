import { describe, expect, it } from 'vitest';
import { fromSeptets, packSeptets, toSeptets, unpackSeptets } from './gsm7.ts';
import { decodeStatusReport } from '../sms/pduDeliver.ts';
import { encodeSubmit } from '../sms/pduSubmit.ts';
import { buildDeliverPdu, buildStatusReportPdu, encodeAddress, parseSubmitPdu, submitWantsReport } from './pdu.ts';

describe('GSM 7-bit (23.038)', () => {
  it('packs "hello" as E8329BFD06 and back', () => {
    const s = toSeptets('hello')!;
    expect(Buffer.from(packSeptets(s)).toString('hex').toUpperCase()).toBe('E8329BFD06');
    expect(fromSeptets(unpackSeptets(packSeptets(s), s.length))).toBe('hello');
  });
  it('uses the extension table for € and [ ], and refuses Cyrillic', () => {
    expect(toSeptets('€[')).toEqual([0x1b, 0x65, 0x1b, 0x3c]);
    expect(fromSeptets([0x1b, 0x65, 0x1b, 0x3c])).toBe('€[');
    expect(toSeptets('Привет')).toBeNull();
  });
});

describe('PDUs (23.040)', () => {
  it('reads the SMS-SUBMIT gammu 1.42 sends', () => {
    // 07 91 5155000000F0 SMSC | 11 SUBMIT+VPF | 00 MR | 0B 91 5155214365F7 | 00 PID | 00 DCS | FF VP | 05 E8329BFD06
    expect(parseSubmitPdu('07915155000000F011000B915155214365F70000FF05E8329BFD06')).toEqual({
      smsc: '+15550000000', number: '+15551234567', text: 'hello', dcs: 0,
    });
  });
  it('reads a UCS2 SUBMIT with a concatenation header and no SMSC', () => {
    // 00 | 51 SUBMIT+VPF+UDHI | 00 | 0A 81 0912345678 | 00 | 08 | A7 | 0A 050003 2A0201 0633 0644
    expect(parseSubmitPdu('0051000A8109123456780008A70A0500032A020106330644')).toEqual({
      smsc: null, number: '9021436587', text: 'سل', dcs: 8, part: { ref: 0x2a, total: 2, seq: 1 },
    });
  });
  it('rejects what is not a SUBMIT', () => {
    expect(parseSubmitPdu('0004')).toBeNull();
    expect(parseSubmitPdu('zz')).toBeNull();
  });
  it('builds an SMS-DELIVER with SMSC, GSM7 or UCS2', () => {
    const at = Date.UTC(2026, 0, 5, 6, 7, 8);
    expect(encodeAddress('+15557654321')).toBe('0B915155674523F1');
    // 04 DELIVER | OA | 00 PID | 00 DCS | 62 10 50 60 70 80 00 SCTS 26-01-05 06:07:08 +0 | 02 E834 "hi"
    expect(buildDeliverPdu({ smsc: '+15550000000', from: '+15557654321', text: 'hi', at })).toEqual({
      hex: '07915155000000F0040B915155674523F10000621050607080000' + '2E834',
      tpduLength: 21,
    });
    expect(buildDeliverPdu({ smsc: null, from: '123', text: 'Я', at }).hex).toBe('0004038121F300086210506070800002042F');
  });
});

describe('buildStatusReportPdu', () => {
  it('is an SMS-STATUS-REPORT the driver decodes: MR, recipient, times and TP-ST', () => {
    const at = Date.UTC(2026, 11, 5, 6, 30, 0);
    const { hex, tpduLength } = buildStatusReportPdu({ smsc: '+15550000000', mr: 42, to: '+989121234567', submittedAt: at, dischargedAt: at + 4_000, status: 0x41 });
    expect(decodeStatusReport(hex, tpduLength)).toMatchObject({
      reference: 42,
      recipient: '+989121234567',
      submittedAt: '2026-12-05T06:30:00+00:00',
      dischargedAt: '2026-12-05T06:30:04+00:00',
      status: 0x41,
      delivered: false,
    });
  });

  it('submitWantsReport reads TP-SRR of a SUBMIT PDU', () => {
    const [asked] = encodeSubmit({ to: '+989121234567', text: 'hi', requestStatusReport: true });
    const [plain] = encodeSubmit({ to: '+989121234567', text: 'hi' });
    expect([submitWantsReport(asked!.pdu), submitWantsReport(plain!.pdu)]).toEqual([true, false]);
  });
});
