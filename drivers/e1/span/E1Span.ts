/**
 * One E1 PRI span as the core's trunk: 30 B-channels behind one TrunkPort.
 *
 *   serial link ─► SerialHdlcTransport ─► Lapd (Q.921) ─► Q931Session ─► E1Span ─► gateway
 *                                                        ChannelTable ┘     │
 *                                 BoardPort (prompts, cross-connects, DTMF decoder routes) ┘
 *
 * A leg is one Q.931 call on one B-channel. An agent reached by `connect` is
 * an outgoing call on another channel, cross-connected on the board when it
 * answers. In-band DTMF comes from the MT8870 pool through {@link digit}.
 */
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import type { CallerId } from '../../../gateway/events.ts';
import type { ConnectOutcome, DialOutcome, DialRequest, PromptRef, TrunkHealth, TrunkPort, TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import type { BoardPort } from '../board/BoardPort.ts';
import type { ChannelTable } from '../call/ChannelTable.ts';
import { CAUSE } from '../q931/causes.ts';
import type { PartyNumber } from '../q931/ies.ts';
import type { PriCall, Q931Session } from '../session/Q931Session.ts';
import type { DecoderPool } from '../../dtmf/DecoderPool.ts';
import type { E1Condition, E1Counters } from '../framer/ds26521.ts';

interface Leg {
  id: string;
  call: PriCall;
  kind: 'inbound' | 'outbound' | 'agent';
  /** The caller's leg, for an agent leg; the agent leg, for a caller being connected. */
  peer: string | null;
  play: AbortController | null;
  ringTimer: Timer | null;
  answered: boolean;
  endedBy: 'local' | 'line' | null;
  /** An outgoing leg's number and the channels the network refused it (glare): dialled again on another. */
  dialled: { number: string; callingNumber: string | null; refused: Set<number> } | null;
}

/** Times an outgoing call is tried on another channel after the network refused its channel (cause 44). */
const CHANNEL_RETRIES = 2;

/** What the span shows of its framer: the line conditions raised, its counters, whether it answers. */
export interface FramerView {
  readonly raised: readonly E1Condition[];
  readonly counters: Readonly<E1Counters>;
  readonly accessError: string | null;
}

export interface E1SpanOptions {
  id: string;
  q931: Q931Session;
  channels: ChannelTable;
  board: BoardPort;
  clock: Clock;
  /** Is the D-channel up (LAPD multiple frame established)? */
  linkUp: () => boolean;
  callingNumber: string | null;
  /** The MT8870 pool: a call holds a decoder while it may press keys (not while talking to an agent). */
  dtmf?: DecoderPool | null;
  /** The framer's alarm monitor; absent: alarms unknown (the span relies on the D-channel alone). */
  framer?: FramerView | null;
  logger?: Logger;
}

export function callerIdOf(n: PartyNumber | null): CallerId {
  if (!n || (n.presentation === 'unavailable' && n.digits === '')) return { kind: 'unavailable' };
  if (n.presentation === 'restricted') return { kind: 'withheld' };
  if (n.digits === '') return { kind: 'unavailable' };
  // International numbers come without their '+' (the type of number says so).
  return { kind: 'number', number: n.type === 'international' ? `+${n.digits}` : n.digits };
}

const dialOutcome = (cause: number): DialOutcome =>
  cause === CAUSE.userBusy ? 'busy' : cause === CAUSE.noUserResponding || cause === CAUSE.noAnswer ? 'noAnswer' : cause === CAUSE.noCircuitAvailable || cause === CAUSE.requestedChannelNotAvailable ? 'noChannel' : 'failed';

export class E1Span implements TrunkPort {
  readonly id: string;
  readonly channels: number;
  private listener: (s: TrunkSignal) => void = () => {};
  private readonly legs = new Map<string, Leg>();
  private readonly byCall = new Map<string, Leg>();
  private seq = 0;
  private readonly log: Logger;

  constructor(private readonly o: E1SpanOptions) {
    this.id = o.id;
    this.channels = o.channels.size;
    this.log = (o.logger ?? silentLogger).child({ component: 'e1', trunk: o.id });
    o.q931.on('incoming', (call) => this.onIncoming(call));
    o.q931.on('active', (call) => this.onActive(call));
    o.q931.on('cleared', (call, cause) => this.onCleared(call, cause));
    o.dtmf?.on('granted', (owner, decoder) => {
      const leg = this.legs.get(owner);
      if (leg) o.board.routeToDecoder(leg.call.channel, decoder);
    });
    o.dtmf?.on('key', (owner, k) => {
      if (this.legs.has(owner)) this.listener({ kind: 'dtmf', legId: owner, digit: k.key });
    });
  }

  /** Give the leg a decoder (now, or when one is free) and route its audio to it. */
  private listen(leg: Leg): void {
    const d = this.o.dtmf?.acquire(leg.id);
    if (d !== undefined && d !== null) this.o.board.routeToDecoder(leg.call.channel, d);
  }

  private unlisten(leg: Leg): void {
    this.o.dtmf?.release(leg.id);
    this.o.board.routeToDecoder(leg.call.channel, null);
  }

  setListener(listener: (signal: TrunkSignal) => void): void {
    this.listener = listener;
  }

  /** The span's state changed (link, alarms, restart): the core re-reads health. */
  healthChanged(): void {
    this.listener({ kind: 'health', health: this.health() });
  }

  answer(legId: string): void {
    const leg = this.legs.get(legId);
    if (leg) this.o.q931.answer(leg.call);
  }

  play(legId: string, prompt: PromptRef): void {
    const leg = this.legs.get(legId);
    if (!leg) return;
    leg.play?.abort();
    const ctl = new AbortController();
    leg.play = ctl;
    void this.o.board.play(leg.call.channel, prompt, ctl.signal).then((r) => {
      if (leg.play === ctl) leg.play = null;
      if (this.legs.has(legId)) this.listener({ kind: 'playDone', legId, prompt: prompt.id, interrupted: r.interrupted });
    });
  }

  stopPlay(legId: string): void {
    this.legs.get(legId)?.play?.abort();
  }

  dial(req: DialRequest): string {
    const id = this.newLegId();
    if (!this.placeOutgoing(id, 'outbound', null, req.number, req.callerId, req.ringTimeoutMs)) {
      this.o.clock.setTimer('e1-no-channel', 0, () => this.listener({ kind: 'dialResult', legId: id, outcome: 'noChannel' }));
    }
    return id;
  }

  connect(legId: string, endpoint: string, opts: { ringTimeoutMs: number; callerId?: string }): void {
    const caller = this.legs.get(legId);
    const agentId = this.newLegId();
    if (!caller || !this.placeOutgoing(agentId, 'agent', legId, endpoint, opts.callerId, opts.ringTimeoutMs)) {
      this.o.clock.setTimer('e1-no-channel', 0, () => this.listener({ kind: 'connectResult', legId, outcome: 'failed' }));
      return;
    }
    caller.peer = agentId;
  }

  /** SETUP on an idle channel for a new outgoing leg (a callback, a campaign call, an agent), rung at most `ringTimeoutMs`; false with none free. */
  private placeOutgoing(id: string, kind: 'outbound' | 'agent', peer: string | null, number: string, callerId: string | undefined, ringTimeoutMs: number): boolean {
    const channel = this.usable() ? this.o.channels.pickOutgoing() : null;
    if (channel === null) return false;
    const callingNumber = callerId ?? this.o.callingNumber;
    const call = this.o.q931.setup({ channel, number, callingNumber });
    const leg = this.addLeg(id, call, kind, peer, { number, callingNumber, refused: new Set() });
    // `leg.call`, not `call`: a glare may have set the leg up again on another channel.
    leg.ringTimer = this.o.clock.setTimer(kind === 'agent' ? 'e1-agent-ring' : 'e1-ring', ringTimeoutMs, () => this.o.q931.disconnect(leg.call, CAUSE.noAnswer));
    return true;
  }

  cancelConnect(legId: string): void {
    const caller = this.legs.get(legId);
    const agent = caller?.peer ? this.legs.get(caller.peer) : undefined;
    if (agent && !agent.answered) {
      agent.dialled = null;
      this.o.q931.disconnect(agent.call, CAUSE.normalClearing);
    }
  }

  hangup(legId: string): void {
    const leg = this.legs.get(legId);
    if (!leg) return;
    leg.endedBy = 'local';
    leg.dialled = null;
    this.o.q931.disconnect(leg.call, CAUSE.normalClearing);
  }

  /** A DTMF digit the decoder pool read on timeslot `channel`. */
  digit(channel: number, digit: string): void {
    for (const leg of this.legs.values()) {
      if (leg.call.channel === channel && leg.kind !== 'agent') return this.listener({ kind: 'dtmf', legId: leg.id, digit });
    }
  }

  health(): TrunkHealth {
    const alarms = this.o.framer?.raised ?? [];
    const up = this.usable();
    const inService = up ? this.o.channels.inService() : 0;
    const framer = this.o.framer;
    return {
      up,
      detail:
        alarms.length > 0
          ? `${alarms.map((a) => a.toUpperCase()).join(', ')} alarm`
          : !this.o.linkUp()
            ? 'D-channel down'
            : inService < this.channels
              ? `D-channel up, ${this.channels - inService} channels out of service`
              : 'D-channel up',
      busyChannels: this.o.channels.busy(),
      inServiceChannels: inService,
      ...(framer ? { stats: { alarms: [...alarms], framer: framer.accessError === null ? 'ok' : `unreadable: ${framer.accessError}`, ...framer.counters } } : {}),
    };
  }

  /**
   * The framer's alarms changed. A raised line alarm (LOS, LOF, AIS, RAI)
   * takes every channel out of service and ends the calls at once: the line
   * carries nothing, and waiting for layer 2 to notice would keep callers
   * "on hold" to nobody. When the last alarm clears, the channels come back
   * through a RESTART, so both ends agree they are idle.
   */
  alarmsChanged(): void {
    const alarmed = (this.o.framer?.raised.length ?? 0) > 0;
    if (alarmed) {
      this.o.channels.takeOut('alarm');
      for (const leg of this.legs.values()) {
        leg.endedBy ??= 'line';
        leg.dialled = null;
      }
      this.o.q931.clearLocally(CAUSE.temporaryFailure);
    } else {
      this.o.channels.putBack('alarm');
      if (this.o.linkUp()) this.o.q931.linkUp();
    }
    this.healthChanged();
  }

  private onIncoming(call: PriCall): void {
    this.o.q931.proceed(call);
    const leg = this.addLeg(this.newLegId(), call, 'inbound', null);
    this.listener({ kind: 'offered', legId: leg.id, channel: call.channel, callerId: callerIdOf(call.calling), dialled: call.called });
  }

  private onActive(call: PriCall): void {
    const leg = this.byCall.get(call.id);
    if (!leg) return;
    leg.answered = true;
    leg.ringTimer?.clear();
    if (leg.kind === 'inbound') {
      this.listen(leg);
      return this.listener({ kind: 'answered', legId: leg.id });
    }
    if (leg.kind === 'outbound') {
      this.listen(leg);
      return this.listener({ kind: 'dialResult', legId: leg.id, outcome: 'answered' });
    }
    const caller = leg.peer ? this.legs.get(leg.peer) : undefined;
    if (!caller) return this.o.q931.disconnect(call, CAUSE.normalClearing);
    caller.play?.abort();
    // Talking to the agent: no keys to read; the decoder goes to the next call.
    this.unlisten(caller);
    this.o.board.bridge(caller.call.channel, call.channel);
    this.listener({ kind: 'connectResult', legId: caller.id, outcome: 'answered' });
  }

  private onCleared(call: PriCall, cause: number): void {
    const leg = this.byCall.get(call.id);
    if (!leg) return;
    this.byCall.delete(call.id);
    if (this.redial(leg, call, cause)) return;
    this.legs.delete(leg.id);
    leg.ringTimer?.clear();
    leg.play?.abort();
    this.o.board.unbridge(call.channel);
    this.unlisten(leg);
    this.log.debug({ leg: leg.id, channel: call.channel, cause }, 'call cleared');
    if (leg.kind === 'agent') {
      const caller = leg.peer ? this.legs.get(leg.peer) : undefined;
      if (!caller) return;
      caller.peer = null;
      if (leg.answered) {
        if (leg.endedBy === 'line') return;
        // Back to the caller alone (the survey follows): listen for keys again.
        this.listen(caller);
        return this.listener({ kind: 'bridgeEnded', legId: caller.id, by: 'agent' });
      }
      const outcome: ConnectOutcome = cause === CAUSE.userBusy ? 'busy' : cause === CAUSE.noAnswer || cause === CAUSE.noUserResponding ? 'noAnswer' : 'failed';
      return this.listener({ kind: 'connectResult', legId: caller.id, outcome });
    }
    if (leg.kind === 'outbound' && !leg.answered) {
      return this.listener({ kind: 'dialResult', legId: leg.id, outcome: leg.endedBy === 'local' ? 'failed' : dialOutcome(cause) });
    }
    const agent = leg.peer ? this.legs.get(leg.peer) : undefined;
    if (agent) {
      if (agent.answered) this.listener({ kind: 'bridgeEnded', legId: leg.id, by: leg.endedBy === 'line' ? 'line' : 'caller' });
      this.o.q931.disconnect(agent.call, CAUSE.normalClearing);
    }
    this.listener({ kind: 'ended', legId: leg.id, cause: leg.endedBy === 'local' ? 'local' : leg.endedBy === 'line' ? 'lineFailed' : 'remote' });
  }

  /**
   * The network refused the channel of our unanswered outgoing call (cause
   * 44: glare, or a channel busy on its side): the same leg is set up again
   * on another idle channel, so the core never sees the collision.
   */
  private redial(leg: Leg, lost: PriCall, cause: number): boolean {
    const d = leg.dialled;
    if (!d || leg.answered || leg.endedBy !== null || cause !== CAUSE.requestedChannelNotAvailable || d.refused.size >= CHANNEL_RETRIES) return false;
    d.refused.add(lost.channel);
    const channel = this.usable() ? this.o.channels.pickOutgoing(d.refused) : null;
    if (channel === null) return false;
    this.log.info({ leg: leg.id, refused: lost.channel, channel }, 'channel refused by the network: dialling again on another');
    leg.call = this.o.q931.setup({ channel, number: d.number, callingNumber: d.callingNumber });
    this.byCall.set(leg.call.id, leg);
    return true;
  }

  /** The D-channel up and no line alarm raised. */
  private usable(): boolean {
    return this.o.linkUp() && (this.o.framer?.raised.length ?? 0) === 0;
  }

  private addLeg(id: string, call: PriCall, kind: Leg['kind'], peer: string | null, dialled: Leg['dialled'] = null): Leg {
    const leg: Leg = { id, call, kind, peer, play: null, ringTimer: null, answered: false, endedBy: null, dialled };
    this.legs.set(id, leg);
    this.byCall.set(call.id, leg);
    return leg;
  }

  private newLegId(): string {
    return `${this.id}-${++this.seq}`;
  }
}
