import { describe, expect, it } from 'vitest';
import { parseCmglHeader, parseCmgrHeader } from './smsHeaders.ts';
import { parseCds, parseCdsi, parseCmt, parseCmti } from './smsUrc.ts';

describe('SMS URCs (27.005 §3.4.1)', () => {
  it.each([
    ['+CMTI: "SM",5', 'SM', 5],
    ['+CMTI: "ME",41', 'ME', 41],
    ['+CMTI: 0,111', '0', 111],
  ])('%s', (line, memory, index) => {
    expect(parseCmti(line)).toEqual({ kind: 'smsStored', memory, index });
  });
  it.each(['+CMTI: ', '+CMTI: "SM"', '+CMTI: "SM",x', '+CMTI: ,3'])('CMTI null for %j', (line) => {
    expect(parseCmti(line)).toBeNull();
  });

  it('+CMT: takes its PDU line', () => {
    expect(parseCmt('+CMT: ,24', ['07917248014000f5'])).toEqual({ kind: 'smsDeliver', length: 24, pdu: '07917248014000F5' });
    expect(parseCmt('+CMT: "",24', ['0791'])).toMatchObject({ length: 24 });
    expect(parseCmt('+CMT: ,24', [])).toBeNull();
    expect(parseCmt('+CMT: ,24', ['not hex'])).toBeNull();
    expect(parseCmt('+CMT: "+2782",,"13/01/28,14:51:42+08"', ['Hello'])).toBeNull();
  });

  it('+CDSI and +CDS', () => {
    expect(parseCdsi('+CDSI: "SM",3')).toEqual({ kind: 'statusReport', memory: 'SM', index: 3, pdu: null });
    // ModemManager test-modem-helpers.c line 3558.
    expect(parseCds('+CDS: 24', ['07914356060013F1065A098136395339F6219011700463802190117004638030'])).toEqual({
      kind: 'statusReport',
      memory: null,
      index: null,
      pdu: '07914356060013F1065A098136395339F6219011700463802190117004638030',
    });
    expect(parseCds('+CDS: 2,13,"+2782",145', [])).toBeNull();
  });
});

describe('+CMGR / +CMGL headers (27.005 §3.4.2–3, §4.1–2)', () => {
  it.each([
    ['+CMGR: 0,,106', { mode: 'pdu', index: null, stat: 0, alpha: null, length: 106 }],
    ['+CMGR: ,,27', { mode: 'pdu', index: null, stat: null, alpha: null, length: 27 }],
    ['+CMGR: 0,23', { mode: 'pdu', index: null, stat: 0, alpha: null, length: 23 }],
    ['+CMGR: 24', { mode: 'pdu', index: null, stat: null, alpha: null, length: 24 }],
    ['+CMGR: 4,1,,151', { mode: 'pdu', index: null, stat: 1, alpha: null, length: 151 }],
    ['+CMGR: 1,"Bob",31', { mode: 'pdu', index: null, stat: 1, alpha: 'Bob', length: 31 }],
    ['+CMGR: 1,,147 0791AB', { mode: 'pdu', index: null, stat: 1, alpha: null, length: 147, pdu: '0791AB' }],
    [
      '+CMGR: "REC UNREAD","+27820001234",,"13/01/28,14:51:42+08"',
      { mode: 'text', index: null, stat: 'REC UNREAD', address: '+27820001234', alpha: null, timestamp: '13/01/28,14:51:42+08' },
    ],
  ])('CMGR %s', (line, expected) => {
    expect(parseCmgrHeader(line)).toEqual(expected);
  });

  it.each([
    ['+CMGL: 0,1,,147', { mode: 'pdu', index: 0, stat: 1, alpha: null, length: 147 }],
    ['+CMGL: 17,3,35', { mode: 'pdu', index: 17, stat: 3, alpha: null, length: 35 }],
    ['+CMGL: 0,1,,31', { mode: 'pdu', index: 0, stat: 1, alpha: null, length: 31 }],
    [
      '+CMGL: 1,"REC READ","+2784000153099999",,"13/02/07,01:31:44+08"',
      { mode: 'text', index: 1, stat: 'REC READ', address: '+2784000153099999', alpha: null, timestamp: '13/02/07,01:31:44+08' },
    ],
  ])('CMGL %s', (line, expected) => {
    expect(parseCmglHeader(line)).toEqual(expected);
  });

  it.each(['+CMGR:', '+CMGR: 1,,x', '+CMGR: 9,,20', '+CMGL: x,1,,20', '+CMGL: 1'])('null for %s', (line) => {
    expect(line.startsWith('+CMGR') ? parseCmgrHeader(line) : parseCmglHeader(line)).toBeNull();
  });
});
