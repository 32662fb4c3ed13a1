import type { CallState, ClccEntry, ModemCallerId, Urc } from '../messages/Urc.ts';
import { CallSet } from './CallSet.ts';
import type { DialOutcome } from './CallTrackerEvents.ts';
import { callerIdFromClcc } from './callerIdFromClcc.ts';
import { reconcileClcc } from './clccReconcile.ts';
import { reasonFromCallEnded, reasonFromCause, reasonWhenGone } from './endReason.ts';
import type { CallSnapshot, TrackedCall } from './TrackedCall.ts';

export type { CallTrackerOptions } from './CallSet.ts';

/**
 * The per-modem truth about calls (gsm-modems.md §2 "CallManager", P12):
 * calls keyed by CLCC index; RING/CLIP/proprietary URCs are triggers, AT+CLCC
 * decides. Fed typed URCs and CLCC answers; never talks to the modem except
 * through the injected requestClcc(); all time on the injected Clock.
 */
export class CallTracker extends CallSet {
  private lastLocalEnd = -Infinity;

  /** The calls now up, in creation order. */
  calls(): CallSnapshot[] {
    return this.calls_.map(({ callId, direction, leg, index, phase, callerId, dialled, ringCount }) => ({
      callId, direction, leg, index, phase, callerId, dialled, ringCount,
    }));
  }

  onUrc(urc: Urc): void {
    switch (urc.kind) {
      case 'ring': return this.onRing();
      case 'callerId': return this.onCallerId(urc.callerId, urc.waiting);
      case 'callListEntry': return this.onClccUrc(urc.entry);
      case 'callState': return this.onCallState(urc.index, urc.state, urc.cause);
      case 'callEnded': return this.onCallEnded(urc.reason);
      case 'dtmf': return this.onDtmf(urc.digit);
      default: return; // registration, SMS, boot … are other components' business
    }
  }

  /**
   * The full answer of one AT+CLCC (an empty list = no calls). `complete`
   * false: the modem listed lines that could not be parsed (gsm-modems.md §4,
   * a number without <type>), so a call missing from `entries` may be one of
   * them: apply what was listed, release nothing.
   */
  onClcc(entries: ClccEntry[], complete = true): void {
    this.reconcile(entries, complete);
  }

  /** The host's ATA returned OK. */
  answered(callId: string): void {
    const call = this.find(callId, 'answered');
    if (!call) return;
    // The modem took ATA for this call, and any CLCC answered after that OK was written after it
    // (one command at a time): a list without the call now means it is gone, once a second poll agrees.
    call.confirmed = true;
    this.toState(call, 'active');
  }

  /** The host hung this call up (AT+CHUP / AT+CHLD=1x returned OK). */
  localHangup(callId: string): void {
    const call = this.find(callId, 'localHangup');
    if (!call) return;
    this.lastLocalEnd = this.o.clock.now();
    this.end(call, 'local');
  }

  /** The host is about to send ATD for the first (or only) call. */
  dialStarted(number: string): string {
    return this.createOutgoing(number, 'first');
  }

  /** The host dials the agent leg of a conference/transfer while the first call is up (usually held). */
  secondCallStarted(number: string): string {
    if (this.calls_.length === 0) this.o.logger.warn({ number }, 'second call dialled with no first call up');
    return this.createOutgoing(number, 'second');
  }

  /** The final result of the host's ATD. */
  dialFinished(callId: string, outcome: DialOutcome): void {
    const call = this.find(callId, 'dialFinished');
    if (!call) return;
    call.dialPending = false;
    switch (outcome) {
      case 'ok':
        return this.toState(call, this.o.atdOkMeansAnswered ? 'active' : 'dialing');
      case 'busy':
        return this.end(call, 'busy');
      case 'noAnswer':
        return this.end(call, 'noAnswer');
      case 'noCarrier':
        return this.end(call, reasonWhenGone(call));
      case 'failed':
        return this.end(call, 'failed');
    }
  }

  /** The modem rebooted, vanished or was declared dead: every call is lost. */
  modemLost(): void {
    for (const call of [...this.calls_]) this.end(call, 'lineFailed', false);
    this.tombstones = [];
  }

  // ---- URC handlers -------------------------------------------------------

  private onRing(): void {
    const call = this.ringingCall() ?? this.createIncoming('ringing', null);
    call.ringCount += 1;
    if (call.announced) {
      this.emit('ringing', { callId: call.callId, count: call.ringCount });
    } else if (!call.graceTimer) {
      call.graceTimer = this.o.clock.setTimer('clipGrace', this.o.clipGraceMs, () => {
        call.graceTimer = null;
        this.announce(call);
        // No CLIP in time: the number may still come from CLCC (gsm-modems.md scenario 2).
        this.o.requestClcc();
      });
    }
  }

