import type { Clock } from '../../../gateway/core/Clock.ts';
import type { PromptRef } from '../../../gateway/trunk/TrunkPort.ts';
import type { BoardPort } from './BoardPort.ts';

/** A prompt lasts this long on the simulated board unless told otherwise (ms). */
export const SIM_PROMPT_MS = 3_000;
const PLAYED_KEPT = 200;

/**
 * The board simulated: prompts take time on the clock, cross-connects and
 * decoder routes are kept so a test (or the demo's simulated callers) can see
 * where audio goes, e.g. which decoder hears a caller's keys.
 */
export class SimBoard implements BoardPort {
  readonly bridges = new Map<number, number>();
  readonly decoders = new Map<number, number>();
  /** The prompts started, in order: the last PLAYED_KEPT (the daemon runs on this board for months). */
  readonly played: Array<{ ts: number; prompt: string; at: number }> = [];

  constructor(
    private readonly clock: Clock,
    private readonly promptMs: (prompt: PromptRef) => number = () => SIM_PROMPT_MS,
  ) {}

  /** Told of every prompt started (the demo lets its simulated callers hear them). */
  onPlay: (ts: number, prompt: PromptRef) => void = () => {};

  play(ts: number, prompt: PromptRef, signal: AbortSignal): Promise<{ interrupted: boolean }> {
    this.played.push({ ts, prompt: prompt.id, at: this.clock.now() });
    if (this.played.length > PLAYED_KEPT) this.played.splice(0, this.played.length - PLAYED_KEPT);
    this.onPlay(ts, prompt);
    if (signal.aborted) return Promise.resolve({ interrupted: true });
    return new Promise((resolve) => {
      const timer = this.clock.setTimer('e1-sim-prompt', this.promptMs(prompt), () => {
        signal.removeEventListener('abort', onAbort);
        resolve({ interrupted: false });
      });
      const onAbort = (): void => {
        timer.clear();
        resolve({ interrupted: true });
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  bridge(a: number, b: number): void {
    this.unbridge(a);
    this.unbridge(b);
    this.bridges.set(a, b);
    this.bridges.set(b, a);
  }

  unbridge(ts: number): void {
    const other = this.bridges.get(ts);
    this.bridges.delete(ts);
    if (other !== undefined) this.bridges.delete(other);
  }

  routeToDecoder(ts: number, decoder: number | null): void {
    if (decoder === null) this.decoders.delete(ts);
    else this.decoders.set(ts, decoder);
  }

  /** Where a simulated decoder hears a key: the demo's and tests' decoder bank. */
  onDecoderKey: (decoder: number, key: string) => void = () => {};

  /**
   * The caller on timeslot `ts` presses `key`: the decoder routed to it hears
   * the tone; with none routed (the pool was exhausted) the key is lost, as on
   * the real board.
   */
  press(ts: number, key: string): boolean {
    const d = this.decoders.get(ts);
    if (d === undefined) return false;
    this.onDecoderKey(d, key);
    return true;
  }

  /** The timeslot decoder `decoder` hears, if any. */
  channelOf(decoder: number): number | null {
    for (const [ts, d] of this.decoders) if (d === decoder) return ts;
    return null;
  }

  health(): { ok: boolean; detail: string } {
    return { ok: true, detail: 'simulated board' };
  }
}
