import { describe, expect, it } from 'vitest';
import { parseCsq, parseSignalUrc, rssiToDbm } from './signal.ts';

describe('signal', () => {
  it('rssiToDbm: −113 + 2·rssi, 99 and out of range → null', () => {
    expect([0, 1, 15, 31, 99, 32, -1].map(rssiToDbm)).toEqual([-113, -111, -83, -51, null, null, null]);
  });

  it.each([
    ['+CSQ: 28,99', { rssi: 28, ber: null }],
    ['+CSQ: 24,99', { rssi: 24, ber: null }],
    ['+CSQ: 99,99', { rssi: 99, ber: null }],
    ['+CSQ: 10,3', { rssi: 10, ber: 3 }],
    ['+CSQ:31,0', { rssi: 31, ber: 0 }],
  ])('parseCsq %s', (line, expected) => {
    expect(parseCsq(line)).toEqual(expected);
  });

  it.each(['+CSQ: (0-31,99),(0-7,99)', '+CSQ: 40,0', '+CSQ:', '+CSQN: 20,0'])('parseCsq rejects %s', (line) => {
    expect(parseCsq(line)).toBeNull();
  });

  it.each([
    ['+CSQN: 25,0', 25, 0, '+CSQN'],
    ['^RSSI:26', 26, null, '^RSSI'],
    ['^RSSI:13', 13, null, '^RSSI'],
    ['^RSSI: 99', 99, null, '^RSSI'],
    ['+QIND: "csq",20,99', 20, null, '+QIND csq'],
    // Scenario 1: LTE RSSI 60 on Huawei's scale = −61 dBm = 27.007 rssi 26, matching the ^RSSI:26 beside it.
    ['^HCSQ:"LTE",60,52,106,24', 26, null, '^HCSQ'],
    ['^HCSQ:"WCDMA",30,30,58', 11, null, '^HCSQ'], // −91 dBm,
    ['^HCSQ:"NOSERVICE"', 99, null, '^HCSQ'],
    ['^HCSQ:"GSM",255', 99, null, '^HCSQ'],
  ])('URC %s', (line, rssi, ber, source) => {
    expect(parseSignalUrc(line)).toEqual({ kind: 'signal', rssi, ber, source });
  });

  it.each(['^RSSI:', '^RSSI:abc', '^HCSQ:"CDMA",1', '+QIND: "act","LTE"', '+CSQ: 20,0'])('URC null for %s', (line) => {
    expect(parseSignalUrc(line)).toBeNull();
  });
});
