import { describe, expect, it } from 'vitest';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import { DtmfDetector, type DtmfDigit } from './DtmfDetector.ts';
import {
  addWhiteNoise, DTMF_FREQS, DTMF_KEYS, dtmf, keySequence, pairPower, render, seeded, silence, toS16le, type Segment, type Sine,
} from './dtmfTones.ts';

/** Digits found in `segments` rendered with random phases from `seed`, pushed whole. */
function detect(segments: Segment[], seed = 1): DtmfDigit[] {
  return new DtmfDetector().push(render(segments, seeded(seed)));
}

function digits(segments: Segment[], seed = 1): string {
  return detect(segments, seed).map((d) => d.digit).join('');
}

/** One key press with silence around it. */
const press = (key: string, ms: number, o: Parameters<typeof dtmf>[2] = {}): Segment[] => [silence(50), dtmf(key, ms, o), silence(60)];

describe('DtmfDetector: the digits', () => {
  it('finds each of the 16 keys (80 ms), once, with its onset and span', () => {
    for (const key of DTMF_KEYS) {
      const found = detect(press(key, 80), key.charCodeAt(0));
      expect(found.map((d) => d.digit), key).toEqual([key]);
      // The tone starts at 50 ms; the span is reported as soon as it reaches 40 ms.
      expect(Math.abs(found[0]!.atMs - 50)).toBeLessThanOrEqual(10);
      expect(found[0]!.durationMs).toBe(40);
    }
  });

  it('reads "1234567890*#ABCD" sent as 70 ms tones with 60 ms gaps, in order, at the right times', () => {
    const found = detect(keySequence('1234567890*#ABCD', 70, 60), 7);
    expect(found.map((d) => d.digit).join('')).toBe('1234567890*#ABCD');
    found.forEach((d, i) => expect(Math.abs(d.atMs - (60 + i * 130))).toBeLessThanOrEqual(10));
  });

  it('a key held for 2 s is one digit', () => {
    expect(digits(press('5', 2_000))).toBe('5');
  });

  it('the same key twice with a 60 ms gap is two digits; a 20 ms dropout inside a press is not a gap', () => {
    expect(digits([silence(30), dtmf('7', 100), silence(60), dtmf('7', 100), silence(60)])).toBe('77');
    // A lost speech frame (GSM: 20 ms) inside a held key: shorter than the 40 ms minimum pause.
    expect(digits([silence(30), dtmf('7', 100), silence(20), dtmf('7', 100), silence(60)])).toBe('7');
    // Two different keys need no gap at all.
    expect(digits([silence(30), dtmf('3', 80), dtmf('9', 80), silence(60)])).toBe('39');
  });

  it('rejects a 20 ms blip and accepts a 40 ms tone at every alignment to the 10 ms hop (Q.24)', () => {
    for (let offset = 0; offset < 80; offset += 5) {
      const lead = 40 + offset / 8; // ms, in 5-sample steps
      expect(digits([silence(lead), dtmf('9', 20), silence(60)], offset), `20 ms at +${offset}`).toBe('');
      expect(digits([silence(lead), dtmf('9', 40), silence(60)], offset), `40 ms at +${offset}`).toBe('9');
    }
  });

  it('minDurationMs 80 (chan_dongle mindtmfduration) drops a 60 ms tone and keeps an 80 ms one', () => {
    const strict = (segs: Segment[]): string => new DtmfDetector({ minDurationMs: 80 }).push(render(segs)).map((d) => d.digit).join('');
    expect(strict(press('4', 60))).toBe('');
    expect(strict(press('4', 80))).toBe('4');
  });
});

