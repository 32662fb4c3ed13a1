import type { Timer } from '../../gateway/core/Clock.ts';
import type { PromptRef } from '../../gateway/trunk/TrunkPort.ts';
import type { PartyBehaviour } from './behaviours.ts';
import { ring, type RingOutcome, type SimContext, type TrunkSide } from './context.ts';
import { PartyActor, type ActorHost } from './PartyActor.ts';
import { SimCallRecord, type CallOutcome, type SimEndpoint } from './SimParty.ts';

/** offered: inbound, ringing the gateway; dialling: outbound, ringing the party; up: answered; ended. */
export type LegState = 'offered' | 'dialling' | 'up' | 'ended';

interface Playing {
  prompt: string;
  bargeIn: boolean;
  timer: Timer;
}

/** The party rung by connect(): ringing, then bridged. It holds its own channel. */
interface Peer {
  endpoint: SimEndpoint;
  record: SimCallRecord;
  behaviour: PartyBehaviour;
  channel: number;
  timer: Timer;
  bridged: boolean;
  /** Is the leg's own party the customer side (whose talkMs/endBy govern the bridge)? */
  customerIsLocal: boolean;
}

/**
 * One call on one channel, with the person on it ({@link PartyActor}) and,
 * after connect(), the party it is bridged to. Commands come from the
 * gateway through SimTrunk; the person's actions come through ActorHost.
 * Every signal goes out through TrunkSide.emit, i.e. later on the clock.
 *
 * bridgeEnded.by is reported from this leg's point of view:
 * 'caller' = the leg's own party left (ended{remote} follows),
 * 'agent'  = the connected party left (the leg stays up),
 * 'line'   = the call dropped (ended{lineFailed} follows).
 * For an agent-first callback the leg is the agent's and the customer is the
 * connected party, so a customer hang-up shows as by:'agent' on that leg.
 */
export class SimLeg implements ActorHost {
  actor: PartyActor | null = null;
  private playing: Playing | null = null;
  private peer: Peer | null = null;
  private bridgedOnce = false;
  private dialTimer: Timer | null = null;
  private occupied: string | null = null;

  constructor(
    private readonly ctx: SimContext,
    private readonly trunk: TrunkSide,
    readonly id: string,
    readonly channel: number,
    readonly record: SimCallRecord,
    /** The party's endpoint for dialled legs; null for inbound callers. */
    readonly endpoint: SimEndpoint | null,
    private _state: LegState,
  ) {
    record.setLeg(id);
  }

  get state(): LegState {
    return this._state;
  }

  // --- set-up --------------------------------------------------------------

  /** Inbound: the caller starts waiting (patience and deadline run from arrival). */
  arrive(behaviour: PartyBehaviour, address: string | null): void {
    this.hold(address);
    this.actor = new PartyActor(this.ctx.clock, this.record, behaviour, this, this.ctx.settings.digitGapMs);
    this.actor.start();
  }

  /** Outbound: ring the dialled party; dialResult follows. */
  startDial(endpoint: SimEndpoint, ringTimeoutMs: number): void {
    const behaviour = endpoint.behaviourFor(this.ctx.random);
    this.dialTimer = ring(this.ctx, endpoint, behaviour, ringTimeoutMs, (o) => this.dialOutcome(o, behaviour));
    this.hold(endpoint.address);
  }

  private dialOutcome(o: RingOutcome, behaviour: PartyBehaviour): void {
    this.dialTimer = null;
    if (o !== 'answered') {
      // A non-answered dialResult is the leg's last signal: no `ended` follows.
      this.release(o, `dial ${o}`);
      this.trunk.emit({ kind: 'dialResult', legId: this.id, outcome: o });
      return;
    }
    this._state = 'up';
    this.ctx.stats.dialAnswered++;
    this.record.markAnswered(this.ctx.clock.now());
    this.actor = new PartyActor(this.ctx.clock, this.record, behaviour, this, this.ctx.settings.digitGapMs);
    this.trunk.emit({ kind: 'dialResult', legId: this.id, outcome: 'answered' });
    this.actor.start();
  }

  // --- gateway commands ------------------------------------------------------

  answer(): void {
    if (this._state !== 'offered') return this.ctx.violation(this.trunk.id, `answer(${this.id}) in state ${this._state}`);
    this._state = 'up';
    this.ctx.stats.answered++;
    this.record.markAnswered(this.ctx.clock.now());
    this.trunk.emit({ kind: 'answered', legId: this.id });
    this.actor?.refreshSilence();
  }

