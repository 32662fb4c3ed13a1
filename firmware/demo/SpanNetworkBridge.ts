/**
 * Ties the demo's simulated telephone network to the network end of the
 * E1 span. The network end sees channels and numbers; the simulated network
 * sees legs; this keeps the two maps:
 *
 *   SimNetwork line ──(legs)── bridge ──(channels)── PriNetworkEnd ══ D-channel ══ E1Span ── core
 *
 * An agent reached by the core's `connect` is, on a PRI, just another call
 * from the span (the board cross-connects it): to ring the right simulated
 * agent for the right caller, the bridge watches the core's connects and
 * dials on the span (the `trunk` it hands the daemon is the span, observed).
 */
import type { Logger } from '../../gateway/core/Logger.ts';
import type { DialRequest, TrunkPort, TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';
import type { OpenedE1Span } from '../../drivers/e1/openE1Span.ts';
import type { PriNetworkEnd } from '../../drivers/e1/sim/PriNetworkEnd.ts';
import { CAUSE } from '../../drivers/e1/q931/causes.ts';
import { E1_B_CHANNELS } from '../../drivers/e1/call/ChannelTable.ts';

const RING_MS = 60_000;
const CAUSE_OF = { busy: CAUSE.userBusy, noAnswer: CAUSE.noAnswer, failed: CAUSE.temporaryFailure, noChannel: CAUSE.noCircuitAvailable, unsupported: CAUSE.temporaryFailure } as const;

export class SpanNetworkBridge {
  /** The span as the daemon gets it: every call passes through, connects and offered channels are noted. */
  readonly trunk: TrunkPort;
  /** Network channel → simulated leg (a caller the network offered, or a leg the network dialled for the span). */
  private readonly legOf = new Map<number, string>();
  private readonly channelOf = new Map<string, number>();
  /** Agent channel → the simulated caller leg it was rung for. */
  private readonly agentFor = new Map<number, string>();
  /** The core's connects not yet seen on the D-channel: endpoint → the caller's span channel, in order. */
  private readonly pendingConnects: Array<{ endpoint: string; spanChannel: number }> = [];
  /** The core's dials not yet seen on the D-channel, as the core wrote the number ('+' included). */
  private readonly pendingDials: string[] = [];
  /** The core's legs on the span → their channel (from `offered`). */
  private readonly spanChannel = new Map<string, number>();

  constructor(
    private readonly line: TrunkPort,
    private readonly end: PriNetworkEnd,
    span: OpenedE1Span,
    private readonly log: Logger,
  ) {
    const inner: TrunkPort = span.trunk;
    const self = this;
    this.trunk = {
      get id() {
        return inner.id;
      },
      get channels() {
        return inner.channels;
      },
      setListener: (l) =>
        inner.setListener((s: TrunkSignal) => {
          if (s.kind === 'offered') self.spanChannel.set(s.legId, s.channel);
          if (s.kind === 'ended') self.spanChannel.delete(s.legId);
          l(s);
        }),
      answer: (id) => inner.answer(id),
      play: (id, p, o) => inner.play(id, p, o),
      stopPlay: (id) => inner.stopPlay(id),
      dial: (req: DialRequest) => {
        self.pendingDials.push(req.number);
        return inner.dial(req);
      },
      connect: (id, endpoint, o) => {
        const ch = self.spanChannel.get(id);
        if (ch !== undefined) self.pendingConnects.push({ endpoint, spanChannel: ch });
        inner.connect(id, endpoint, o);
      },
      cancelConnect: (id) => inner.cancelConnect(id),
      hangup: (id) => inner.hangup(id),
      health: () => inner.health(),
    };
    // The board plays a prompt on a channel: the simulated party on it hears it (and may press keys).
    span.board.onPlay = (ts, prompt) => {
      const leg = this.legOf.get(ts);
      if (leg) this.line.play(leg, prompt);
    };
    line.setListener((s) => this.fromNetwork(s, span));
    end.on('ring', (ch, called) => this.ring(ch, called));
    end.on('answered', (ch) => {
      const leg = this.legOf.get(ch);
      if (leg) this.line.answer(leg);
    });
    end.on('cleared', (ch) => this.cleared(ch));
  }

  close(): void {
    this.line.setListener(() => {});
  }

  /** The span called out on `ch`: an agent for a waiting caller, or a number the simulated network dials. */
  private ring(ch: number, called: string): void {
    // The SETUP carries digits and a type of number: '+' is not among the digits.
    const same = (n: string): boolean => n.replace(/^\+/, '') === called.replace(/^\+/, '');
    const i = this.pendingConnects.findIndex((p) => same(p.endpoint));
    if (i >= 0) {
      const { spanChannel } = this.pendingConnects.splice(i, 1)[0]!;
      const caller = this.legOf.get(spanChannel);
      if (caller) {
        this.agentFor.set(ch, caller);
        this.line.connect(caller, called, { ringTimeoutMs: RING_MS });
        return;
      }
    }
    const d = this.pendingDials.findIndex(same);
    const number = d >= 0 ? this.pendingDials.splice(d, 1)[0]! : called;
    const leg = this.line.dial({ number, ringTimeoutMs: RING_MS });
    this.map(ch, leg);
  }

  private fromNetwork(s: TrunkSignal, span: OpenedE1Span): void {
    switch (s.kind) {
      case 'offered': {
        const ch = this.freeChannel();
        if (ch === null) return this.line.hangup(s.legId);
        this.map(ch, s.legId);
        return this.end.offer(ch, s.dialled || '2188770000', s.callerId.kind === 'number' ? s.callerId.number : null);
      }
      case 'dtmf': {
        const ch = this.channelOf.get(s.legId);
        // Heard by whichever decoder the board routed to the channel; lost when none is (the pool is busy).
        if (ch !== undefined) span.board.press(ch, s.digit);
        return;
      }
      case 'dialResult': {
        const ch = this.channelOf.get(s.legId);
        if (ch === undefined) return;
        if (s.outcome === 'answered') return this.end.answer(ch);
        this.unmap(ch);
        return this.end.hangup(ch, CAUSE_OF[s.outcome]);
      }
      case 'connectResult': {
        const ch = this.agentChannel(s.legId);
        if (ch === null) return;
        if (s.outcome === 'answered') return this.end.answer(ch);
        this.agentFor.delete(ch);
        return this.end.hangup(ch, CAUSE_OF[s.outcome]);
      }
      case 'bridgeEnded': {
        const ch = this.agentChannel(s.legId);
        if (ch === null) return;
        this.agentFor.delete(ch);
        if (s.by === 'agent') this.end.hangup(ch, CAUSE.normalClearing);
        return;
      }
      case 'ended': {
        const ch = this.channelOf.get(s.legId);
        if (ch === undefined) return;
        this.unmap(ch);
        return this.end.hangup(ch, CAUSE.normalClearing);
      }
      default:
        return;
    }
  }

  /** The span cleared the call on `ch`: the simulated party is hung up on (or the agent's ringing stopped). */
  private cleared(ch: number): void {
    const caller = this.agentFor.get(ch);
    if (caller !== undefined) {
      this.agentFor.delete(ch);
      this.line.cancelConnect(caller);
      return;
    }
    const leg = this.legOf.get(ch);
    if (leg === undefined) return;
    this.unmap(ch);
    this.line.hangup(leg);
  }

  private agentChannel(callerLeg: string): number | null {
    for (const [ch, caller] of this.agentFor) if (caller === callerLeg) return ch;
    return null;
  }

  /** The network offers from the bottom of the span (the user side hunts from the top). */
  private freeChannel(): number | null {
    for (const ts of E1_B_CHANNELS) {
      if (!this.legOf.has(ts) && !this.agentFor.has(ts)) return ts;
    }
    this.log.debug({}, 'every channel of the demo span is busy: the caller gets busy');
    return null;
  }

  private map(ch: number, leg: string): void {
    this.legOf.set(ch, leg);
    this.channelOf.set(leg, ch);
  }

  private unmap(ch: number): void {
    const leg = this.legOf.get(ch);
    this.legOf.delete(ch);
    if (leg !== undefined) this.channelOf.delete(leg);
  }
}
