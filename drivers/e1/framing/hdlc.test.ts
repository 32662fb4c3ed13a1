import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fcs16, fcs16Update, FCS16_GOOD } from './fcs16.ts';
import { HdlcDecoder, MAX_FRAME, type HdlcItem } from './HdlcDecoder.ts';
import { hdlcEncode } from './hdlcEncode.ts';

interface Vector { name: string; lapd_hex: string; fcs_hex_lsb_first: string; wire_hex: string }
const vectors = (JSON.parse(readFileSync(new URL('../../../test/fixtures/e1-vectors.json', import.meta.url), 'utf8')) as { hdlc_async_vectors: Vector[] }).hdlc_async_vectors;
const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));
const show = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
const frames = (items: HdlcItem[]): string[] => items.filter((i) => i.kind === 'frame').map((i) => show(i.bytes));
const discards = (items: HdlcItem[]): string[] => items.filter((i) => i.kind === 'discarded').map((i) => (i.kind === 'discarded' ? i.reason : ''));

/** Feed `wire` to a fresh decoder cut at `cuts`. */
function decodeIn(wire: Uint8Array, cuts: number[]): HdlcItem[] {
  const d = new HdlcDecoder();
  const out: HdlcItem[] = [];
  let at = 0;
  for (const c of [...cuts, wire.length]) {
    out.push(...d.push(wire.subarray(at, c)));
    at = c;
  }
  return out;
}

/** A small deterministic PRNG (mulberry32) for the property test. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('FCS-16', () => {
  it('has the RFC 1662 check value and residue', () => {
    const digits = new TextEncoder().encode('123456789');
    expect(fcs16(digits)).toBe(0x906e);
    const withFcs = Uint8Array.from([...digits, 0x6e, 0x90]);
    expect(fcs16Update(withFcs)).toBe(FCS16_GOOD);
  });
});

describe('async HDLC framing', () => {
  it.each(vectors.filter((v) => !v.name.includes('every control character')))('encodes $name byte for byte', (v) => {
    expect(show(hdlcEncode(hex(v.lapd_hex)))).toBe(v.wire_hex.toUpperCase());
  });

  it('escapes every control character when asked (an ACCM of all ones)', () => {
    const v = vectors.find((x) => x.name.includes('every control character'))!;
    expect(show(hdlcEncode(hex(v.lapd_hex), { escapeControls: true }))).toBe(v.wire_hex);
  });

  it.each(vectors)('decodes $name split at every byte offset', (v) => {
    const wire = hex(v.wire_hex);
    for (let cut = 0; cut <= wire.length; cut++) {
      expect(frames(decodeIn(wire, [cut])), `cut at ${cut}`).toEqual([show(hex(v.lapd_hex))]);
    }
    // And one byte at a time.
    expect(frames(decodeIn(wire, Array.from({ length: wire.length }, (_, i) => i)))).toEqual([show(hex(v.lapd_hex))]);
  });

  it('two frames sharing a flag, two in one chunk, empty frames ignored', () => {
    const a = hdlcEncode(hex('00 01 7F'));
    const b = hdlcEncode(hex('02 01 01 03'));
    const shared = Uint8Array.from([...a, ...b.subarray(1)]);
    expect(frames(decodeIn(shared, []))).toEqual(['00 01 7F', '02 01 01 03']);
    const both = Uint8Array.from([0x7e, 0x7e, ...a, ...b, 0x7e]);
    const items = decodeIn(both, []);
    expect(frames(items)).toEqual(['00 01 7F', '02 01 01 03']);
    expect(discards(items)).toEqual([]);
  });

  it('leading garbage, a bad FCS, an abort and a runt are discarded and counted; the next frame still decodes', () => {
    const good = hdlcEncode(hex('00 01 00 00 08 02 00 32 75'));
    const badFcs = Uint8Array.from(good);
    badFcs[3] = badFcs[3]! ^ 0x01;
    const aborted = Uint8Array.from([0x7e, 0x00, 0x01, 0x02, 0x7d, 0x7e]);
    const runt = Uint8Array.from([0x7e, 0x00, 0x01, 0x7e]);
    const wire = Uint8Array.from([0x41, 0x54, 0x0d, ...badFcs, ...aborted, ...runt, ...good]);
    const d = new HdlcDecoder();
    const items = d.push(wire);
    expect(discards(items)).toEqual(['garbage', 'fcs', 'abort', 'runt']);
    expect(frames(items)).toEqual(['00 01 00 00 08 02 00 32 75']);
    expect(d.counters).toEqual({ frames: 1, fcsErrors: 1, runts: 1, aborts: 1, oversize: 0, garbageBytes: 3 });
  });

  it('an oversize frame is dropped whole and the decoder resyncs on the next flag', () => {
    const big = hdlcEncode(new Uint8Array(MAX_FRAME + 1).fill(0x55));
    const ok = hdlcEncode(new Uint8Array(MAX_FRAME).fill(0x55));
    const d = new HdlcDecoder();
    const items = d.push(Uint8Array.from([...big, ...ok]));
    expect(discards(items)).toEqual(['oversize']);
    expect(items.filter((i) => i.kind === 'frame').map((i) => i.bytes.length)).toEqual([MAX_FRAME]);
    expect(d.counters.oversize).toBe(1);
  });

  it('a partial frame at the end waits for the rest', () => {
    const wire = hdlcEncode(hex('00 01 7F'));
    const d = new HdlcDecoder();
    expect(d.push(wire.subarray(0, 4))).toEqual([]);
    expect(frames(d.push(wire.subarray(4)))).toEqual(['00 01 7F']);
  });

  it('random frames in random chunks come out as they went in (deterministic seed)', () => {
    const r = rng(1662);
    const sent: string[] = [];
    const parts: number[] = [];
    for (let n = 0; n < 300; n++) {
      const f = Uint8Array.from({ length: 3 + Math.floor(r() * 80) }, () => (r() < 0.15 ? [0x7e, 0x7d, 0x11, 0x13][Math.floor(r() * 4)]! : Math.floor(r() * 256)));
      sent.push(show(f));
      parts.push(...hdlcEncode(f, { escapeControls: r() < 0.5 }));
    }
    const wire = Uint8Array.from(parts);
    const cuts: number[] = [];
    for (let at = 0; at < wire.length; at += 1 + Math.floor(r() * 40)) cuts.push(at);
    expect(frames(decodeIn(wire, cuts))).toEqual(sent);
  });
});
