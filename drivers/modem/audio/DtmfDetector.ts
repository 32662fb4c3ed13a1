import { CcgateError } from '../../../gateway/core/errors.ts';

/**
 * In-band DTMF receiver for modems that report no DTMF URC (Huawei E1550
 * class, gsm-modems.md §5.4: chan_dongle decodes the tones from the PCM
 * stream). Pure and synchronous: 8 kHz mono 16-bit PCM in, digits out; no
 * clock, no I/O, O(1) memory. Times are counted in samples since the first
 * sample (or the last reset), so any split of the same stream into pushes,
 * at any sample or byte boundary, gives identical results.
 *
 * Per window: Goertzel power at the 8 ITU-T Q.23 frequencies, then the checks
 * of Asterisk's dsp.c (the detector chan_dongle itself runs): both tones above
 * a level floor, twist, relative peak within each group, share of the total
 * energy, second harmonics ("talk-off": voiced speech is rich in them). Added
 * here: a frequency check against bins at ±5 % (see FREQ_SIDE), because a
 * Goertzel bin alone cannot tell a 1 % from a 4 % deviation at this length,
 * and tone power taken as the best of three bins 2 % apart (tonePower), so a
 * tone 1.5 % off is not penalised in the level, twist and energy tests.
 */

/** One detected key press. */
export interface DtmfDigit {
  /** `0`–`9`, `*`, `#`, `A`–`D`. */
  digit: string;
  /** Start of the detected span, ms from the first sample (≈ the tone's onset, to within one 10 ms hop). */
  atMs: number;
  /**
   * The span (ms) of the windows that held the tone when it was reported
   * (n windows: (n − 1)·10 + 20 ms), so minDurationMs with the default
   * settings. Digits are reported as soon as they qualify, not when the key is
   * released: this is not the final length of the press.
   */
  durationMs: number;
}

export interface DtmfDetectorOptions {
  /**
   * Shortest tone reported, ms. Default 40: ITU-T Q.24 requires tones of
   * ≥ 40 ms to be accepted (Asterisk dsp.c: "Minimum tone on = 40ms"). 20 ms
   * blips are rejected at any alignment. chan_dongle's `mindtmfduration=80`
   * is a stricter site choice: pass 80 for it.
   */
  minDurationMs: number;
  /**
   * Shortest pause that separates two presses of the same key, ms. Default 40
   * (Q.24's minimum pause; chan_dongle `mindtmfgap=45`). A pause is real
   * absence of the key's tones, not a window the strict checks rejected (see
   * `debounce`): an interruption shorter than this never splits a press (a
   * lost AMR frame or two, a noisy stretch); a pause of minGapMs + 20 ms
   * always separates two presses, at any alignment. Another key needs no
   * pause at all.
   */
  minGapMs: number;
  /**
   * Share of the window's energy the two tones must carry, 0–1. Default 0.6,
   * near the chan_dongle fork of Asterisk dsp.c (DTMF_TO_TOTAL_ENERGY 32 over
   * the 51 a clean pair scores in 102-sample blocks = 0.63; stock Asterisk
   * 42/51 = 0.82). Above 0.5 on purpose: a window counts only when the tone
   * fills more than half of it, which the duration maths at WINDOW relies on.
   * Measured: white noise to +6 dB SNR still reads every key.
   */
  minEnergyRatio: number;
  /**
   * Level floor per tone, dBFS (sine amplitude relative to 16-bit full scale).
   * Default −40 ≈ −37 dBm0 (a full-scale sine is +3.14 dBm0, G.711): a tone
   * sent at −10 dBm0 may lose the 26 dB Asterisk dsp.c budgets for
   * ("Attenuation <= 26dB will detect OK") and still pass.
   */
  minToneDbfs: number;
  /**
   * Low (row) tone louder than the high (column) tone, dB. Default 8: Asterisk
   * DTMF_NORMAL_TWIST 6.31 (8 dB), which bounds row over column. Named by
   * direction because "normal"/"reverse" twist are used both ways round; the
   * usual receiver window is high group −8…+4 dB relative to the low group.
   */
  maxRowOverColDb: number;
  /**
   * High (column) tone louder than the low (row) tone, dB. Default 6: Asterisk
   * "relax" reverse twist 3.98 (6 dB), the mode chan_dongle's `dtmf=relax`
   * selects; strict Asterisk/Bellcore is 4 dB.
   */
  maxColOverRowDb: number;
}

