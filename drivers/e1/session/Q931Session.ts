/**
 * Q.931 call control of the user side of one PRI (ETSI EN 300 403, e1-pri
 * §5), above the LAPD link:
 *
 *   Lapd ─(info)─► Q931Session ─(typed events)─► E1Span (the trunk façade)
 *
 * Each call is a small state machine of the standard user states (U0 … U25,
 * the numbers the call state IE carries); the global call reference carries
 * RESTART. Channels come from the span's ChannelTable and go back to it when
 * a call is released, restarted, or put in maintenance after clearing failed.
 */
import { EventEmitter } from 'node:events';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import { CAUSE, LOCATION } from '../q931/causes.ts';
import type { PartyNumber } from '../q931/ies.ts';
import { decodeQ931, encodeQ931, type Q931Message } from '../q931/q931Codec.ts';
import type { MessageType } from '../q931/messageTypes.ts';
import { Q931_DEFAULTS, type Q931Timers } from './q931Timers.ts';

import { CALL_STATE, type PriCall, type Q931SessionEvents, type Q931SessionOptions } from './priCall.ts';
import { RestartProcedure } from './RestartProcedure.ts';

export { CALL_STATE, type CallState, type PriCall, type Q931SessionEvents, type Q931SessionOptions } from './priCall.ts';

export class Q931Session extends EventEmitter<Q931SessionEvents> {
  private readonly calls = new Map<string, PriCall>();
  private readonly t: Q931Timers;
  private readonly log: Logger;
  private nextRef = 1;
  private seq = 0;
  private readonly restarts: RestartProcedure;

  constructor(private readonly o: Q931SessionOptions) {
    super();
    this.t = { ...Q931_DEFAULTS, ...o.timers };
    this.log = (o.logger ?? silentLogger).child({ component: 'q931' });
    this.restarts = new RestartProcedure({
      channels: o.channels,
      clock: o.clock,
      t316: this.t.t316,
      send: (m) => this.sendRaw(m),
      clear: (channels) => {
        for (const c of [...this.calls.values()]) if (channels === 'all' || channels.includes(c.channel)) this.finish(c, CAUSE.temporaryFailure);
      },
      restarted: (channels) => void this.emit('restarted', channels),
    });
  }

  get active(): PriCall[] {
    return [...this.calls.values()];
  }

  /** The link came up for the first time (or again after being down): restart every channel not carrying an active call. */
  linkUp(): void {
    const busy = new Set([...this.calls.values()].filter((c) => c.state === 'active').map((c) => c.channel));
    if (busy.size > 0) {
      // Active calls survived the outage (T309): ask the network how it sees each (Q.931 §5.8.9).
      for (const c of this.calls.values()) if (busy.has(c.channel)) this.sendMsg(c, 'STATUS_ENQUIRY', {});
      return;
    }
    this.o.channels.takeOut('restarting');
    this.restarts.send();
  }

  /**
   * The link was re-established while up (the peer's SABME, or ours after an
   * error): frames not yet acknowledged are gone, so whatever was under way
   * is asked again: the RESTART, or the state of each active call.
   */
  linkReset(): void {
    if (this.restarts.pending || [...this.calls.values()].some((c) => c.state === 'active')) this.linkUp();
  }

  /** The link is down: calls not yet active are cleared at once, active ones wait T309 (Q.931 §5.8.8). */
  linkDown(): void {
    for (const c of [...this.calls.values()]) {
      if (c.state !== 'active') this.finish(c, CAUSE.temporaryFailure);
      else this.arm(c, 't309', this.t.t309, () => this.finish(c, CAUSE.temporaryFailure));
    }
  }

  /**
   * The line itself failed (a framer alarm): every call is cleared here and
   * now, with nothing sent, since nothing can reach the network; when the
   * line is back, {@link linkUp} restarts the channels to agree with it again.
   */
  clearLocally(cause: number = CAUSE.temporaryFailure): void {
    for (const c of [...this.calls.values()]) this.finish(c, cause);
  }

  /** Our outgoing call on `channel` (picked by the span). */
  setup(req: { channel: number; number: string; callingNumber: string | null }): PriCall {
    const call = this.newCall(this.allocRef(), true, req.channel, req.number, null);
    call.state = 'callInitiated';
    this.o.channels.reserve(req.channel, call.id);
    this.sendMsg(call, 'SETUP', {
      bearer: { capability: 0, layer1: 0x23 },
      channel: { channel: req.channel, exclusive: true },
      ...(req.callingNumber ? { calling: { digits: req.callingNumber, type: 'unknown', plan: 1, presentation: 'allowed', screening: 0 } } : {}),
      called: { digits: req.number.replace(/^\+/, ''), type: req.number.startsWith('+') ? 'international' : 'unknown', plan: 1 },
      sendingComplete: true,
    });
    this.armT303(call);
    return call;
  }

