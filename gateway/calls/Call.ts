import type { Clock } from '../core/Clock.ts';
import { DigitCollector, type CollectOptions, type CollectResult } from '../ivr/DigitCollector.ts';
import type { CallerId } from '../events.ts';
import type { CallRecord } from '../store/Store.ts';
import type { ConnectOutcome, DialOutcome, PromptRef, TrunkPort } from '../trunk/TrunkPort.ts';

/**
 * Whoever currently owns a call's leg (IVR, queue wait, survey, campaign...)
 * receives its signals. Ownership moves as the call moves through phases, so
 * each phase handles only the signals that matter to it.
 */
export interface LegHandler {
  onAnswered?(): void;
  onDtmf?(digit: string): void;
  onPlayDone?(prompt: string, interrupted: boolean): void;
  onDialResult?(outcome: DialOutcome): void;
  onConnectResult?(outcome: ConnectOutcome): void;
  onBridgeEnded?(by: 'agent' | 'caller' | 'line' | 'transferred'): void;
  /** The leg is gone. Called after the call is marked ended. */
  onEnded?(cause: 'remote' | 'local' | 'lineFailed'): void;
}

/** One leg on one trunk, with the phase-specific handler and prompt/digit helpers. */
export class Call {
  handler: LegHandler | null = null;
  ended = false;
  private collector: DigitCollector | undefined;
  /**
   * Plays sent to the trunk and not yet finished, oldest first. Every play
   * gets exactly one playDone, in order, so a late playDone of a stopped
   * prompt never runs the continuation of the prompt that replaced it.
   */
  private plays: Array<{ then: (() => void) | undefined; cancelled: boolean }> = [];

  /**
   * The language the caller hears (`fa`, `en`…): the site's at first, then
   * that of the last menu passed that has one (IvrService). Every prompt
   * played to the call carries it, so the driver picks its recording.
   */
  language: string;

  constructor(
    readonly id: string,
    readonly trunk: TrunkPort,
    readonly legId: string,
    readonly record: CallRecord,
    callerId: CallerId | null,
    private readonly clock: Clock,
    language: string,
  ) {
    this._callerId = callerId;
    this.language = language;
  }

  private _callerId: CallerId | null;

  /** As offered, or as updated when the number came late (CallRegistry.updateCallerId). */
  get callerId(): CallerId | null {
    return this._callerId;
  }

  /** @internal CallRegistry keeps the record in step. */
  setCallerId(callerId: CallerId): void {
    this._callerId = callerId;
  }

  get number(): string {
    return this.record.number;
  }

  /**
   * Play one prompt; `then` runs when it finished or was interrupted. Every
   * prompt to the call passes here (ask, playAll, playInterruptible too), so
   * this is the one place the call's language is put on it; a prompt that
   * names its own language keeps it.
   */
  play(prompt: PromptRef, then?: () => void, bargeIn = false): void {
    if (this.ended) return;
    this.stopPlay();
    this.plays.push({ then, cancelled: false });
    this.trunk.play(this.legId, prompt.language === undefined ? { ...prompt, language: this.language } : prompt, { bargeIn });
  }

  /** A prompt is playing (its playDone has not arrived) and was not stopped. */
  get playing(): boolean {
    return this.plays.some((p) => !p.cancelled);
  }

  /** Play prompts one after another, then run `then`. */
  playAll(prompts: PromptRef[], then?: () => void): void {
    const [first, ...rest] = prompts;
    if (!first) {
      then?.();
      return;
    }
    this.play(first, () => this.playAll(rest, then));
  }

  stopPlay(): void {
    if (this.ended) return;
    let any = false;
    for (const p of this.plays) {
      if (!p.cancelled) {
        p.cancelled = true;
        any = true;
      }
    }
    if (any) this.trunk.stopPlay(this.legId);
  }

  /**
   * Play a prompt with barge-in and collect digits: keys pressed during the
   * prompt count, timeouts start when the prompt ends.
   */
  ask(prompt: PromptRef, opts: CollectOptions, done: (r: CollectResult) => void): void {
    this.cancelCollect();
    const collector = new DigitCollector(this.clock, opts, (r) => {
      if (this.collector === collector) this.collector = undefined;
      if (this.playing) this.stopPlay();
      done(r);
    });
    this.collector = collector;
    this.play(prompt, () => collector.start(), true);
  }

  /** Play with barge-in; the first key interrupts it and is kept for a later `ask`. */
  playInterruptible(prompt: PromptRef, then?: () => void): void {
    this.play(prompt, then, true);
  }

  cancelCollect(): void {
    this.collector?.cancel();
    this.collector = undefined;
  }

  get collecting(): boolean {
    return this.collector !== undefined;
  }

  hangup(): void {
    if (this.ended) return;
    this.cancelCollect();
    this.trunk.hangup(this.legId);
  }

  /** Route a DTMF digit: to the active collector first, else to the handler. */
  dtmf(digit: string): void {
    if (this.collector) this.collector.push(digit);
    else this.handler?.onDtmf?.(digit);
  }

  playDone(prompt: string, interrupted: boolean): void {
    const p = this.plays.shift();
    if (!p || p.cancelled) return;
    if (p.then) p.then();
    // Plays nobody continues from (the hold loop) go to the phase handler.
    else this.handler?.onPlayDone?.(prompt, interrupted);
  }

  markEnded(): void {
    this.ended = true;
    this.plays = [];
    this.cancelCollect();
  }
}
