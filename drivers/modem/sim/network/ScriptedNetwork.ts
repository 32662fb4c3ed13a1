import type { Clock, Timer } from '../../../../gateway/core/Clock.ts';
import type { NetworkEvents, NetworkSide, RingResult } from './NetworkSide.ts';

/** How a scripted far end reacts to ATD: answer, busy, ring out, or fail. */
export type DialOutcome = 'answer' | 'busy' | 'noAnswer' | 'failed';

const RESULT: Record<DialOutcome, RingResult> = { answer: 'answered', busy: 'busy', noAnswer: 'noAnswer', failed: 'failed' };

export interface ScriptedNetworkOptions {
  /** Delay before a scripted dial/connect outcome. */
  dialMs: number;
  /** Length of a module-side prompt. */
  playMs: number;
}

/**
 * The network when no TrunkPort is attached: tests script the far end
 * (`FakeModem.ring`, `remoteDtmf`, `remoteHangup`) and the outcome of each
 * dialled number (`dialOutcomes`, default 'answer'), all on the injected clock.
 */
export class ScriptedNetwork implements NetworkSide {
  /** Number → outcome of ATD to it. */
  readonly dialOutcomes = new Map<string, DialOutcome>();
  private seq = 0;
  private readonly timers = new Set<Timer>();
  private readonly playing = new Map<string, { id: string; timer: Timer }>();

  constructor(
    private readonly clock: Clock,
    private readonly events: NetworkEvents,
    private readonly opts: ScriptedNetworkOptions,
  ) {}

  /** A leg id for a scripted incoming call. */
  newLeg(): string {
    return `scripted:${++this.seq}`;
  }

  answer(): void {}
  hangup(call: { legId: string }): void {
    this.stopPlay(call.legId, false);
  }
  dial(number: string): string {
    const legId = this.newLeg();
    this.later(() => this.events.dialResult(legId, this.outcome(number)));
    return legId;
  }
  connect(legId: string, number: string): void {
    this.later(() => this.events.connectResult(legId, this.outcome(number)));
  }
  cancelConnect(): void {}
  play(legId: string, promptId: string): void {
    this.stopPlay(legId);
    const timer = this.clock.setTimer('fakeModem.play', this.opts.playMs, () => {
      this.playing.delete(legId);
      this.events.playDone(legId, promptId);
    });
    this.playing.set(legId, { id: promptId, timer });
  }
  stopPlay(legId: string, report = true): void {
    const p = this.playing.get(legId);
    if (!p) return;
    p.timer.clear();
    this.playing.delete(legId);
    if (report) this.events.playDone(legId, p.id);
  }
  transferred(): void {}
  close(): void {
    for (const t of this.timers) t.clear();
    for (const p of this.playing.values()) p.timer.clear();
    this.playing.clear();
  }

  private outcome(number: string): RingResult {
    return RESULT[this.dialOutcomes.get(number) ?? 'answer'];
  }

  private later(fn: () => void): void {
    const t = this.clock.setTimer('fakeModem.dial', this.opts.dialMs, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
  }
}