export const DTMF_DETECTOR_DEFAULTS: Readonly<DtmfDetectorOptions> = {
  minDurationMs: 40,
  minGapMs: 40,
  minEnergyRatio: 0.6,
  minToneDbfs: -40,
  maxRowOverColDb: 8,
  maxColOverRowDb: 6,
};

const RATE = 8_000;
/**
 * Window 160 samples (20 ms) advanced by 80 (10 ms). 160 gives 50 Hz bins,
 * enough for the closest pair (697/770 Hz, 1.46 bins apart) and the ±5 %
 * frequency check; it is also the modem's 20 ms PCM frame. Not plain
 * 160-sample (or 205-sample, TI SPRA096) blocks: a 20 ms blip straddling two
 * blocks and a 40 ms tone straddling three give the same hit count, so Q.24's
 * "accept ≥ 40 ms" and "reject ~20 ms" cannot both hold. With a 10 ms hop, a
 * tone of T ms fills ≥ c of about T/10 − (2c − 1)·2 windows (c ≈ the energy
 * ratio, 0.6–0.85): ≥ 3 hits at 40 ms, ≤ 2 at 20 ms.
 */
const WINDOW = 160;
const HOP = 80;
const HOP_MS = (HOP * 1_000) / RATE;
const WINDOW_MS = (WINDOW * 1_000) / RATE;
const ROWS = [697, 770, 852, 941] as const;
const COLS = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;
/** Another tone in the same group must be ≥ 8 dB weaker (Asterisk DTMF_RELATIVE_PEAK_ROW/COL 6.3). */
const RELATIVE_PEAK = 10 ** (8 / 10);
/** Second harmonic ≥ 2.3 dB below a row tone, ≥ 18 dB below a column tone (Asterisk relax 1.7 / 63.1). */
const ROW_HARMONIC = 1.7;
const COL_HARMONIC = 63.1;
/**
 * Q.24: accept a deviation ≤ 1.5 %, reject ≥ 3.5 %. A tone passes when its
 * nominal bin holds more power than the bins at f·(1 ± 5 %): for a tone inside
 * the main lobe the nearer bin wins, so the boundary falls at 2.5 %, midway.
 */
const FREQ_SIDE = 0.05;
/**
 * A held key still sounds in a window while both its tones stay within 8 dB
 * (power × 0.158) of their level in the press. Level-relative on purpose, not
 * a share of the window's energy: white noise even at +3 dB SNR puts ~19 dB
 * less into one 50 Hz bin than the tone does, so noise neither ends a press
 * nor fills a pause. Power grows with the square of the share of the window
 * the tone fills, so a window counts as pause once the pause covers more than
 * PAUSE_IN_WINDOW_MS of it.
 */
const HOLD_LEVEL = 10 ** (-8 / 10);
/** (1 − √HOLD_LEVEL) · 20 ms ≈ 12 ms: the tone fills < 40 % of the window. */
const PAUSE_IN_WINDOW_MS = (1 - Math.sqrt(HOLD_LEVEL)) * WINDOW_MS;
/** Spacing of the extra bins tonePower() looks at, relative. */
const SPREAD = 0.02;

const coeff = (hz: number): number => 2 * Math.cos((2 * Math.PI * hz) / RATE);
const ROW_C = ROWS.map(coeff);
const COL_C = COLS.map(coeff);

/** |X(f)|² over `x` (Goertzel; exact for non-bin frequencies too). */
function goertzel(x: Float64Array, c: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = (x[i] ?? 0) + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

/** Index of the largest value; the others must be RELATIVE_PEAK weaker, else −1. */
function peak(p: Float64Array): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[best] ?? 0)) best = i;
  const top = p[best] ?? 0;
  for (let i = 0; i < p.length; i++) if (i !== best && (p[i] ?? 0) * RELATIVE_PEAK > top) return -1;
  return best;
}

/** A Goertzel detector for DTMF digits; see the file header and {@link DtmfDetectorOptions}. */
export class DtmfDetector {
  private readonly o: DtmfDetectorOptions;
  private readonly minHits: number;
  private readonly gapWindows: number;
  private readonly minTonePower: number;
  private readonly win = new Float64Array(WINDOW);
  private filled = 0;
  private windowNo = 0;
  /** Low byte of a sample split across two byte pushes, or −1. */
  private oddByte = -1;
  private cand: string | null = null;
  private candFrom = 0;
  private run = 0;
  /** The key being pressed (reported, not yet released), its row/column index and tone powers in the press. */
  private held: { digit: string; r: number; c: number; rowRef: number; colRef: number } | null = null;
  private misses = 0;
  /** This window's nominal-bin power per row and column tone (0 in digital silence). */
  private readonly rowP = new Float64Array(ROWS.length);
  private readonly colP = new Float64Array(COLS.length);