  private onCallerId(callerId: ModemCallerId, waiting: boolean): void {
    const existing = waiting
      ? this.calls_.find((c) => c.direction === 'in' && c.phase === 'waiting' && !c.everActive)
      : this.ringingCall();
    const call = existing ?? this.createIncoming(waiting ? 'waiting' : 'ringing', null);
    this.setCallerId(call, callerId);
    this.announce(call);
  }

  private onCallState(index: number | null, state: CallState, cause: number | undefined): void {
    if (state === 'ended') {
      // ^CEND:<idx> / ccinfo name the call; VOICE CALL: END does not. An index we never
      // learned (call known only from RING) still means the sole call.
      const named = index === null ? undefined : this.calls_.find((c) => c.index === index);
      const sole = named ? undefined : this.soleCallUnlessEcho();
      const call = named ?? (sole && (index === null || sole.index === null) ? sole : undefined);
      if (call) this.end(call, reasonFromCause(call, cause));
    }
    if (this.calls_.length > 0 || state !== 'ended') this.o.requestClcc();
  }

  private onCallEnded(reason: Extract<Urc, { kind: 'callEnded' }>['reason']): void {
    // A dropped caller must not wait for the poll: with one call up, it is that one.
    const call = this.soleCallUnlessEcho();
    if (call) this.end(call, reasonFromCallEnded(call, reason));
    if (this.calls_.length > 0) this.o.requestClcc();
  }

  /**
   * One pushed `+CLCC:` line. Only a family that pushes them (SIM7600) gets
   * it applied; elsewhere it is a late answer to a timed-out AT+CLCC, maybe
   * about a call long gone (issue #9: it offered a caller the core had just
   * ended as a new call), so it only asks for a fresh list.
   */
  private onClccUrc(entry: ClccEntry): void {
    if (this.o.pushesClcc()) return this.reconcile([entry], false);
    this.o.logger.debug({ entry }, 'unsolicited +CLCC on a family that does not push them (a late answer?): polling instead');
    this.o.requestClcc();
  }

  private onDtmf(digit: string): void {
    const call = this.calls_.find((c) => c.phase === 'active');
    if (call) this.emit('dtmf', { callId: call.callId, digit });
    else this.o.logger.debug({ digit }, 'DTMF with no connected call: dropped');
  }

  // ---- reconciliation ------------------------------------------------------

  private reconcile(entries: readonly ClccEntry[], sweep: boolean): void {
    const now = this.o.clock.now();
    this.tombstones = this.tombstones.filter((t) => now < t.until);
    const plan = reconcileClcc(
      this.calls_.map((c) => ({ ...c, number: c.direction === 'in' ? (c.callerId?.number ?? null) : c.dialled })),
      entries,
      { sweep, tombstones: this.tombstones, now },
    );
    for (const { entry, why } of plan.ignored) this.o.logger.debug({ entry, why }, 'CLCC entry ignored');
    for (const { callId, why } of plan.released) {
      const call = this.calls_.find((c) => c.callId === callId);
      if (call) this.end(call, reasonWhenGone(call), false, why);
    }
    let confirm = false;
    for (const callId of plan.missed) {
      const call = this.calls_.find((c) => c.callId === callId);
      if (!call) continue;
      call.misses += 1;
      confirm ||= call.confirmed;
    }
    for (const { callId, entry } of plan.matched) {
      const call = this.calls_.find((c) => c.callId === callId);
      if (!call) continue;
      call.index = entry.index;
      call.confirmed = true;
      call.misses = 0;
      this.fromClcc(call, entry);
    }
    for (const entry of plan.adopted) {
      const call = this.createIncoming(entry.state === 'waiting' ? 'waiting' : 'ringing', entry.index);
      call.confirmed = true;
      this.fromClcc(call, entry);
      this.announce(call);
    }
    // A listed call missing once: confirm at once rather than at the next poll, so a real hang-up still
    // ends the call within a round trip (scenario 15) while a stray empty answer ends nothing.
    if (confirm) this.o.requestClcc();
  }

  private fromClcc(call: TrackedCall, entry: ClccEntry): void {
    if (call.direction === 'in' && call.callerId === null) {
      const callerId = callerIdFromClcc(entry);
      if (callerId) {
        this.setCallerId(call, callerId);
        this.announce(call); // the number is here: no need to wait out the CLIP grace
      }
    }
    if (entry.state === 'ended') this.end(call, reasonWhenGone(call), false, 'CLCC stat 6');
    else this.toState(call, entry.state);
  }

  /** The incoming call still ringing (RING and +CLIP repeat for it until answered). */
  private ringingCall(): TrackedCall | undefined {
    return this.calls_.find((c) => c.direction === 'in' && c.phase === 'ringing' && !c.everActive);
  }

  /** The one call up, unless a local hang-up just happened (its echo must not end another call). */
  private soleCallUnlessEcho(): TrackedCall | undefined {
    if (this.o.clock.now() - this.lastLocalEnd < this.o.localEndEchoMs) return undefined;
    const [only, ...rest] = this.calls_;
    return only && rest.length === 0 && !only.dialPending ? only : undefined;
  }
}
