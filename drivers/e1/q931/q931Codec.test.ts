import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAUSE, causeName } from './causes.ts';
import { decodeQ931, encodeQ931, type Q931Message } from './q931Codec.ts';

interface Frame { dir: string; message: string; lapd_hex: string; tshark_fields: Record<string, string> }
const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/e1-vectors.json', import.meta.url), 'utf8')) as {
  q931_public_examples: Array<{ interface: string; q931_hex: string }>;
  call_flow_outgoing: { frames: Frame[] };
  call_flow_incoming_with_restart: { frames: Frame[] };
  single_messages: Array<{ name: string; lapd_hex: string }>;
  malformed: Array<{ name: string; lapd_hex: string }>;
};
const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((h) => parseInt(h, 16)));
const show = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
/** The Q.931 part of an I-frame: after the 2-octet address and 2-octet control. */
const q931Of = (lapd: string): Uint8Array => hex(lapd).subarray(4);
const flows = [...fx.call_flow_outgoing.frames, ...fx.call_flow_incoming_with_restart.frames];

function decoded(b: Uint8Array): Q931Message {
  const r = decodeQ931(b);
  if (!r.ok) throw new Error(r.detail);
  return r.message;
}

describe('Q.931 codec', () => {
  it('decodes the public PRI SETUP field by field and encodes it back byte for byte', () => {
    const bytes = hex(fx.q931_public_examples.find((e) => e.interface === 'PRI')!.q931_hex);
    const m = decoded(bytes);
    expect(m).toMatchObject({
      callRef: 0x32, fromDestination: false, type: 'SETUP',
      bearer: { capability: 0, layer1: 0x23 },
      channel: { channel: 5, exclusive: true },
      progress: { location: 1, description: 8 },
      calling: { digits: '2222205', type: 'national', plan: 1, presentation: 'allowed', screening: 0 },
      called: { digits: '1111105', type: 'national', plan: 1 },
      sendingComplete: true,
    });
    expect(show(encodeQ931(m))).toBe(show(bytes));
  });

  it.each(flows.map((f) => [`${f.dir} ${f.message}`, f] as const))('%s: decoded as tshark reads it, and encoded back byte for byte', (_n, f) => {
    const bytes = q931Of(f.lapd_hex);
    const r = decodeQ931(bytes);
    if (!r.ok) throw new Error(r.detail);
    const m = r.message;
    const t = f.tshark_fields;
    expect(r.problems).toMatchObject({ missing: [], invalid: [], unknownRequired: [] });
    expect(`0x${bytes[4]!.toString(16).padStart(2, '0')}`).toBe(t['q931.message_type']);
    expect(m.callRef.toString(16).padStart(4, '0')).toBe(t['q931.call_ref']);
    expect(m.fromDestination ? '1' : '0').toBe(t['q931.call_ref_flag']);
    if (t['q931.channel.number']) expect(String(m.channel?.channel)).toBe(t['q931.channel.number']);
    if (t['q931.cause_value']) expect(String(m.cause?.value)).toBe(t['q931.cause_value']);
    if (t['q931.calling_party_number.digits']) expect(m.calling?.digits).toBe(t['q931.calling_party_number.digits']);
    if (t['q931.called_party_number.digits']) expect(m.called?.digits).toBe(t['q931.called_party_number.digits']);
    if (t['q931.call_state']) expect(m.callState).toBe(Number(t['q931.call_state']));
    expect(show(encodeQ931(m))).toBe(show(bytes));
  });

  it('a SETUP with the caller ID restricted and no digits keeps the presentation', () => {
    const setup = flows.find((f) => f.lapd_hex.includes('6C 02 21 A3'))!;
    expect(decoded(q931Of(setup.lapd_hex)).calling).toEqual({ digits: '', type: 'national', plan: 1, presentation: 'restricted', screening: 3 });
  });

  it('single messages and the cause table', () => {
    for (const s of fx.single_messages) {
      const m = decoded(q931Of(s.lapd_hex));
      expect(show(encodeQ931(m))).toBe(show(q931Of(s.lapd_hex)));
      expect(m.cause).toEqual({ location: 1, value: CAUSE.userBusy });
    }
    expect(causeName(17)).toBe('userBusy');
    expect(causeName(23)).toBe('cause 23');
  });

  it('a bearer capability claiming more octets than there are is reported, not thrown', () => {
    const r = decodeQ931(q931Of(fx.malformed[0]!.lapd_hex));
    expect(r.ok && r.problems.invalid).toEqual([0x04]);
    expect(r.ok && r.problems.missing).toEqual([0x04]);
  });

  it('unknown message types, other protocols and bad call references are error results with their cause', () => {
    expect(decodeQ931(hex('08 02 00 32 33'))).toMatchObject({ ok: false, cause: 97, callRef: 0x32 });
    expect(decodeQ931(hex('09 02 00 32 05'))).toMatchObject({ ok: false, cause: 0 });
    expect(decodeQ931(hex('08 01 32 05 00'))).toMatchObject({ ok: false, cause: 81 });
  });

  it('unknown IEs: comprehension-required ones are reported apart; an IE after a non-locking shift is skipped', () => {
    const r = decodeQ931(hex('08 02 00 07 05 04 03 80 90 A3 0E 01 00 7F 01 00 9E 20 01 00 18 03 A9 83 81'));
    expect(r.ok && r.problems).toMatchObject({ unknownRequired: [0x0e], unknown: [0x7f] });
    expect(r.ok && r.message.channel).toEqual({ channel: 1, exclusive: true });
    // A locking shift to codeset 6: nothing after it is read as codeset 0.
    const locked = decodeQ931(hex('08 02 00 07 05 04 03 80 90 A3 96 18 03 A9 83 81'));
    expect(locked.ok && locked.message.channel).toBeUndefined();
    const timeslot16 = decodeQ931(hex('08 02 00 07 05 04 03 80 90 A3 18 03 A9 83 90'));
    expect(timeslot16.ok && timeslot16.problems.unsupportedChannel).toMatch(/16 is not an E1 B-channel/);
    const map = decodeQ931(hex('08 02 00 07 05 04 03 80 90 A3 18 04 A9 93 00 01'));
    expect(map.ok && map.problems.unsupportedChannel).toBe('channel map');
  });

  it('never throws: every truncation of every fixture frame, and random bytes (seeded)', () => {
    for (const f of flows) {
      const b = q931Of(f.lapd_hex);
      for (let n = 0; n <= b.length; n++) expect(() => decodeQ931(b.subarray(0, n))).not.toThrow();
    }
    let s = 931;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let k = 0; k < 2_000; k++) {
      const b = Uint8Array.from([0x08, 0x02, rnd(), rnd(), [0x05, 0x45, 0x7d, 0x46, rnd()][k % 5]!, ...Array.from({ length: rnd() % 40 }, rnd)]);
      expect(() => decodeQ931(b)).not.toThrow();
    }
  });
});
