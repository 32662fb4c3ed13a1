import { describe, expect, it } from 'vitest';
import { parseCallEnded, parseCallState, parseRing } from './callState.ts';

describe('parseCallState', () => {
  it.each([
    // Huawei K3715 fixture (huawei-k3715.json urc_sequences) and §5.4 examples.
    ['^ORIG:1,0', { index: 1, state: 'dialing', source: '^ORIG' }],
    ['^CONF:1', { index: 1, state: 'alerting', source: '^CONF' }],
    ['^CONN:1,0', { index: 1, state: 'active', source: '^CONN' }],
    ['^CEND:1,5,29,16', { index: 1, state: 'ended', source: '^CEND', cause: 16 }],
    ['^CEND:2,0,104', { index: 2, state: 'ended', source: '^CEND' }],
    // Quectel (quectel-ec2x-eg25.json parser_comment_examples).
    ['+QIND: "ccinfo",2,0,3,0,0,"XXXXXXXXX",129', { index: 2, state: 'alerting', source: '+QIND ccinfo', number: 'XXXXXXXXX' }],
    ['+QIND: "ccinfo",2,0,-1,0,0,"XXXXXXXXX",129', { index: 2, state: 'ended', source: '+QIND ccinfo', number: 'XXXXXXXXX' }],
    ['+QIND: "ccinfo",1,1,4,0,0,"+27820001234",145', { index: 1, state: 'incoming', source: '+QIND ccinfo', number: '+27820001234' }],
    // ^DSCI: 3 connected, 6 released, 7 alerting (NOT the CLCC codes).
    ['^DSCI: 2,1,4,0,+48XXXXXXXXX,145', { index: 2, state: 'incoming', source: '^DSCI', number: '+48XXXXXXXXX' }],
    ['^DSCI: 2,1,6,0,+48XXXXXXXXX,145', { index: 2, state: 'ended', source: '^DSCI', number: '+48XXXXXXXXX' }],
    ['^DSCI: 4,1,3,0,+XXXXXXXXX,145', { index: 4, state: 'active', source: '^DSCI', number: '+XXXXXXXXX' }],
    ['^DSCI: 3,0,6,0,XXXXXXX,129', { index: 3, state: 'ended', source: '^DSCI', number: 'XXXXXXX' }],
    ['^DSCI: 1,0,7,0,123,129', { index: 1, state: 'alerting', source: '^DSCI', number: '123' }],
    // SIMCom (simcom-sim7600.json).
    ['VOICE CALL: BEGIN', { index: null, state: 'active', source: 'VOICE CALL' }],
    ['VOICE CALL: END', { index: null, state: 'ended', source: 'VOICE CALL' }],
    ['VOICE CALL: END: 000041', { index: null, state: 'ended', source: 'VOICE CALL' }],
  ])('%s', (line, expected) => {
    expect(parseCallState(line)).toEqual({ kind: 'callState', ...expected });
  });

  it.each(['^ORIG:', '^CONF:x', '^DSCI: 1,0,9,0,1,129', '+QIND: "csq",20,99', '+QIND: "ccinfo",1,0,8,0,0', 'VOICE CALL: MAYBE', '^BOOT:1,2'])(
    'returns null for %s',
    (line) => {
      expect(parseCallState(line)).toBeNull();
    },
  );
});

describe('parseCallEnded / parseRing', () => {
  it('maps the four call-ending finals', () => {
    expect(['NO CARRIER', 'BUSY', 'NO ANSWER', 'NO DIALTONE', 'OK'].map((l) => parseCallEnded(l)?.reason ?? null)).toEqual([
      'noCarrier',
      'busy',
      'noAnswer',
      'noDialtone',
      null,
    ]);
  });
  it('reads RING and +CRING', () => {
    expect(parseRing('RING')).toEqual({ kind: 'ring', type: null });
    expect(parseRing('+CRING: VOICE')).toEqual({ kind: 'ring', type: 'VOICE' });
    expect(parseRing('RINGING')).toBeNull();
  });
});
