/**
 * Test and simulator support: 8 kHz 16-bit PCM made of sine segments (DTMF
 * per ITU-T Q.23, gaps, arbitrary tone mixtures), plus seeded noise. Pure
 * functions; nothing here reads a clock or a global random source.
 */

const RATE = 8_000;

/** Q.23 row (low) and column (high) frequency of each key, Hz. */
export const DTMF_FREQS: Readonly<Record<string, readonly [number, number]>> = (() => {
  const rows = [697, 770, 852, 941];
  const cols = [1209, 1336, 1477, 1633];
  const keys = ['123A', '456B', '789C', '*0#D'];
  const out: Record<string, readonly [number, number]> = {};
  keys.forEach((line, r) => [...line].forEach((k, c) => (out[k] = [rows[r] ?? 0, cols[c] ?? 0])));
  return out;
})();

export const DTMF_KEYS = '123A456B789C*0#D';

/** One sine: frequency (Hz) and level (dBFS: amplitude relative to 16-bit full scale). */
export interface Sine {
  hz: number;
  dbfs: number;
}

/** A stretch of audio: the sum of `sines` (none = silence) for `ms`. */
export interface Segment {
  ms: number;
  sines: readonly Sine[];
}

/** Level of each DTMF tone when not given: −10 dBFS (the pair peaks at −4 dBFS). */
export const TONE_DBFS = -10;

/**
 * A key press: the row and column tone of `key`, each shifted by `deviation`
 * (0.01 = +1 %), the row `rowDb` and the column `colDb` relative to `dbfs`.
 */
export function dtmf(key: string, ms: number, o: { deviation?: number; rowDb?: number; colDb?: number; dbfs?: number } = {}): Segment {
  const f = DTMF_FREQS[key];
  if (!f) throw new RangeError(`not a DTMF key: ${key}`);
  const k = 1 + (o.deviation ?? 0);
  const level = o.dbfs ?? TONE_DBFS;
  return { ms, sines: [{ hz: f[0] * k, dbfs: level + (o.rowDb ?? 0) }, { hz: f[1] * k, dbfs: level + (o.colDb ?? 0) }] };
}

export function silence(ms: number): Segment {
  return { ms, sines: [] };
}

/** `keys` as tones of `toneMs` separated by `gapMs` of silence (and `gapMs` before the first). */
export function keySequence(keys: string, toneMs: number, gapMs: number): Segment[] {
  return [...keys].flatMap((k) => [silence(gapMs), dtmf(k, toneMs)]).concat(silence(gapMs));
}

/**
 * Render segments to samples. Phases restart at each segment with offsets
 * drawn from `random` (default: 0), like a real generator keyed per press.
 */
export function render(segments: readonly Segment[], random: () => number = () => 0): Int16Array {
  const total = segments.reduce((n, s) => n + Math.round((s.ms * RATE) / 1_000), 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const seg of segments) {
    const n = Math.round((seg.ms * RATE) / 1_000);
    const parts = seg.sines.map((s) => ({ w: (2 * Math.PI * s.hz) / RATE, a: 32_767 * 10 ** (s.dbfs / 20), ph: 2 * Math.PI * random() }));
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const p of parts) v += p.a * Math.sin(p.w * i + p.ph);
      out[at + i] = clamp16(v);
    }
    at += n;
  }
  return out;
}

/** Add white noise (uniform, seeded) whose power is `snrDb` below `signalPower` (mean square, in sample units²). */
export function addWhiteNoise(pcm: Int16Array, signalPower: number, snrDb: number, random: () => number): Int16Array {
  // Uniform on [−a, a] has power a²/3.
  const a = Math.sqrt(3 * signalPower * 10 ** (-snrDb / 10));
  return pcm.map((s) => clamp16(s + a * (2 * random() - 1)));
}

/** Mean square of a DTMF pair at `dbfs` per tone: two sines of amplitude A carry A²/2 each. */
export function pairPower(dbfs = TONE_DBFS): number {
  const amp = 32_767 * 10 ** (dbfs / 20);
  return amp * amp;
}

/** Samples as s16le bytes (the modem's audio tty format). */
export function toS16le(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 2);
  pcm.forEach((s, i) => {
    out[2 * i] = s & 0xff;
    out[2 * i + 1] = (s >> 8) & 0xff;
  });
  return out;
}

/** mulberry32: a small seeded PRNG, [0, 1). */
export function seeded(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function clamp16(v: number): number {
  return Math.max(-32_768, Math.min(32_767, Math.round(v)));
}