  play(prompt: PromptRef, durationMs: number, bargeIn: boolean): void {
    if (this._state !== 'up') {
      // Contract breach, but never leave the gateway waiting for a playDone.
      this.ctx.violation(this.trunk.id, `play(${this.id}, ${prompt.id}) in state ${this._state}`);
      this.trunk.emit({ kind: 'playDone', legId: this.id, prompt: prompt.id, interrupted: true });
      return;
    }
    this.interruptPlay(); // a new prompt replaces the one playing
    const timer = this.ctx.clock.setTimer('sim', durationMs, () => {
      this.playing = null;
      this.trunk.emit({ kind: 'playDone', legId: this.id, prompt: prompt.id, interrupted: false });
      this.actor?.refreshSilence();
    });
    this.playing = { prompt: prompt.id, bargeIn, timer };
    this.actor?.refreshSilence();
    this.actor?.heard(prompt); // may hang up at once (hangupOnPrompt)
  }

  stopPlay(): void {
    if (this.interruptPlay()) this.actor?.refreshSilence();
  }

  connect(endpointAddress: string, ringTimeoutMs: number): void {
    const now = this.ctx.clock.now();
    if (this.peer) return this.ctx.violation(this.trunk.id, `connect(${this.id}) while already connecting/bridged`);
    const fail = (why: string): void => {
      this.record.note(now, `connect ${endpointAddress} failed: ${why}`);
      this.trunk.emit({ kind: 'connectResult', legId: this.id, outcome: 'failed' });
    };
    if (this._state !== 'up') {
      this.ctx.violation(this.trunk.id, `connect(${this.id}) in state ${this._state}`);
      return fail('leg not up');
    }
    if (!this.trunk.up) return fail('trunk down');
    const endpoint = this.ctx.resolve(endpointAddress);
    if (!endpoint) return fail('unknown endpoint');
    // 0 = no channel of its own (bridged on this leg's line); freeing 0 is a no-op.
    const channel = this.trunk.bridgeOnLine ? 0 : this.trunk.takeChannel();
    if (channel === null) return fail('no channel'); // ConnectOutcome has no 'noChannel'
    const behaviour = endpoint.behaviourFor(this.ctx.random);
    const record = new SimCallRecord('connected', endpoint.address, now, this.ctx.settings.keepRecords);
    record.setLeg(this.id);
    record.note(now, `rung by ${this.record.address} on ${this.id}`);
    endpoint.track(record);
    const timer = ring(this.ctx, endpoint, behaviour, ringTimeoutMs, (o) => this.connectOutcome(o));
    this.ctx.occupy(endpoint.address);
    // The customer side is the party that is not an agent phone; agent-to-agent: the leg's own party.
    const customerIsLocal = !(this.endpoint?.isAgent === true && !endpoint.isAgent);
    this.peer = { endpoint, record, behaviour, channel, timer, bridged: false, customerIsLocal };
    this.record.note(now, `ringing ${endpoint.address}`);
    this.actor?.refreshSilence();
  }

  cancelConnect(): void {
    // After the answer (a race with connectResult) the bridge stands: the gateway must hang up or live with it.
    if (!this.peer || this.peer.bridged) return;
    this.record.note(this.ctx.clock.now(), `ringing ${this.peer.endpoint.address} canceled`);
    this.releasePeer('canceled', 'connect canceled');
    this.actor?.refreshSilence();
  }

  hangup(): void {
    const outcome: CallOutcome =
      this._state === 'dialling' ? 'canceled' : this.bridgedOnce ? 'completed' : 'hungUpByGateway';
    this.terminate('local', outcome, 'gateway hung up');
  }

  /** The trunk went down. */
  lineDown(): void {
    this.ctx.stats.lineFailedLegs++;
    if (this._state === 'dialling') {
      this.dialTimer?.clear();
      this.release('failed', 'line failed while dialling');
      this.trunk.emit({ kind: 'dialResult', legId: this.id, outcome: 'failed' });
      return;
    }
    if (this.peer?.bridged) this.emitBridgeEnded('line');
    this.terminate('lineFailed', this.bridgedOnce ? 'dropped' : 'lineFailed', 'line failed');
  }

  // --- the person on the leg (ActorHost) ------------------------------------

  isQuiet(): boolean {
    return this._state === 'up' && !this.playing && !this.peer;
  }

  pressDigit(digit: string): void {
    if (this._state !== 'up' || this.peer?.bridged) return; // nobody listening for DTMF
    this.record.pressed.push(digit);
    this.record.note(this.ctx.clock.now(), `pressed ${digit}`);
    this.trunk.emit({ kind: 'dtmf', legId: this.id, digit });
    // Barge-in: the digit is delivered first, then the interrupted playDone.
    if (this.playing?.bargeIn && this.interruptPlay()) this.actor?.refreshSilence();
  }

