import { describe, expect, it } from 'vitest';
import { parseUrc, urcShape } from './urcTable.ts';

/** Every URC named in gsm-modems.md for the four families: [line, kind, trailing lines]. */
const NAMED: ReadonlyArray<[string, string, number]> = [
  ['RING', 'ring', 0],
  ['+CRING: VOICE', 'ring', 0],
  ['+CLIP: "+27820001234",145,,,,0', 'callerId', 0],
  ['+CCWA: "+27820001234",145,1', 'callerId', 0],
  ['+CLCC: 1,1,4,0,0,"+27820001234",145', 'callListEntry', 0],
  ['^ORIG:1,0', 'callState', 0],
  ['^CONF:1', 'callState', 0],
  ['^CONN:1,0', 'callState', 0],
  ['^CEND:1,5,29,16', 'callState', 0],
  ['+QIND: "ccinfo",2,0,3,0,0,"XXXXXXXXX",129', 'callState', 0],
  ['^DSCI: 2,1,6,0,+48XXXXXXXXX,145', 'callState', 0],
  ['VOICE CALL: BEGIN', 'callState', 0],
  ['VOICE CALL: END: 000041', 'callState', 0],
  ['NO CARRIER', 'callEnded', 0],
  ['BUSY', 'callEnded', 0],
  ['NO ANSWER', 'callEnded', 0],
  ['NO DIALTONE', 'callEnded', 0],
  ['+DTMF: 1,40', 'dtmf', 0],
  ['+DTMF:1', 'dtmf', 0],
  ['+RXDTMF: 8', 'dtmf', 0],
  ['+QTONEDET: 56', 'dtmf', 0],
  ['^DDTMF: 1', 'dtmf', 0],
  ['+CREG: 5,"0502","0404736D"', 'registration', 0],
  ['+CGREG: 1,"8BE3","00002B5D",3', 'registration', 0],
  ['+CEREG: 1, 1F00, 79D903 ,7', 'registration', 0],
  ['^RSSI:26', 'signal', 0],
  ['^HCSQ:"LTE",60,52,106,24', 'signal', 0],
  ['+CSQN: 25,0', 'signal', 0],
  ['+QIND: "csq",20,99', 'signal', 0],
  ['+CMTI: "SM",5', 'smsStored', 0],
  ['+CMTI: 0,111', 'smsStored', 0],
  ['+CDSI: "SM",3', 'statusReport', 0],
  ['RDY', 'boot', 0],
  ['+CFUN: 1', 'boot', 0],
  ['+CPIN: READY', 'boot', 0],
  ['Call Ready', 'boot', 0],
  ['SMS Ready', 'boot', 0],
  ['+QUSIM: 1', 'boot', 0],
  ['+CPIN: NOT INSERTED', 'simState', 0],
  ['+CPIN: SIM PIN', 'simState', 0],
  ['+CREC: 0', 'playbackDone', 0],
  ['+AUDIOSTATE: audio play stop', 'playbackDone', 0],
  ['+QPSND: 0', 'playbackDone', 0],
  ['UNDER-VOLTAGE WARNNING', 'power', 0],
  ['UNDER_VOLTAGE WARNING ', 'power', 0],
  ['OVER-VOLTAGE WARNNING', 'power', 0],
  ['NORMAL POWER DOWN', 'power', 0],
  ['^BOOT:48175390,0,0,0,89', 'noise', 0],
  ['^MODE:5,4', 'noise', 0],
  ['^SRVST:2', 'noise', 0],
  ['^SIMST:1', 'noise', 0],
  ['^DSFLOWRPT:0000000A,00000000,00000000', 'noise', 0],
  ['^STIN:0,0', 'noise', 0],
  ['^NWTIME:24/06/11,08:37:38+32,0', 'noise', 0],
  ['+CIEV: 7,1', 'noise', 0],
  ['^CIEV: 1,0', 'noise', 0],
  ['*PSUTTZ: 2024,6,11,8,37,38,"+32",0', 'noise', 0],
  ['DST: 1', 'noise', 0],
  ['+CTZV: +32', 'noise', 0],
  ['+CGDMODIND:1', 'noise', 0],
  ['MISSED_CALL: 11:01AM 07712345678', 'noise', 0],
  ['+QIND: "act","LTE"', 'noise', 0],
  ['+CNSMOD: 8', 'noise', 0],
  ['+QLTS: "2017/10/13,03:40:48+32,0"', 'noise', 0],
  ['COMMAND NO RESPONSE!', 'noise', 0],
  ['+CFUN: 0', 'noise', 0],
  ['+CREC: 1', 'noise', 0],
];

describe('urcShape / parseUrc: every URC of gsm-modems.md', () => {
  it.each(NAMED)('%j → %s', (line, kind, trailing) => {
    expect(urcShape.trailingLines(line)).toBe(trailing);
    expect(parseUrc(line, [])?.kind).toBe(kind);
  });

  it('+CMT: and PDU-mode +CDS: take one trailing line; text-mode +CDS none', () => {
    expect(urcShape.trailingLines('+CMT: ,24')).toBe(1);
    expect(urcShape.trailingLines('+CDS: 24')).toBe(1);
    expect(urcShape.trailingLines('+CDS: 2,13,"+2782",145,"13/01/28,14:51:42+08","13/01/28,14:51:45+08",0')).toBe(0);
    const pdu = '07914356060013F1065A098136395339F6219011700463802190117004638030';
    expect(parseUrc('+CMT: ,24', [pdu])).toEqual({ kind: 'smsDeliver', length: 24, pdu });
    expect(parseUrc('+CDS: 24', [pdu])).toMatchObject({ kind: 'statusReport', pdu });
  });

  it('boot marker texts are normalised', () => {
    expect(parseUrc('+CPIN:READY')).toEqual({ kind: 'boot', marker: '+CPIN: READY' });
    expect(parseUrc('UNDER_VOLTAGE WARNING ')).toEqual({ kind: 'power', text: 'UNDER_VOLTAGE WARNING' });
  });

  it.each(['OK', 'ERROR', 'huawei', '+CSQ: 28,99', '+COPS: 0,0,"TELE2",0', '+WIND: 2', 'HANGUP: 1', '', '   ', '> ', 'RINGING', 'AT+CSQ'])(
    'does not claim %j',
    (line) => {
      expect(urcShape.trailingLines(line)).toBeNull();
      expect(parseUrc(line, [])).toBeNull();
    },
  );

  it('known but malformed lines are known to the shape and null from parseUrc', () => {
    for (const line of ['+CLIP:', '+CLCC: 1,1,4,0,0,"+7913913ABCA"', '+DTMF: Z', '+CREG: x', '^CEND:', '+CMTI: ']) {
      expect(urcShape.trailingLines(line)).toBe(0);
      expect(parseUrc(line, [])).toBeNull();
    }
  });

  it('never throws on arbitrary latin1 bytes (P16)', () => {
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const len = i % 40;
      for (let j = 0; j < len; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += String.fromCharCode(seed % 256);
      }
      const prefix = NAMED[i % NAMED.length]?.[0].slice(0, 6) ?? '';
      expect(() => parseUrc(prefix + s, [s])).not.toThrow();
      expect(() => urcShape.trailingLines(prefix + s)).not.toThrow();
    }
  });
});