describe('DtmfDetector: the pause between two presses (issue #9b)', () => {
  const KEYS4 = '15#D';
  /** Digit counts for `build(key, leadMs)` over 4 keys × 16 alignments to the 10 ms hop, with white noise at `snrDb` if given. */
  function counts(build: (key: string, leadMs: number) => Segment[], snrDb?: number): number[] {
    const out: number[] = [];
    for (const key of KEYS4) {
      for (let offset = 0; offset < 80; offset += 5) {
        const seed = key.charCodeAt(0) * 100 + offset;
        let pcm = render(build(key, 40 + offset / 8), seeded(seed));
        if (snrDb !== undefined) pcm = addWhiteNoise(pcm, pairPower(), snrDb, seeded(seed + 1));
        out.push(new DtmfDetector().push(pcm).length);
      }
    }
    return out;
  }
  const every = (n: number): number[] => Array<number>(KEYS4.length * 16).fill(n);
  const held = (dropMs: number) => (key: string, lead: number): Segment[] => [silence(lead), dtmf(key, 190), silence(dropMs), dtmf(key, 190), silence(80)];

  it('one 400 ms press through a 20 ms dropout is one digit at every alignment, clean and in noise (+6 dB SNR)', () => {
    expect(counts(held(20))).toEqual(every(1));
    // Noise spoils single windows next to the dropout: they fail the strict checks but the key is still there.
    expect(counts(held(20), 6)).toEqual(every(1));
  });

  it('a long press in heavy noise (+3 dB SNR) is one digit: windows spoilt by noise are no pause', () => {
    expect(counts((key, lead) => [silence(lead), dtmf(key, 400), silence(80)], 3)).toEqual(every(1));
  });

  it('any dropout shorter than the 40 ms minimum pause keeps the press whole', () => {
    for (const ms of [10, 30, 35]) expect(counts(held(ms)), `${ms} ms`).toEqual(every(1));
  });

  it('two presses of the same key 60 ms apart are two digits, clean and in noise', () => {
    expect(counts(held(60))).toEqual(every(2));
    expect(counts(held(60), 6)).toEqual(every(2));
  });

  it('quick typing keeps every digit: the same key 80 ms on / 100 ms off (where mindtmfinterval=200 would drop them) and 60 ms off', () => {
    for (const gap of [100, 60]) {
      expect(digits(keySequence('5555', 80, gap)), `${gap} ms`).toBe('5555');
      expect(digits(keySequence('1123', 80, gap)), `${gap} ms`).toBe('1123');
      const noisy = addWhiteNoise(render(keySequence('9999', 80, gap), seeded(gap)), pairPower(), 6, seeded(gap + 1));
      expect(new DtmfDetector().push(noisy).map((d) => d.digit).join(''), `${gap} ms, noisy`).toBe('9999');
    }
  });

  it('minGapMs is an option: 80 bridges a 60 ms pause and still splits at 100 ms', () => {
    const at = (gap: number): string => new DtmfDetector({ minGapMs: 80 }).push(render(held(gap)('7', 40))).map((d) => d.digit).join('');
    expect(at(60)).toBe('7');
    expect(at(100)).toBe('77');
  });
});

describe('DtmfDetector: Q.24 acceptance limits', () => {
  it('accepts every key with both tones 1 % (and 1.5 %) off, rejects 4 % (and 3.5 %) off, either direction', () => {
    for (const key of DTMF_KEYS) {
      for (const deviation of [0.01, -0.01, 0.015, -0.015]) expect(digits(press(key, 100, { deviation })), `${key} ${deviation}`).toBe(key);
      for (const deviation of [0.04, -0.04, 0.035, -0.035]) expect(digits(press(key, 100, { deviation })), `${key} ${deviation}`).toBe('');
    }
  });

  it('rejects a pair when only one tone is 4 % off', () => {
    const [row, col] = DTMF_FREQS['5']!;
    const at = (r: number, c: number): Segment[] => [silence(40), { ms: 100, sines: [{ hz: r, dbfs: -10 }, { hz: c, dbfs: -10 }] }, silence(60)];
    expect(digits(at(row * 1.04, col))).toBe('');
    expect(digits(at(row, col * 0.96))).toBe('');
    expect(digits(at(row * 1.01, col * 0.99))).toBe('5');
  });

  it('twist: row up to 7 dB or column up to 5 dB louder is accepted; 10 dB / 8 dB is not', () => {
    for (const key of '1590#D') {
      expect(digits(press(key, 100, { rowDb: 7 })), `${key} row +7`).toBe(key);
      expect(digits(press(key, 100, { colDb: 5 })), `${key} col +5`).toBe(key);
      expect(digits(press(key, 100, { rowDb: 10 })), `${key} row +10`).toBe('');
      expect(digits(press(key, 100, { colDb: 8 })), `${key} col +8`).toBe('');
    }
  });

  it('the twist limits are options', () => {
    const wide = new DtmfDetector({ maxRowOverColDb: 12 });
    expect(wide.push(render(press('8', 100, { rowDb: 10 }))).map((d) => d.digit)).toEqual(['8']);
  });

  it('still reads every key with white noise 20 dB below the tones (SNR +20 dB), also 1 % off with 4 dB twist', () => {
    const keys = DTMF_KEYS;
    const clean = render(keySequence(keys, 80, 60), seeded(3));
    const noisy = addWhiteNoise(clean, pairPower(), 20, seeded(4));
    expect(new DtmfDetector().push(noisy).map((d) => d.digit).join('')).toBe(keys);
    const rough = render([...keys].flatMap((k) => [silence(60), dtmf(k, 80, { deviation: 0.01, colDb: 4 })]).concat(silence(60)), seeded(5));
    const roughNoisy = addWhiteNoise(rough, pairPower(), 20, seeded(6));
    expect(new DtmfDetector().push(roughNoisy).map((d) => d.digit).join('')).toBe(keys);
  });

  it('ignores tones below the level floor (−40 dBFS per tone)', () => {
    expect(digits(press('2', 100, { dbfs: -45 }))).toBe('');
    expect(digits(press('2', 100, { dbfs: -35 }))).toBe('2');
  });
});

