import type { Clock } from '../../gateway/core/Clock.ts';
import { codeOfKey, type DtmfKey } from './mt8870Code.ts';
import type { DecoderPoolConfig, GpioBus } from './DecoderPool.ts';

/**
 * MT8870 decoders on shared Q lines, simulated at the GPIO boundary: a key
 * pressed on decoder i raises its StD (reported through `onEdge`) for the
 * tone's length; Q1–Q4 read the code only while that decoder's TOE is high
 * (otherwise the lines float: read as 0).
 */
export class SimDecoderBank implements GpioBus {
  private readonly toe = new Map<string, 0 | 1>();
  private readonly tone = new Map<number, number>();
  onEdge: (line: string, rising: boolean, timeNs: bigint) => void = () => {};
  readonly writes: Array<[string, 0 | 1]> = [];

  constructor(
    private readonly cfg: DecoderPoolConfig,
    private readonly clock: Clock,
  ) {}

  /** `key` heard by decoder `i` for `toneMs`. */
  press(i: number, key: DtmfKey, toneMs = 60): void {
    const std = this.cfg.decoders[i]!.std;
    this.tone.set(i, codeOfKey(key));
    this.onEdge(std, true, BigInt(this.clock.now()) * 1_000_000n);
    this.clock.setTimer('sim-mt8870-tone', toneMs, () => {
      this.onEdge(std, false, BigInt(this.clock.now()) * 1_000_000n);
    });
  }

  read(lines: readonly string[]): Promise<number[]> {
    const driving = this.cfg.decoders.findIndex((d) => this.toe.get(d.toe) === 1);
    const code = driving >= 0 ? (this.tone.get(driving) ?? 0) : 0;
    return Promise.resolve(lines.map((l) => (code >> this.cfg.q.indexOf(l)) & 1));
  }

  write(line: string, value: 0 | 1): Promise<void> {
    this.writes.push([line, value]);
    this.toe.set(line, value);
    return Promise.resolve();
  }
}