  hangUp(reason: string): void {
    if (this._state === 'ended') return;
    if (this.peer?.bridged) {
      this.emitBridgeEnded('caller');
      return this.terminate('remote', 'completed', reason);
    }
    if (!this.bridgedOnce && this.record.kind === 'inbound') this.ctx.stats.abandoned++;
    this.terminate('remote', this.bridgedOnce ? 'completed' : 'abandoned', reason);
  }

  // --- connect and bridge ----------------------------------------------------

  private connectOutcome(o: RingOutcome): void {
    const peer = this.peer;
    if (!peer) return;
    const now = this.ctx.clock.now();
    if (o !== 'answered') {
      this.record.note(now, `ringing ${peer.endpoint.address}: ${o}`);
      this.releasePeer(o, `ring ${o}`);
      this.trunk.emit({ kind: 'connectResult', legId: this.id, outcome: o });
      this.actor?.refreshSilence();
      return;
    }
    // Bridging replaces whatever the leg was hearing.
    this.interruptPlay();
    peer.bridged = true;
    this.bridgedOnce = true;
    this.ctx.stats.bridged++;
    peer.record.markAnswered(now);
    peer.record.markBridged(now, this.record.address);
    this.record.markBridged(now, peer.endpoint.address);
    this.actor?.bridged();
    this.trunk.emit({ kind: 'connectResult', legId: this.id, outcome: 'answered' });
    const customer = peer.customerIsLocal ? (this.actor?.behaviour ?? peer.behaviour) : peer.behaviour;
    peer.timer = this.ctx.clock.setTimer('sim', customer.talkMs, () => this.talkOver(customer.endBy));
  }

  /** The customer side's talk time ran out; end the bridge the way its script says. */
  private talkOver(endBy: PartyBehaviour['endBy']): void {
    const peer = this.peer;
    if (!peer) return;
    if (endBy === 'drop') {
      this.emitBridgeEnded('line');
      return this.terminate('lineFailed', 'dropped', 'call dropped');
    }
    // Does the leg's own party end the call? (caller ends and the caller is this leg's party, or vice versa)
    if ((endBy === 'caller') === peer.customerIsLocal) {
      this.emitBridgeEnded('caller');
      return this.terminate('remote', 'completed', 'own party ended the call');
    }
    this.record.note(this.ctx.clock.now(), `${peer.endpoint.address} left`);
    this.releasePeer('completed', 'left the call');
    this.emitBridgeEnded('agent');
    this.actor?.leftAlone();
  }

  private emitBridgeEnded(by: 'agent' | 'caller' | 'line'): void {
    const s = this.ctx.stats;
    if (by === 'caller') s.bridgeEndedByCaller++;
    else if (by === 'agent') s.bridgeEndedByAgent++;
    else s.bridgeEndedByLine++;
    this.trunk.emit({ kind: 'bridgeEnded', legId: this.id, by });
  }

  // --- teardown ----------------------------------------------------------------

  /** Stop the playing prompt with playDone{interrupted}; true if one was playing. */
  private interruptPlay(): boolean {
    const p = this.playing;
    if (!p) return false;
    p.timer.clear();
    this.playing = null;
    this.trunk.emit({ kind: 'playDone', legId: this.id, prompt: p.prompt, interrupted: true });
    return true;
  }

  private releasePeer(outcome: CallOutcome, why: string): void {
    const peer = this.peer;
    if (!peer) return;
    this.peer = null;
    peer.timer.clear();
    this.trunk.freeChannel(peer.channel);
    this.ctx.release(peer.endpoint.address);
    peer.record.finish(this.ctx.clock.now(), outcome, why);
    this.ctx.recordEnded(peer.record);
  }

  /** End the leg: `ended` is its last signal; a playing prompt stops silently (no playDone). */
  private terminate(cause: 'remote' | 'local' | 'lineFailed', outcome: CallOutcome, why: string): void {
    if (this._state === 'ended') return;
    this.playing?.timer.clear();
    this.playing = null;
    this.dialTimer?.clear();
    const peerOutcome: CallOutcome = !this.peer?.bridged ? 'canceled' : cause === 'lineFailed' ? 'dropped' : 'completed';
    this.releasePeer(peerOutcome, `${why} on ${this.id}`);
    this.release(outcome, why);
    this.trunk.emit({ kind: 'ended', legId: this.id, cause });
  }

  /** Free the leg's own channel and address and give its record an outcome. */
  private release(outcome: CallOutcome, why: string): void {
    this._state = 'ended';
    this.actor?.stop();
    this.trunk.freeChannel(this.channel);
    this.trunk.forget(this.id);
    if (this.occupied !== null) this.ctx.release(this.occupied);
    this.occupied = null;
    this.record.finish(this.ctx.clock.now(), outcome, why);
    this.ctx.recordEnded(this.record);
  }

  private hold(address: string | null): void {
    if (address === null) return;
    this.occupied = address;
    this.ctx.occupy(address);
  }
}