  /** @throws CcgateError CONFIG_INVALID on an out-of-range option (once, here; push never throws). */
  constructor(options: Partial<DtmfDetectorOptions> = {}) {
    this.o = { ...DTMF_DETECTOR_DEFAULTS, ...options };
    const bad = (Object.keys(DTMF_DETECTOR_DEFAULTS) as Array<keyof DtmfDetectorOptions>).find((k) => !Number.isFinite(this.o[k]));
    if (bad) throw new CcgateError('CONFIG_INVALID', `DtmfDetector option ${bad} must be a finite number`, { key: bad, value: this.o[bad] });
    if (this.o.minEnergyRatio <= 0 || this.o.minEnergyRatio > 1) {
      throw new CcgateError('CONFIG_INVALID', 'DtmfDetector minEnergyRatio must be in (0, 1]', { key: 'minEnergyRatio', value: this.o.minEnergyRatio });
    }
    // A run of n windows spans (n − 1)·10 + 20 ms of audio: report once that span reaches minDurationMs.
    this.minHits = Math.max(1, Math.ceil((this.o.minDurationMs - WINDOW_MS) / HOP_MS) + 1);
    // A pause of P ms counts as pause in the windows starting within an open span of
    // P + 20 − 2·PAUSE_IN_WINDOW_MS ≈ P − 4 ms: at most ⌈(P − 4) / 10⌉ windows, at least one fewer.
    // One more than that maximum at P = minGapMs, so shorter interruptions never end a press.
    this.gapWindows = Math.max(1, Math.ceil((this.o.minGapMs + WINDOW_MS - 2 * PAUSE_IN_WINDOW_MS) / HOP_MS) + 1);
    const amp = 10 ** (this.o.minToneDbfs / 20);
    this.minTonePower = ((amp * WINDOW) / 2) ** 2;
  }

  /** Feed PCM: samples, or s16le bytes (a chunk may end mid-sample). Returns the digits completed by this chunk. */
  push(chunk: Int16Array | Uint8Array): DtmfDigit[] {
    const out: DtmfDigit[] = [];
    if (chunk instanceof Int16Array) {
      for (let i = 0; i < chunk.length; i++) this.sample(chunk[i] ?? 0, out);
      return out;
    }
    let i = 0;
    if (this.oddByte >= 0 && chunk.length > 0) {
      this.sample(toInt16(this.oddByte, chunk[0] ?? 0), out);
      this.oddByte = -1;
      i = 1;
    }
    for (; i + 1 < chunk.length; i += 2) this.sample(toInt16(chunk[i] ?? 0, chunk[i + 1] ?? 0), out);
    if (i < chunk.length) this.oddByte = chunk[i] ?? 0;
    return out;
  }

  /** Forget everything (a new call): time restarts at 0, a held digit may be reported again. */
  reset(): void {
    this.filled = 0;
    this.windowNo = 0;
    this.oddByte = -1;
    this.cand = null;
    this.run = 0;
    this.held = null;
    this.misses = 0;
  }

  private sample(s: number, out: DtmfDigit[]): void {
    this.win[this.filled++] = s / 32_768;
    if (this.filled < WINDOW) return;
    this.debounce(this.classify(), out);
    this.win.copyWithin(0, HOP);
    this.filled = WINDOW - HOP;
    this.windowNo++;
  }

