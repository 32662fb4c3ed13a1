import { describe, expect, it } from 'vitest';
import type { AtCommand } from './AtCommand.ts';
import { type Route, type RouteContext, routeLine } from './routeLine.ts';
import { TEST_URCS } from './testing.ts';

const CSQ: AtCommand = { text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick' };
const CMGR: AtCommand = { text: 'AT+CMGR=1', expect: ['+CMGR:'], bodyLines: 1, timeout: 'normal' };
const ATI: AtCommand = { text: 'ATI', expect: 'any', timeout: 'quick' };
const DIAL: AtCommand = { text: 'ATD123;', finals: 'dial', timeout: 'dial' };
const CPIN: AtCommand = { text: 'AT+CPIN?', expect: ['+CPIN:'], completesOn: ['+CPIN: READY'], timeout: 'normal' };
const CMGS: AtCommand = { text: 'AT+CMGS=9', expect: ['+CMGS:'], payload: '0011AB', timeout: 'normal' };

const ctx = (command: AtCommand | null, bodyOwed = 0, urcOwed = 0): RouteContext => ({ command, bodyOwed, urcOwed });

const ROWS: Array<[string, string, RouteContext, Route]> = [
  ['idle: known URC', 'RING', ctx(null), { kind: 'urc', trailing: 0, known: true }],
  ['idle: unknown URC', '^BOOT:1,2', ctx(null), { kind: 'urc', trailing: 0, known: false }],
  ['idle: +CMT with one trailing line', '+CMT: ,23', ctx(null), { kind: 'urc', trailing: 1, known: true }],
  ['idle: OK is stray', 'OK', ctx(null), { kind: 'strayFinal', result: { kind: 'ok' } }],
  ['idle: NO CARRIER is a call-ended URC (P5)', 'NO CARRIER', ctx(null), { kind: 'urc', trailing: 0, known: true }],
  ['URC trailing line first, even mid-command', 'OK', ctx(CSQ, 0, 1), { kind: 'urcTrailing' }],
  ['echo exact', 'AT+CSQ', ctx(CSQ), { kind: 'echo' }],
  ['echo other AT (flapping echo)', 'ATE0', ctx(CSQ), { kind: 'echo' }],
  ['payload echo', '0011AB', ctx(CMGS), { kind: 'echo' }],
  ['expected prefix', '+CSQ: 1,2', ctx(CSQ), { kind: 'info', bodyLines: 0 }],
  ['other prefix mid-command is a URC (P3)', '^RSSI:5', ctx(CSQ), { kind: 'urc', trailing: 0, known: true }],
  ['unknown line mid-command is an unknown URC', '+CGDMODIND:1', ctx(CSQ), { kind: 'urc', trailing: 0, known: false }],
  ['final', 'ERROR', ctx(CSQ), { kind: 'final', result: { kind: 'error', text: 'ERROR' } }],
  ['NO CARRIER during CSQ is a URC', 'NO CARRIER', ctx(CSQ), { kind: 'urc', trailing: 0, known: true }],
  ['BUSY ends a dial', 'BUSY', ctx(DIAL), { kind: 'final', result: { kind: 'busy' } }],
  ['header with body', '+CMGR: 0,,27', ctx(CMGR), { kind: 'info', bodyLines: 1 }],
  ['body line', '0791ABCDEF', ctx(CMGR, 1), { kind: 'body' }],
  ['known URC between header and body (P14)', 'RING', ctx(CMGR, 1), { kind: 'urc', trailing: 0, known: true }],
  ['final wins over an owed body', 'OK', ctx(CMGR, 1), { kind: 'final', result: { kind: 'ok' } }],
  ["'any': bare text is the answer", 'Quectel', ctx(ATI), { kind: 'info', bodyLines: 0 }],
  ["'any': a line starting AT is not echo there", 'ATMEL modem', ctx(ATI), { kind: 'info', bodyLines: 0 }],
  ["'any': a known URC is a URC", '+CMTI: "SM",1', ctx(ATI), { kind: 'urc', trailing: 0, known: true }],
  ['completesOn', '+CPIN: READY', ctx(CPIN), { kind: 'complete' }],
  ['expected but not completing', '+CPIN: SIM PIN', ctx(CPIN), { kind: 'info', bodyLines: 0 }],
];

describe('routeLine', () => {
  it.each(ROWS)('%s: %j', (_, line, c, want) => expect(routeLine(line, c, TEST_URCS)).toEqual(want));
});
