/**
 * Property test of the encoder against Wireshark's Q.931 dissector: seeded
 * random messages → our encoder → an I-frame → tshark; every decoded field
 * must be ours and nothing flagged malformed.
 */
import { describe, expect, it } from 'vitest';
import { decodeWithTshark, tsharkMissing } from '../../../test/support/tshark.ts';
import { encodeLapd } from '../lapd/lapdFrame.ts';
import { E1_B_CHANNELS } from '../call/ChannelTable.ts';
import type { MessageType } from './messageTypes.ts';
import { encodeQ931, type Q931Message } from './q931Codec.ts';

const missing = tsharkMissing();
if (missing) console.warn(`skipping the tshark checks: ${missing}`);

const TYPES: MessageType[] = ['SETUP', 'CALL_PROCEEDING', 'ALERTING', 'CONNECT', 'CONNECT_ACKNOWLEDGE', 'DISCONNECT', 'RELEASE', 'RELEASE_COMPLETE', 'STATUS', 'STATUS_ENQUIRY', 'PROGRESS', 'RESTART', 'RESTART_ACKNOWLEDGE', 'INFORMATION', 'SETUP_ACKNOWLEDGE'];
const CAUSES = [1, 16, 17, 18, 19, 21, 30, 31, 34, 41, 44, 81, 96, 100, 102, 111];

function generate(n: number, seed: number): Q931Message[] {
  let s = seed;
  const r = (k: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % k);
  const digits = () => Array.from({ length: 3 + r(10) }, () => String(r(10))).join('');
  return Array.from({ length: n }, (): Q931Message => {
    const type = TYPES[r(TYPES.length)]!;
    const m: Q931Message = { type, callRef: type.startsWith('RESTART') ? 0 : 1 + r(0x7ffe), fromDestination: r(2) === 1 };
    if (type === 'SETUP') {
      m.bearer = { capability: 0, layer1: 0x23 };
      m.calling = { digits: digits(), type: (['national', 'international', 'unknown'] as const)[r(3)]!, plan: 1, presentation: (['allowed', 'restricted'] as const)[r(2)]!, screening: r(4) };
      m.called = { digits: digits(), type: 'national', plan: 1 };
      m.sendingComplete = r(2) === 1;
    }
    if (['SETUP', 'CALL_PROCEEDING', 'ALERTING', 'CONNECT', 'RESTART', 'RESTART_ACKNOWLEDGE', 'SETUP_ACKNOWLEDGE'].includes(type)) {
      m.channel = { channel: E1_B_CHANNELS[r(30)]!, exclusive: r(2) === 1 };
    }
    if (type === 'RESTART' || type === 'RESTART_ACKNOWLEDGE') {
      m.restartClass = r(2) === 0 ? 0 : 7;
      if (m.restartClass === 7) delete m.channel;
    }
    if (['DISCONNECT', 'RELEASE', 'RELEASE_COMPLETE', 'STATUS'].includes(type)) m.cause = { location: [0, 1, 2, 4][r(4)]!, value: CAUSES[r(CAUSES.length)]! };
    if (type === 'STATUS') m.callState = [0, 1, 3, 4, 7, 8, 9, 10, 11, 12, 19][r(11)]!;
    if (type === 'PROGRESS' || (type === 'ALERTING' && r(2) === 1)) m.progress = { location: 1, description: [1, 2, 8][r(3)]! };
    return m;
  });
}

describe.skipIf(missing !== null)('our Q.931 encoder read by Wireshark', () => {
  it('400 random messages decode to the same fields, none malformed', () => {
    const msgs = generate(400, 7);
    const frames = msgs.map((m, i) => encodeLapd({ sapi: 0, tei: 0, cr: 0, format: 'I', ns: i % 128, nr: 0, p: false, info: encodeQ931(m) }));
    const fields = ['q931.message_type', 'q931.call_ref', 'q931.call_ref_flag', 'q931.channel.number', 'q931.channel.exclusive', 'q931.cause_value', 'q931.cause_location', 'q931.calling_party_number.digits', 'q931.called_party_number.digits', 'q931.presentation_ind', 'q931.screening_ind', 'q931.restart_indicator', 'q931.call_state', 'q931.progress_indicator.description', 'lapd.sapi', 'lapd.control.n_s'];
    const rows = decodeWithTshark(frames, fields);
    expect(rows).toHaveLength(msgs.length);
    rows.forEach((t, i) => {
      const m = msgs[i]!;
      const where = `${i}: ${JSON.stringify(m)} → ${JSON.stringify(t)}`;
      expect(t['_ws.malformed'], where).toBeUndefined();
      expect(t['lapd.sapi'], where).toBe('0');
      expect(Number(t['q931.message_type']), where).toBe(encodeQ931(m)[4]);
      expect(parseInt(t['q931.call_ref']!, 16), where).toBe(m.callRef);
      expect(t['q931.call_ref_flag'], where).toBe(m.fromDestination ? '1' : '0');
      if (m.channel) expect(t['q931.channel.number'], where).toBe(String(m.channel.channel));
      if (m.channel) expect(t['q931.channel.exclusive'], where).toBe(m.channel.exclusive ? '1' : '0');
      if (m.cause) expect([t['q931.cause_value'], t['q931.cause_location']], where).toEqual([String(m.cause.value), String(m.cause.location)]);
      if (m.calling) expect(t['q931.calling_party_number.digits'], where).toBe(m.calling.digits);
      if (m.called) expect(t['q931.called_party_number.digits'], where).toBe(m.called.digits);
      if (m.calling) expect(Number(t['q931.presentation_ind']), where).toBe(m.calling.presentation === 'restricted' ? 1 : 0);
      if (m.calling) expect(Number(t['q931.screening_ind']), where).toBe(m.calling.screening);
      if (m.restartClass !== undefined) expect(Number(t['q931.restart_indicator']), where).toBe(m.restartClass);
      if (m.callState !== undefined) expect(Number(t['q931.call_state']), where).toBe(m.callState);
      if (m.progress) expect(Number(t['q931.progress_indicator.description']), where).toBe(m.progress.description);
    });
  }, 30_000);
});