  /** CALL PROCEEDING for an incoming call (U9): the network stops waiting, the channel is confirmed. */
  proceed(call: PriCall): void {
    if (call.state !== 'callPresent') return;
    call.state = 'incomingProceeding';
    this.sendMsg(call, 'CALL_PROCEEDING', { channel: { channel: call.channel, exclusive: true } });
  }

  /** CONNECT (U8, T313). */
  answer(call: PriCall): void {
    if (call.state === 'callPresent') this.proceed(call);
    if (call.state !== 'incomingProceeding' && call.state !== 'callReceived') return;
    call.state = 'connectRequest';
    this.sendMsg(call, 'CONNECT', {});
    this.arm(call, 't313', this.t.t313, () => this.disconnect(call, CAUSE.recoveryOnTimerExpiry));
  }

  /** Clear a call from our side with `cause`. */
  disconnect(call: PriCall, cause: number = CAUSE.normalClearing): void {
    if (!this.calls.has(call.id)) return;
    call.cause = cause;
    // The first answer to a SETUP may be RELEASE COMPLETE (Q.931 §5.2.5.1).
    if (call.state === 'overlapReceiving') {
      this.stop(call);
      call.state = 'disconnectRequest';
      this.sendMsg(call, 'DISCONNECT', { cause: { location: LOCATION.user, value: cause } });
      return this.arm(call, 't305', this.t.t305, () => this.release(call, cause));
    }
    if (call.state === 'callPresent') {
      this.sendMsg(call, 'RELEASE_COMPLETE', { cause: { location: LOCATION.user, value: cause } });
      return this.finish(call, cause);
    }
    if (call.state === 'disconnectRequest' || call.state === 'releaseRequest') return;
    call.state = 'disconnectRequest';
    this.sendMsg(call, 'DISCONNECT', { cause: { location: LOCATION.user, value: cause } });
    this.arm(call, 't305', this.t.t305, () => this.release(call, cause));
  }

  /** One Q.931 message from the link. */
  receive(info: Uint8Array): void {
    const r = decodeQ931(info);
    if (!r.ok) {
      this.log.warn({ cause: r.cause, detail: r.detail }, 'Q.931 message not understood');
      // An unknown message type on a call we know: STATUS cause 97 (§5.8.4).
      if (r.cause === 97 && r.callRef !== undefined) {
        const c = this.find(r.callRef, !r.fromDestination);
        if (c) this.sendMsg(c, 'STATUS', { cause: { location: LOCATION.user, value: 97 }, callState: CALL_STATE[c.state] });
      }
      return;
    }
    const m = r.message;
    if (m.callRef === 0) return this.restarts.receive(m);
    // The network's flag is 0 on calls it allocated; 1 on ours.
    const call = this.find(m.callRef, m.fromDestination);
    if (!call) return this.unknownCallRef(m);
    if (r.problems.missing.length > 0 || r.problems.unknownRequired.length > 0) {
      this.log.warn({ call: call.id, type: m.type, problems: r.problems }, 'mandatory information missing');
      if (m.type !== 'DISCONNECT' && m.type !== 'RELEASE' && m.type !== 'RELEASE_COMPLETE') {
        return this.sendMsg(call, 'STATUS', { cause: { location: LOCATION.user, value: CAUSE.mandatoryIeMissing }, callState: CALL_STATE[call.state] });
      }
    }
    this.onCallMessage(call, m);
  }

