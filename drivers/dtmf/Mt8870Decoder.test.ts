import { describe, expect, it } from 'vitest';
import { codeOfKey, keyOfCode, type DtmfKey } from './mt8870Code.ts';
import { Mt8870Decoder, type Mt8870Edge, type Mt8870Key } from './Mt8870Decoder.ts';

const MS = 1_000_000n;
const ZERO = { q1: 0, q2: 0, q3: 0, q4: 0, std: 0 };

/** The edges an MT8870 produces for `key` at `atMs`: Q lines change, 4 µs later StD rises; StD falls after `toneMs`. */
function press(state: { q: number }, key: DtmfKey, atMs: number, toneMs = 50): Mt8870Edge[] {
  const code = codeOfKey(key);
  const t = BigInt(atMs) * MS;
  const edges: Mt8870Edge[] = [];
  (['q1', 'q2', 'q3', 'q4'] as const).forEach((line, i) => {
    const was = (state.q >> i) & 1;
    const now = (code >> i) & 1;
    if (was !== now) edges.push({ line, rising: now === 1, timeNs: t });
  });
  state.q = code;
  edges.push({ line: 'std', rising: true, timeNs: t + 4_000n });
  edges.push({ line: 'std', rising: false, timeNs: t + 4_000n + BigInt(toneMs) * MS });
  return edges;
}

function run(d: Mt8870Decoder, edges: Mt8870Edge[]): Mt8870Key[] {
  return edges.map((e) => d.push(e)).filter((k): k is Mt8870Key => k !== null);
}

describe('MT8870 decoding', () => {
  it('the data sheet table: 0 = 1010, * = 1011, # = 1100, D = 0000', () => {
    expect([10, 11, 12, 0, 1, 9, 13, 15].map(keyOfCode)).toEqual(['0', '*', '#', 'D', '1', '9', 'A', 'C']);
  });

  it('decodes each of the 16 keys', () => {
    const d = new Mt8870Decoder();
    d.seed(ZERO);
    const s = { q: 0 };
    const keys: DtmfKey[] = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];
    const got = run(d, keys.flatMap((k, i) => press(s, k, i * 100)));
    expect(got.map((k) => k.key)).toEqual(keys);
    expect(got[0]!.durationMs).toBeCloseTo(50);
  });

  it('the same key twice is two keys (StD falls in between); a 15 ms pulse is a glitch', () => {
    const d = new Mt8870Decoder({ minToneMs: 20 });
    d.seed(ZERO);
    const s = { q: 0 };
    expect(run(d, [...press(s, '1', 0), ...press(s, '1', 100), ...press(s, '5', 200, 15)]).map((k) => k.key)).toEqual(['1', '1']);
    expect(d.counters).toMatchObject({ keys: 2, glitches: 1 });
  });

  it('Q lines changing after StD rose do not change the latched key', () => {
    const d = new Mt8870Decoder();
    d.seed(ZERO);
    const s = { q: 0 };
    const edges = press(s, '7', 0);
    const fall = edges.pop()!;
    edges.push({ line: 'q4', rising: true, timeNs: 10n * MS }, fall);
    expect(run(d, edges).map((k) => k.key)).toEqual(['7']);
  });

  it('a fall without a seen rise (the monitor restarted mid-tone) is discarded, never guessed', () => {
    const d = new Mt8870Decoder();
    d.seed({ q1: 1, q2: 0, q3: 0, q4: 0, std: 1 });
    expect(d.push({ line: 'std', rising: false, timeNs: 30n * MS })).toBeNull();
    expect(d.counters.unmatchedFalls).toBe(1);
    const s = { q: 1 };
    expect(run(d, press(s, '2', 100)).map((k) => k.key)).toEqual(['2']);
  });
});
