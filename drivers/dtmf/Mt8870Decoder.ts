/**
 * One MT8870 read from its GPIO edges, pure (gpio-dtmf §3): the code on
 * Q4..Q1 is latched when StD rises (Q settles 4 µs before StD), and the key
 * is emitted when StD falls, if StD stayed high at least `minToneMs`;
 * shorter pulses are counted as glitches. A repeated key needs StD to fall in
 * between, so `1 1` is two keys; a fall without a seen rise (the monitor
 * restarted in between) is discarded, never guessed. Times are the kernel's
 * monotonic edge timestamps in nanoseconds.
 */
import { keyOfCode, type DtmfKey } from './mt8870Code.ts';

export type Mt8870Line = 'q1' | 'q2' | 'q3' | 'q4' | 'std';

export interface Mt8870Edge {
  line: Mt8870Line;
  rising: boolean;
  timeNs: bigint;
}

export interface Mt8870Key {
  key: DtmfKey;
  /** When StD rose: with the boot id, the key's idempotency id. */
  riseNs: bigint;
  durationMs: number;
}

const BIT: Readonly<Record<Exclude<Mt8870Line, 'std'>, number>> = { q1: 1, q2: 2, q3: 4, q4: 8 };

export class Mt8870Decoder {
  private q = 0;
  private std = false;
  private latched: { code: number; riseNs: bigint } | null = null;
  private lastFallNs: bigint | null = null;
  readonly counters = { keys: 0, glitches: 0, shortPauses: 0, unmatchedFalls: 0 };

  constructor(private readonly opts: { minToneMs: number; minPauseMs?: number } = { minToneMs: 20 }) {}

  /** The line levels read once at start (or after the monitor restarted). */
  seed(levels: { q1: number; q2: number; q3: number; q4: number; std: number }): void {
    this.q = (levels.q1 ? 1 : 0) | (levels.q2 ? 2 : 0) | (levels.q3 ? 4 : 0) | (levels.q4 ? 8 : 0);
    this.std = levels.std !== 0;
    // A tone already on: its rise was not seen, so it is not reported.
    this.latched = null;
  }

  /** One edge; returns the key when this edge completes one. */
  push(e: Mt8870Edge): Mt8870Key | null {
    if (e.line !== 'std') {
      const bit = BIT[e.line];
      this.q = e.rising ? this.q | bit : this.q & ~bit;
      return null;
    }
    if (e.rising) {
      if (this.lastFallNs !== null && this.opts.minPauseMs !== undefined && Number(e.timeNs - this.lastFallNs) / 1e6 < this.opts.minPauseMs) this.counters.shortPauses++;
      this.std = true;
      this.latched = { code: this.q, riseNs: e.timeNs };
      return null;
    }
    this.std = false;
    this.lastFallNs = e.timeNs;
    const l = this.latched;
    this.latched = null;
    if (!l) {
      this.counters.unmatchedFalls++;
      return null;
    }
    const durationMs = Number(e.timeNs - l.riseNs) / 1e6;
    if (durationMs < this.opts.minToneMs) {
      this.counters.glitches++;
      return null;
    }
    this.counters.keys++;
    return { key: keyOfCode(l.code), riseNs: l.riseNs, durationMs };
  }
}