  private onCallMessage(c: PriCall, m: Q931Message): void {
    const cause = m.cause?.value ?? CAUSE.normalUnspecified;
    switch (m.type) {
      case 'CALL_PROCEEDING':
        if (c.state !== 'callInitiated') return this.wrongState(c, m.type);
        c.state = 'outgoingProceeding';
        return this.arm(c, 't310', this.t.t310, () => this.disconnect(c, CAUSE.recoveryOnTimerExpiry));
      case 'ALERTING':
        if (c.state !== 'callInitiated' && c.state !== 'outgoingProceeding') return this.wrongState(c, m.type);
        c.state = 'callDelivered';
        this.stop(c);
        return void this.emit('alerting', c);
      case 'PROGRESS':
        return void this.emit('progress', c, m.progress?.description === 8);
      case 'CONNECT':
        if (!c.ours || c.state === 'active') return this.wrongState(c, m.type);
        this.stop(c);
        c.state = 'active';
        this.o.channels.use(c.channel, c.id);
        this.sendMsg(c, 'CONNECT_ACKNOWLEDGE', {});
        return void this.emit('active', c);
      case 'CONNECT_ACKNOWLEDGE':
        if (c.state !== 'connectRequest') return;
        this.stop(c);
        c.state = 'active';
        this.o.channels.use(c.channel, c.id);
        return void this.emit('active', c);
      case 'DISCONNECT':
        c.cause = cause;
        c.state = 'disconnectIndication';
        return this.release(c, cause);
      case 'RELEASE':
        this.sendMsg(c, 'RELEASE_COMPLETE', {});
        return this.finish(c, c.cause ?? cause);
      case 'RELEASE_COMPLETE':
        return this.finish(c, c.cause ?? cause);
      case 'INFORMATION':
        if (c.state === 'overlapReceiving') return this.moreDigits(c, m);
        return;
      case 'STATUS_ENQUIRY':
        return this.sendMsg(c, 'STATUS', { cause: { location: LOCATION.user, value: CAUSE.responseToStatusEnquiry }, callState: CALL_STATE[c.state] });
      case 'STATUS':
        // The network sees the call as gone: so be it (Q.931 §5.8.11).
        if (m.callState === 0) return this.finish(c, cause);
        return;
      default:
        return;
    }
  }

  /** Q.931 §5.8.3.2: a message for a call reference we do not know. */
  private unknownCallRef(m: Q931Message): void {
    const back = { callRef: m.callRef, fromDestination: !m.fromDestination };
    if (m.type === 'SETUP' && !m.fromDestination) return this.incoming(m);
    if (m.type === 'RELEASE_COMPLETE') return;
    if (m.type === 'STATUS_ENQUIRY') return this.sendRaw({ ...back, type: 'STATUS', cause: { location: LOCATION.user, value: CAUSE.responseToStatusEnquiry }, callState: 0 });
    if (m.type === 'STATUS') return;
    this.sendRaw({ ...back, type: 'RELEASE_COMPLETE', cause: { location: LOCATION.user, value: CAUSE.invalidCallReference } });
  }

  private incoming(m: Q931Message): void {
    const refuse = (cause: number): void => this.sendRaw({ callRef: m.callRef, fromDestination: true, type: 'RELEASE_COMPLETE', cause: { location: LOCATION.user, value: cause } });
    if (!m.bearer) return refuse(CAUSE.mandatoryIeMissing);
    if (m.bearer.capability !== 0 && m.bearer.capability !== 0x10) return refuse(CAUSE.bearerNotImplemented);
    const wanted = m.channel?.channel ?? null;
    // Glare (Q.931 §5.7.2): the network offers the channel our SETUP just asked for. The
    // network's call has priority: ours gives the channel up (cause 44, so the span dials it
    // again on another) and the RELEASE COMPLETE the network will send for it finds no call.
    const mine = wanted === null ? undefined : [...this.calls.values()].find((c) => c.ours && c.channel === wanted && c.state === 'callInitiated');
    if (mine) {
      this.log.info({ call: mine.id, channel: wanted }, 'glare: the network took the channel of our SETUP');
      this.finish(mine, CAUSE.requestedChannelNotAvailable);
    }
    const pick = this.o.channels.pickIncoming(wanted, m.channel?.exclusive ?? false);
    if ('refuse' in pick) return refuse(pick.refuse);
    const call = this.newCall(m.callRef, false, pick.ts, m.called?.digits ?? '', m.calling ?? null);
    this.o.channels.reserve(pick.ts, call.id);
    const ov = this.o.overlap;
    if (ov?.enabled && !m.sendingComplete && (ov.digits === null || call.called.length < ov.digits)) {
      call.state = 'overlapReceiving';
      this.sendMsg(call, 'SETUP_ACKNOWLEDGE', { channel: { channel: pick.ts, exclusive: true } });
      return this.armOverlap(call);
    }
    call.state = 'callPresent';
    this.emit('incoming', call);
  }