describe('DtmfDetector: talk-off and silence', () => {
  const all = Object.values(DTMF_FREQS).flat();
  /** A frequency at least 6 % from every DTMF tone. */
  const offGrid = (hz: number): boolean => all.every((f) => Math.abs(hz / f - 1) > 0.06);

  it('random sine mixtures off the DTMF grid, and voiced-speech-like harmonic series, give no digit', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = seeded(seed);
      const mix: Segment[] = [];
      const voiced: Segment[] = [];
      for (let i = 0; i < 8; i++) {
        const sines: Sine[] = [];
        while (sines.length < 2 + (i % 3)) {
          const hz = 300 + rnd() * 3_100;
          if (offGrid(hz)) sines.push({ hz, dbfs: -6 - rnd() * 14 });
        }
        mix.push({ ms: 40 + rnd() * 200, sines });
        // A vowel: f0 90–250 Hz and its harmonics to 3.4 kHz, falling ~6 dB/octave; harmonics may land on DTMF tones.
        const f0 = 90 + rnd() * 160;
        const series: Sine[] = [];
        for (let k = 1; k * f0 < 3_400; k++) series.push({ hz: k * f0, dbfs: -12 - 20 * Math.log10(k) - rnd() * 10 });
        voiced.push({ ms: 40 + rnd() * 200, sines: series });
      }
      expect(digits(mix, seed), `mixture ${seed}`).toBe('');
      expect(digits(voiced, seed), `voiced ${seed}`).toBe('');
    }
  });

  it('a single DTMF frequency alone, at any level, gives no digit', () => {
    for (const hz of [697, 770, 852, 941, 1209, 1336, 1477, 1633]) {
      for (const dbfs of [-3, -10, -30]) expect(digits([{ ms: 300, sines: [{ hz, dbfs }] }]), `${hz} Hz`).toBe('');
    }
  });

  it('silence (and a DC offset) gives nothing', () => {
    const d = new DtmfDetector();
    expect(d.push(new Int16Array(8_000))).toEqual([]);
    expect(d.push(new Int16Array(8_000).fill(1_000))).toEqual([]);
  });
});

describe('DtmfDetector: the stream', () => {
  const pcm = render(keySequence('1#5', 60, 50), seeded(9));
  const bytes = toS16le(pcm);
  const whole = new DtmfDetector().push(pcm);

  it('bytes and samples give the same digits', () => {
    expect(whole.map((d) => d.digit).join('')).toBe('1#5');
    expect(new DtmfDetector().push(bytes)).toEqual(whole);
  });

  it('any chunk size, in bytes (odd sizes split samples) or samples, gives identical results', () => {
    for (let size = 1; size <= 400; size++) {
      const byBytes = new DtmfDetector();
      const fromBytes: DtmfDigit[] = [];
      for (let off = 0; off < bytes.length; off += size) fromBytes.push(...byBytes.push(bytes.subarray(off, off + size)));
      expect(fromBytes, `${size} bytes`).toEqual(whole);
      if (size > 200) continue;
      const bySamples = new DtmfDetector();
      const fromSamples: DtmfDigit[] = [];
      for (let off = 0; off < pcm.length; off += size) fromSamples.push(...bySamples.push(pcm.subarray(off, off + size)));
      expect(fromSamples, `${size} samples`).toEqual(whole);
    }
  });

  it('random splits, empty pushes and an odd byte at every step give identical results', () => {
    const rnd = seeded(11);
    const d = new DtmfDetector();
    const out: DtmfDigit[] = [];
    for (let off = 0; off < bytes.length; ) {
      const n = 1 + 2 * Math.floor(rnd() * 97); // always odd: every chunk boundary after the first splits a sample
      out.push(...d.push(new Uint8Array(0)), ...d.push(bytes.subarray(off, off + n)));
      off += n;
    }
    expect(out).toEqual(whole);
  });

  it('reset() restarts time and forgets a held key', () => {
    const d = new DtmfDetector();
    const held = render([dtmf('6', 200)]);
    expect(d.push(held.subarray(0, 800)).map((x) => x.digit)).toEqual(['6']);
    d.push(Uint8Array.of(0x12)); // a stray odd byte is dropped by reset too
    d.reset();
    const again = d.push(held.subarray(800));
    expect(again.map((x) => [x.digit, x.atMs])).toEqual([['6', 0]]);
  });

  it('never throws on garbage bytes and keeps its state bounded', () => {
    const rnd = seeded(13);
    const d = new DtmfDetector();
    const junk = Uint8Array.from({ length: 50_000 }, () => Math.floor(rnd() * 256));
    expect(() => d.push(junk)).not.toThrow();
    // The same detector reads a key right after: nothing from the junk lingers but the last window.
    expect(d.push(render(press('0', 80))).map((x) => x.digit)).toEqual(['0']);
  });

  it('rejects invalid options once, at construction', () => {
    const err = (() => {
      try {
        new DtmfDetector({ minEnergyRatio: 2 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isCcgateError(err, 'CONFIG_INVALID')).toBe(true);
    expect(() => new DtmfDetector({ minGapMs: Number.NaN })).toThrow(/minGapMs/);
  });
});
