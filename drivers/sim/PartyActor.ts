import type { Clock, Timer } from '../../gateway/core/Clock.ts';
import type { PromptRef } from '../../gateway/trunk/TrunkPort.ts';
import type { PartyBehaviour } from './behaviours.ts';
import type { SimCallRecord } from './SimParty.ts';

/** What the actor may do to, and ask of, the leg it is on. */
export interface ActorHost {
  /** Dead air: leg up, no prompt playing, not ringing another party, not bridged. */
  isQuiet(): boolean;
  /** The party presses one key (the leg decides whether it reaches the gateway). */
  pressDigit(digit: string): void;
  /** The party hangs up. */
  hangUp(reason: string): void;
}

/** How a prompt shows in `heard`: the id, then each say-value after ':' ('queue-position:7'). */
export function promptLabel(prompt: PromptRef): string {
  return [prompt.id, ...(prompt.say ?? []).map((s) => String(s.value))].join(':');
}

/**
 * The person on one leg, reacting to what the gateway does: presses keys
 * after prompts, hangs up on a prompt, on running out of patience, at a
 * fixed deadline, or after dead air. Everything runs on the injected clock;
 * the actor never emits signals itself, it acts through its {@link ActorHost}.
 */
export class PartyActor {
  private b: PartyBehaviour;
  /** Plays per prompt id, so successive plays take successive key entries. */
  private readonly plays = new Map<string, number>();
  private readonly keyTimers = new Set<Timer>();
  private silence: Timer | null = null;
  private patience: Timer | null = null;
  private deadline: Timer | null = null;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly record: SimCallRecord,
    behaviour: PartyBehaviour,
    private readonly host: ActorHost,
    private readonly digitGapMs: number,
  ) {
    this.b = behaviour;
  }

  /** The behaviour now in force (afterBridge overrides applied once the agent left). */
  get behaviour(): PartyBehaviour {
    return this.b;
  }

  /** The call started (arrival, or answer of a dialled call): arm patience and the deadline. */
  start(): void {
    if (this.b.patienceMs !== null) this.patience = this.after(this.b.patienceMs, () => this.host.hangUp('patience'));
    if (this.b.hangupAfterMs !== null) this.deadline = this.after(this.b.hangupAfterMs, () => this.host.hangUp('deadline'));
    this.refreshSilence();
  }

  /** A prompt started playing to this party. */
  heard(prompt: PromptRef): void {
    const label = promptLabel(prompt);
    this.record.heard.push(label);
    this.record.note(this.clock.now(), `heard ${label}`);
    const n = this.plays.get(prompt.id) ?? 0;
    this.plays.set(prompt.id, n + 1);
    if (this.b.hangupOnPrompt === prompt.id) {
      this.host.hangUp(`on prompt ${prompt.id}`);
      return;
    }
    const entry = this.b.keys[prompt.id];
    const digits = typeof entry === 'string' ? entry : (entry?.[n] ?? '');
    [...digits].forEach((d, i) => {
      const t = this.after(this.b.keyDelayMs + i * this.digitGapMs, () => {
        this.keyTimers.delete(t);
        this.host.pressDigit(d);
      });
      this.keyTimers.add(t);
    });
  }

  /** Re-evaluate dead air after any change on the leg; restarts the silence countdown. */
  refreshSilence(): void {
    this.silence?.clear();
    this.silence = null;
    const ms = this.b.silenceHangupMs;
    if (!this.stopped && ms !== null && this.host.isQuiet()) {
      this.silence = this.after(ms, () => this.host.hangUp('silence'));
    }
  }

  /** Bridged to another party: patience no longer applies, digits meant for the IVR are not pressed. */
  bridged(): void {
    this.patience?.clear();
    this.patience = null;
    for (const t of this.keyTimers) t.clear();
    this.keyTimers.clear();
    this.refreshSilence();
  }

  /** The other party left and this one stays on the line (survey stage). */
  leftAlone(): void {
    if (this.b.afterBridge) this.b = { ...this.b, ...this.b.afterBridge };
    this.refreshSilence();
  }

  /** The leg ended: cancel everything. */
  stop(): void {
    this.stopped = true;
    for (const t of [this.silence, this.patience, this.deadline, ...this.keyTimers]) t?.clear();
    this.keyTimers.clear();
  }

  private after(ms: number, fn: () => void): Timer {
    return this.clock.setTimer('sim', ms, fn);
  }
}