  /** More digits of an overlap-received number (INFORMATION). */
  private moreDigits(c: PriCall, m: Q931Message): void {
    const ov = this.o.overlap!;
    c.called += m.called?.digits ?? m.keypad ?? '';
    if (m.sendingComplete || (ov.digits !== null && c.called.length >= ov.digits)) return this.numberComplete(c);
    this.armOverlap(c);
  }

  private armOverlap(c: PriCall): void {
    this.arm(c, 'overlap', this.o.overlap!.timeoutMs, () => this.numberComplete(c));
  }

  private numberComplete(c: PriCall): void {
    this.stop(c);
    c.state = 'callPresent';
    this.emit('incoming', c);
  }

  private release(c: PriCall, cause: number): void {
    c.state = 'releaseRequest';
    this.sendMsg(c, 'RELEASE', c.ours || c.cause === null ? { cause: { location: LOCATION.user, value: cause } } : {});
    c.retries = 0;
    const again = (): void => {
      if (c.retries++ === 0) {
        this.sendMsg(c, 'RELEASE', { cause: { location: LOCATION.user, value: cause } });
        return this.arm(c, 't308', this.t.t308, again, true);
      }
      // Twice without an answer: the channel is suspect until a RESTART frees it (Q.931 §5.3.4.3).
      this.o.channels.takeOut('maintenance', [c.channel]);
      this.finish(c, cause);
      this.restarts.send([c.channel]);
    };
    this.arm(c, 't308', this.t.t308, again, true);
  }

  private armT303(c: PriCall): void {
    this.arm(c, 't303', this.t.t303, () => {
      if (c.retries++ === 0) {
        this.sendMsg(c, 'SETUP', {});
        return this.armT303(c);
      }
      this.finish(c, CAUSE.recoveryOnTimerExpiry);
    }, true);
  }

  private finish(c: PriCall, cause: number): void {
    this.stop(c);
    if (!this.calls.delete(c.id)) return;
    this.o.channels.free(c.channel);
    c.state = 'null';
    this.emit('cleared', c, cause);
  }

  private wrongState(c: PriCall, type: MessageType): void {
    this.log.warn({ call: c.id, state: c.state, type }, 'message not compatible with the call state');
    this.sendMsg(c, 'STATUS', { cause: { location: LOCATION.user, value: CAUSE.messageNotCompatibleWithCallState }, callState: CALL_STATE[c.state] });
  }

  private newCall(callRef: number, ours: boolean, channel: number, called: string, calling: PartyNumber | null): PriCall {
    const call: PriCall = { id: `pri${++this.seq}`, callRef, ours, channel, state: 'null', calling, called, timer: null, retries: 0, cause: null };
    this.calls.set(call.id, call);
    return call;
  }

  private find(callRef: number, fromDestination: boolean): PriCall | undefined {
    // fromDestination set: the sender is not the allocator, i.e. the call is ours.
    for (const c of this.calls.values()) if (c.callRef === callRef && c.ours === fromDestination) return c;
    return undefined;
  }

  private allocRef(): number {
    for (;;) {
      const ref = this.nextRef;
      this.nextRef = this.nextRef >= 0x7fff ? 1 : this.nextRef + 1;
      if (![...this.calls.values()].some((c) => c.ours && c.callRef === ref)) return ref;
    }
  }

  private sendMsg(c: PriCall, type: MessageType, ies: Omit<Q931Message, 'callRef' | 'fromDestination' | 'type'>): void {
    // The SETUP resent by T303 is the same SETUP: keep what was sent first.
    if (type === 'SETUP' && Object.keys(ies).length === 0 && this.lastSetup.has(c.id)) return this.o.send(this.lastSetup.get(c.id)!);
    const bytes = encodeQ931({ callRef: c.callRef, fromDestination: !c.ours, type, ...ies });
    if (type === 'SETUP') this.lastSetup.set(c.id, bytes);
    this.o.send(bytes);
  }

  private readonly lastSetup = new Map<string, Uint8Array>();

  private sendRaw(m: Q931Message): void {
    this.o.send(encodeQ931(m));
  }

  private arm(c: PriCall, name: string, ms: number, fn: () => void, keepRetries = false): void {
    c.timer?.clear();
    if (!keepRetries) c.retries = 0;
    c.timer = this.o.clock.setTimer(`q931-${name}`, ms, fn);
  }

  private stop(c: PriCall): void {
    c.timer?.clear();
    c.timer = null;
    this.lastSetup.delete(c.id);
  }
}
