import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crFor, decodeLapd, encodeLapd, isCommand, type LapdFrame } from './lapdFrame.ts';

interface ControlVector { name: string; lapd_hex: string; sapi: number; cr: number; tei: number; frame: 'I' | 'S' | 'U'; type: string; n_r?: number; p_f: number }
const fixtures = JSON.parse(readFileSync(new URL('../../../test/fixtures/e1-vectors.json', import.meta.url), 'utf8')) as {
  lapd_control_frames: ControlVector[];
  call_flow_outgoing: { frames: Array<{ lapd_hex: string; tshark_fields: Record<string, string> }> };
};
const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((h) => parseInt(h, 16)));
const show = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');

describe('LAPD frames', () => {
  it.each(fixtures.lapd_control_frames)('$name: decoded and encoded byte for byte', (v) => {
    const r = decodeLapd(hex(v.lapd_hex));
    if (!r.ok) throw new Error(r.error);
    const f = r.frame;
    expect({ sapi: f.sapi, cr: f.cr, tei: f.tei, format: f.format }).toEqual({ sapi: v.sapi, cr: v.cr, tei: v.tei, format: v.frame });
    if (f.format === 'S') expect({ type: f.type, nr: f.nr, pf: f.pf }).toEqual({ type: v.type, nr: v.n_r, pf: v.p_f === 1 });
    if (f.format === 'U') expect({ type: f.type, pf: f.pf }).toEqual({ type: v.type, pf: v.p_f === 1 });
    expect(show(encodeLapd(f))).toBe(v.lapd_hex.toUpperCase());
  });

  it('I-frames of the call flow: N(S), N(R) and C/R as tshark reads them', () => {
    for (const fr of fixtures.call_flow_outgoing.frames) {
      const r = decodeLapd(hex(fr.lapd_hex));
      if (!r.ok) throw new Error(r.error);
      const f = r.frame;
      expect(String(f.cr)).toBe(fr.tshark_fields['lapd.cr']);
      if (f.format === 'I') {
        expect(String(f.ns)).toBe(fr.tshark_fields['lapd.control.n_s']);
        expect(String(f.nr)).toBe(fr.tshark_fields['lapd.control.n_r']);
        expect(f.info[0]).toBe(0x08);
      }
      expect(show(encodeLapd(f))).toBe(fr.lapd_hex.toUpperCase());
    }
  });

  it('C/R: the user commands with 0, the network with 1', () => {
    expect(crFor('user', true)).toBe(0);
    expect(crFor('user', false)).toBe(1);
    expect(crFor('network', true)).toBe(1);
    expect(isCommand(0, 'user')).toBe(true);
    expect(isCommand(0, 'network')).toBe(false);
  });

  it('garbage is an error result, never a throw', () => {
    for (const bad of ['', '00', '00 01', '01 01 7F', '00 00 7F', '00 01 00', '00 01 0D 02', '00 01 01 02 03', '00 01 FF']) {
      const r = decodeLapd(bad ? hex(bad) : new Uint8Array());
      expect(r.ok, bad).toBe(false);
    }
    const i: LapdFrame = { sapi: 0, cr: 0, tei: 0, format: 'I', ns: 127, nr: 126, p: true, info: Uint8Array.from([8]) };
    const back = decodeLapd(encodeLapd(i));
    expect(back).toEqual({ ok: true, frame: i });
  });
});