  /** The digit this window holds, or null. Cheap checks first; the 6 extra Goertzels only for a candidate. */
  private classify(): string | null {
    const x = this.win;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < WINDOW; i++) {
      const v = x[i] ?? 0;
      sum += v;
      sq += v * v;
    }
    const energy = sq - (sum * sum) / WINDOW; // without DC: a modem's offset is no signal
    const rowP = this.rowP;
    const colP = this.colP;
    if (!(energy > 0)) {
      rowP.fill(0);
      colP.fill(0);
      return null;
    }
    ROW_C.forEach((c, i) => (rowP[i] = goertzel(x, c)));
    COL_C.forEach((c, i) => (colP[i] = goertzel(x, c)));
    const r = peak(rowP);
    const c = peak(colP);
    if (r < 0 || c < 0) return null;
    const fr = ROWS[r] ?? 0;
    const fc = COLS[c] ?? 0;
    const pr = tonePower(x, fr, rowP[r] ?? 0);
    const pc = tonePower(x, fc, colP[c] ?? 0);
    if (pr < this.minTonePower || pc < this.minTonePower) return null;
    if (pr > pc * 10 ** (this.o.maxRowOverColDb / 10) || pc > pr * 10 ** (this.o.maxColOverRowDb / 10)) return null;
    // A full-window sine of power P has energy P / (WINDOW / 2): the ratio is 1 for a clean pair.
    if (pr + pc < this.o.minEnergyRatio * energy * (WINDOW / 2)) return null;
    if (goertzel(x, coeff(2 * fr)) * ROW_HARMONIC > pr || goertzel(x, coeff(2 * fc)) * COL_HARMONIC > pc) return null;
    if (!onFrequency(x, fr, rowP[r] ?? 0) || !onFrequency(x, fc, colP[c] ?? 0)) return null;
    return KEYS[r]?.[c] ?? null;
  }

  /**
   * Two rules with different evidence. A press starts when `minHits` windows
   * in a row pass every check of classify() (strict: speech must not make
   * digits). It ends only after `gapWindows` windows in a row in which the key
   * is really gone (stillHeld). Ending it on windows that merely failed the
   * strict checks split one long press into two digits whenever noise, a
   * codec glitch or a 20 ms dropout spoiled a few windows in a row. chan_dongle
   * instead drops a repeat of the same digit within `mindtmfinterval` (200 ms)
   * of the previous one's end; that also drops a key pressed twice quickly
   * (100 ms tones, 100 ms apart), which this rule keeps.
   */
  private debounce(d: string | null, out: DtmfDigit[]): void {
    if (d !== null && d === this.cand) this.run++;
    else {
      this.cand = d;
      this.candFrom = this.windowNo;
      this.run = d === null ? 0 : 1;
    }
    const held = this.held;
    if (held !== null) {
      if (this.stillHeld(held, d)) this.misses = 0;
      else if (++this.misses >= this.gapWindows) this.held = null;
    }
    const digit = this.cand;
    if (digit !== null && digit !== this.held?.digit && this.run >= this.minHits) {
      out.push({ digit, atMs: this.candFrom * HOP_MS, durationMs: (this.run - 1) * HOP_MS + WINDOW_MS });
      const r = KEYS.findIndex((row) => row.includes(digit));
      const c = KEYS[r]?.indexOf(digit) ?? -1;
      this.held = { digit, r, c, rowRef: this.rowP[r] ?? 0, colRef: this.colP[c] ?? 0 };
      this.misses = 0;
    }
  }

  /**
   * The held key still sounds in this window: it passed the strict checks, or
   * both its tones are within HOLD_LEVEL of their level in the press. A clean
   * window raises that level (the press may have been reported on windows the
   * tone only partly filled).
   */
  private stillHeld(held: NonNullable<DtmfDetector['held']>, d: string | null): boolean {
    const rp = this.rowP[held.r] ?? 0;
    const cp = this.colP[held.c] ?? 0;
    if (d === held.digit) {
      held.rowRef = Math.max(held.rowRef, rp);
      held.colRef = Math.max(held.colRef, cp);
      return true;
    }
    return rp >= held.rowRef * HOLD_LEVEL && cp >= held.colRef * HOLD_LEVEL;
  }
}

/**
 * The tone's power for the level, twist and energy tests: the best of the
 * nominal bin and bins at ±SPREAD. A 50 Hz bin alone loses 3.8 dB on a
 * 1633 Hz tone 1.5 % off (which Q.24 says to accept); the nearest of three
 * bins 2 % apart loses ≤ 0.3 dB there. Whether the tone is on frequency is
 * onFrequency's call, not this one's.
 */
function tonePower(x: Float64Array, hz: number, nominal: number): number {
  return Math.max(nominal, goertzel(x, coeff(hz * (1 - SPREAD))), goertzel(x, coeff(hz * (1 + SPREAD))));
}

/** True when the nominal bin beats both ±FREQ_SIDE bins: the tone is within ~2.5 % of `hz`. */
function onFrequency(x: Float64Array, hz: number, p: number): boolean {
  return p >= goertzel(x, coeff(hz * (1 - FREQ_SIDE))) && p >= goertzel(x, coeff(hz * (1 + FREQ_SIDE)));
}

function toInt16(lo: number, hi: number): number {
  const v = lo | (hi << 8);
  return v >= 0x8000 ? v - 0x10000 : v;
}
