import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { CallState, ModemCallerId } from '../messages/Urc.ts';
import { CALL_TIMINGS } from './callTimings.ts';
import type { CallTrackerEvents, EndReason } from './CallTrackerEvents.ts';
import { sameCallerId } from './callerIdFromClcc.ts';
import type { Tombstone } from './clccReconcile.ts';
import type { DialProgress, TrackedCall } from './TrackedCall.ts';

export interface CallTrackerOptions {
  clock: Clock;
  logger: Logger;
  /** Queue one AT+CLCC; its answer comes back through onClcc(). The caller should drop a request while one is queued. */
  requestClcc: () => void;
  /** CLCC poll interval during calls, ms (profile.clccPollMs). */
  clccPollMs: number;
  /**
   * The family pushes `+CLCC:` lines by itself (SIM7600 after AT+CLCC=1,
   * profile callStateSource 'clccUrc'), read at the time of each URC (the
   * family is known only after init). Elsewhere an unsolicited `+CLCC:` line
   * is a late answer to an AT+CLCC that timed out (issue #9): it only
   * triggers a poll and never creates a call. Default: never.
   */
  pushesClcc?: () => boolean;
  /** Wavecom: ATD answers OK only when the far end answered (profile quirk atdOkOnlyOnAnswer, gsm-modems.md P6). */
  atdOkMeansAnswered?: boolean;
  /** Prefix of call ids; give each modem its own so ids are unique across trunks. */
  idPrefix?: string;
  clipGraceMs?: number;
  tombstoneMs?: number;
  localEndEchoMs?: number;
}

const PROGRESS_RANK: Record<DialProgress, number> = { none: 0, dialing: 1, alerting: 2, active: 3 };

/**
 * The set of calls of one modem and every change that emits an event:
 * creating, announcing, connecting, holding, progressing and ending a call,
 * and the CLCC poll that runs while any call exists. CallTracker (the
 * subclass) decides *when* these happen from URCs, CLCC answers and host input.
 */
export abstract class CallSet extends EventEmitter<CallTrackerEvents> {
  protected readonly calls_: TrackedCall[] = [];
  protected tombstones: Tombstone[] = [];
  protected readonly o: Required<CallTrackerOptions>;
  private pollTimer: Timer | null = null;
  private nextId = 1;

  constructor(opts: CallTrackerOptions) {
    super();
    this.o = {
      atdOkMeansAnswered: false,
      pushesClcc: () => false,
      idPrefix: 'call',
      clipGraceMs: CALL_TIMINGS.clipGraceMs,
      tombstoneMs: CALL_TIMINGS.tombstoneMs,
      localEndEchoMs: CALL_TIMINGS.localEndEchoMs,
      ...opts,
    };
  }

  /** Stop timers without events (driver close). */
  dispose(): void {
    for (const call of this.calls_) call.graceTimer?.clear();
    this.pollTimer?.clear();
    this.pollTimer = null;
  }

  protected toState(call: TrackedCall, state: Exclude<CallState, 'ended'>): void {
    if (call.direction === 'in') {
      if (state === 'active' || state === 'held') this.connect(call, state);
      else if (state === 'waiting' && !call.everActive) call.phase = 'waiting';
      return;
    }
    if (state === 'dialing' || state === 'alerting') {
      if (!call.everActive) call.phase = state;
      this.progress(call, state);
    } else if (state === 'active' || state === 'held') {
      this.progress(call, 'active');
      this.connect(call, state);
    }
  }

  protected connect(call: TrackedCall, state: 'active' | 'held'): void {
    this.announce(call);
    const wasHeld = call.phase === 'held';
    call.phase = state;
    if (!call.everActive) {
      call.everActive = true;
      this.emit('active', { callId: call.callId, index: call.index });
    }
    if (wasHeld !== (state === 'held')) this.emit('holdChanged', { callId: call.callId, held: state === 'held' });
  }

  protected progress(call: TrackedCall, state: Exclude<DialProgress, 'none'>): void {
    if (PROGRESS_RANK[state] <= PROGRESS_RANK[call.progress]) return;
    call.progress = state;
    this.emit('dialProgress', { callId: call.callId, state });
  }

  protected setCallerId(call: TrackedCall, callerId: ModemCallerId): void {
    if (sameCallerId(call.callerId, callerId)) return;
    call.callerId = callerId;
    if (call.announced) this.emit('callerIdUpdated', { callId: call.callId, callerId });
  }

  /** Emit `incoming` once, then the rings counted so far. */
  protected announce(call: TrackedCall): void {
    if (call.announced) return;
    call.announced = true;
    call.graceTimer?.clear();
    call.graceTimer = null;
    this.emit('incoming', { callId: call.callId, index: call.index, callerId: call.callerId });
    if (call.ringCount > 0) this.emit('ringing', { callId: call.callId, count: call.ringCount });
  }

  protected end(call: TrackedCall, reason: EndReason, tombstone = true, why?: string): void {
    const i = this.calls_.indexOf(call);
    if (i < 0) return;
    this.announce(call); // a caller who hung up within the CLIP grace was still a real call
    call.graceTimer?.clear();
    this.calls_.splice(i, 1);
    if (tombstone) {
      this.tombstones.push({ direction: call.direction, index: call.index, until: this.o.clock.now() + this.o.tombstoneMs });
    }
    this.o.logger.debug({ callId: call.callId, index: call.index, reason, why }, 'call ended');
    this.emit('ended', { callId: call.callId, index: call.index, reason });
    if (this.calls_.length === 0) {
      this.pollTimer?.clear();
      this.pollTimer = null;
    }
  }

  protected createIncoming(phase: 'ringing' | 'waiting', index: number | null): TrackedCall {
    return this.add({ direction: 'in', leg: 'first', index, phase, dialled: null, announced: false, dialPending: false, progress: 'none' });
  }

  protected createOutgoing(number: string, leg: 'first' | 'second'): string {
    const call = this.add({ direction: 'out', leg, index: null, phase: 'dialing', dialled: number, announced: true, dialPending: true, progress: 'none' });
    return call.callId;
  }

  protected add(
    init: Pick<TrackedCall, 'direction' | 'leg' | 'index' | 'phase' | 'dialled' | 'announced' | 'dialPending' | 'progress'>,
  ): TrackedCall {
    const call: TrackedCall = {
      ...init,
      callId: `${this.o.idPrefix}-${this.nextId++}`,
      callerId: null,
      ringCount: 0,
      everActive: false,
      confirmed: false,
      misses: 0,
      graceTimer: null,
    };
    this.calls_.push(call);
    this.ensurePolling();
    return call;
  }

  /** While any call exists, AT+CLCC every clccPollMs: a lost termination URC is caught within one interval (P12). */
  protected ensurePolling(): void {
    if (this.pollTimer?.pending) return;
    this.pollTimer = this.o.clock.setTimer('clccPoll', this.o.clccPollMs, () => {
      this.pollTimer = null;
      if (this.calls_.length === 0) return;
      this.ensurePolling(); // arm first: the answer may end every call synchronously
      this.o.requestClcc();
    });
  }

  protected find(callId: string, input: string): TrackedCall | undefined {
    const call = this.calls_.find((c) => c.callId === callId);
    if (!call) this.o.logger.debug({ callId, input }, 'no such call (already ended?)');
    return call;
  }
}
