import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { CallerId } from '../../../gateway/events.ts';
import { CallTable, typeOfNumber, type EndCause, type ModemCall } from './calls.ts';
import type { NetworkEvents, NetworkSide, RingResult } from './network/NetworkSide.ts';

/** Callbacks for events that are not call-table changes. */
export interface CallControlHost {
  dtmf(digit: string): void;
  playDone(promptId: string): void;
  health(up: boolean): void;
}

/** Result of a host call command: OK, a CME error code, or a call-failure final (`NO CARRIER`). */
export type CallCommandResult = 'ok' | { cme: number } | { final: string };

const END_OF: Record<Exclude<RingResult, 'answered'>, EndCause> = { busy: 'busy', noAnswer: 'noAnswer', failed: 'failed' };

/**
 * The DCE's call control (27.007 §6–7): host commands (ATA, ATD, hang-up,
 * AT+CHLD) change the call table and drive the network side; network events
 * change the table too. URCs are derived from the table by CallPresenter.
 *
 * A second ATD while a call is held is the agent leg of a transfer: it
 * becomes `connect(firstLeg, number)` on the line. Releasing an answered
 * connect call only removes it from the table: TrunkPort cannot drop one
 * side of a bridge (cancelConnect is a no-op after the answer), so the
 * simulator keeps it until a party leaves.
 */
export class CallControl implements NetworkEvents {
  net!: NetworkSide;
  ectSupported = true;
  /**
   * The subscription's call waiting. Off (the usual default, and what a
   * one-line trunk wants): a call arriving while the modem has one is given
   * busy by the network and never reaches the DCE. On: it shows as waiting.
   */
  callWaiting = false;
  /** DTMF digits the host sent (AT+VTS, AT^DTMF), in order. */
  readonly sentDtmf: string[] = [];
  private readonly alertTimers = new Map<number, Timer>();

  constructor(
    readonly table: CallTable,
    private readonly clock: Clock,
    private readonly host: CallControlHost,
    private readonly alertingAfterMs: number,
  ) {}

  // --- host commands ------------------------------------------------------------------

  /** ATA: answer the incoming (or waiting) call. */
  answer(): CallCommandResult {
    const call = this.table.find((c) => c.state === 'incoming' || c.state === 'waiting');
    if (!call) return { final: 'NO CARRIER' };
    for (const a of this.table.inState('active')) this.table.setState(a, 'held');
    this.net.answer(call);
    this.table.setState(call, 'active');
    return 'ok';
  }

  /** ATD<number>; — a first call dials on its own leg, a second one connects from the held first call. */
  dial(dialString: string): CallCommandResult {
    const number = dialString.replace(/[;\s]/g, '').replace(/^>/, '');
    if (!/^\+?[0-9*#]+$/.test(number)) return { final: 'NO CARRIER' };
    const first = this.table.find((c) => c.role === 'leg');
    if (!first) {
      const legId = this.net.dial(number);
      this.startOutgoing({ role: 'leg', legId, number });
      return 'ok';
    }
    // A second call needs the first one held (AT+CHLD=2 first), as on a handset.
    if (this.table.size > 1 || first.state !== 'held') return { cme: 3 };
    this.startOutgoing({ role: 'connect', legId: first.legId, number });
    this.net.connect(first.legId, number);
    return 'ok';
  }

  /** AT+CHUP / ATH: release the active and ringing calls; a held call survives a second one. */
  hangup(): CallCommandResult {
    const calls = this.table.list();
    const held = calls.filter((c) => c.state === 'held');
    const targets = held.length > 0 && held.length < calls.length ? calls.filter((c) => c.state !== 'held') : calls;
    for (const c of targets) this.release(c);
    return 'ok';
  }

  /** AT+CHLD=<n>[x] (27.007 §7.13, 22.030 §6.5.5.1). */
  chld(arg: string): CallCommandResult {
    const t = this.table;
    const x = arg.length > 1 ? Number(arg.slice(1)) : null;
    const op = arg[0];
    if (x !== null && (!Number.isInteger(x) || !t.get(x))) return { cme: 3 };
    switch (op) {
      case '0': {
        const ringing = t.inState('incoming', 'waiting');
        for (const c of ringing.length > 0 ? ringing : t.inState('held')) this.release(c);
        return 'ok';
      }
      case '1': {
        if (x !== null) {
          this.release(t.get(x)!);
          return 'ok';
        }
        for (const c of t.inState('active', 'dialing', 'alerting')) this.release(c);
        const next = t.find((c) => c.state === 'waiting' || c.state === 'held');
        if (next?.state === 'waiting') this.answer();
        else if (next) t.setState(next, 'active');
        return 'ok';
      }
      case '2': {
        if (x !== null) {
          for (const c of t.inState('active')) if (c.index !== x) t.setState(c, 'held');
          t.setState(t.get(x)!, 'active');
          return 'ok';
        }
        const waiting = t.find((c) => c.state === 'waiting');
        if (waiting) return this.answer();
        const active = t.inState('active');
        const held = t.inState('held');
        for (const c of active) t.setState(c, 'held');
        for (const c of held) t.setState(c, 'active');
        return active.length + held.length > 0 ? 'ok' : { cme: 3 };
      }
      case '3': {
        const calls = t.inState('active', 'held');
        if (calls.length < 2) return { cme: 3 };
        for (const c of calls) {
          t.setState(c, 'active');
          t.setMpty(c, true);
        }
        return 'ok';
      }
      case '4':
        return this.transfer();
      default:
        return { cme: 3 };
    }
  }

  /** AT+CHLD=4: join the held and the active call and leave (3GPP TS 24.091). */
  private transfer(): CallCommandResult {
    const held = this.table.find((c) => c.state === 'held');
    const other = this.table.find((c) => c.state === 'active');
    if (!this.ectSupported || !held || !other) return { cme: 3 };
    this.net.transferred(held.legId);
    for (const c of [other, held]) this.table.remove(c, 'transferred');
    return 'ok';
  }

  /**
   * Module-side playback (SIM800 AT+CREC, SIM7600 AT+CCMXPLAY, Quectel
   * AT+QPSND) to the active call's leg; false when no call is active.
   */
  play(promptId: string): boolean {
    const call = this.table.find((c) => c.role === 'leg' && c.state === 'active');
    if (!call) return false;
    this.net.play(call.legId, promptId);
    return true;
  }

  stopPlay(): void {
    const call = this.table.find((c) => c.role === 'leg');
    if (call) this.net.stopPlay(call.legId);
  }

  /** Release one call: a leg's own call hangs the leg up (ending everything on it); a connect call is canceled. */
  release(call: ModemCall): void {
    if (call.role === 'connect') {
      if (call.state !== 'active') this.net.cancelConnect(call.legId);
      this.remove(call, 'local');
      return;
    }
    this.net.hangup(call);
    for (const c of this.connectsFirst(this.table.onLeg(call.legId))) this.remove(c, 'local');
  }

  /** Drop every call without telling anyone but the line (reboot, AT+CFUN=0). */
  dropAll(): void {
    for (const c of this.table.list()) {
      if (c.role === 'leg') this.net.hangup(c);
      this.remove(c, 'reset');
    }
  }

  // --- network events (NetworkEvents) ---------------------------------------------------

  incoming(legId: string, callerId: CallerId): void {
    const busy = this.table.size > 0;
    if (busy && !this.callWaiting) {
      this.net.hangup({ legId });
      return;
    }
    const number = callerId.kind === 'number' ? callerId.number : '';
    const validity = callerId.kind === 'number' ? 0 : callerId.kind === 'withheld' ? 1 : 2;
    this.table.add({
      dir: 1,
      state: busy ? 'waiting' : 'incoming',
      number,
      type: callerId.kind === 'number' ? typeOfNumber(number) : 128,
      validity,
      role: 'leg',
      legId,
    });
  }

  dialResult(legId: string, result: RingResult): void {
    const call = this.table.find((c) => c.role === 'leg' && c.legId === legId);
    if (call) this.settle(call, result);
  }

  connectResult(legId: string, result: RingResult): void {
    const call = this.table.find((c) => c.role === 'connect' && c.legId === legId);
    if (call) this.settle(call, result);
  }

  bridgeEnded(legId: string, by: 'agent' | 'caller' | 'line'): void {
    const calls = this.table.onLeg(legId);
    // The agent left: only the connect call goes; 'caller'/'line': the whole call.
    const gone = by === 'agent' ? calls.filter((c) => c.role === 'connect') : this.connectsFirst(calls);
    for (const c of gone) this.remove(c, 'remote');
  }

  legEnded(legId: string): void {
    for (const c of this.connectsFirst(this.table.onLeg(legId))) this.remove(c, 'remote');
  }

  dtmf(legId: string, digit: string): void {
    if (this.table.onLeg(legId).length > 0) this.host.dtmf(digit);
  }

  playDone(legId: string, promptId: string): void {
    if (this.table.onLeg(legId).length > 0) this.host.playDone(promptId);
  }

  health(up: boolean): void {
    this.host.health(up);
  }

  // --- internals -----------------------------------------------------------------------

  private startOutgoing(init: { role: 'leg' | 'connect'; legId: string; number: string }): void {
    const call = this.table.add({ dir: 0, state: 'dialing', type: typeOfNumber(init.number), validity: 0, ...init });
    // No TrunkPort signal for "alerting": show it shortly after dialing, as the network would.
    const timer = this.clock.setTimer('fakeModem.alerting', this.alertingAfterMs, () => {
      this.alertTimers.delete(call.index);
      if (call.state === 'dialing') this.table.setState(call, 'alerting');
    });
    this.alertTimers.set(call.index, timer);
  }

  private settle(call: ModemCall, result: RingResult): void {
    if (call.state !== 'dialing' && call.state !== 'alerting') return;
    if (result === 'answered') this.table.setState(call, 'active');
    else this.remove(call, END_OF[result]);
  }

  private remove(call: ModemCall, cause: EndCause): void {
    this.alertTimers.get(call.index)?.clear();
    this.alertTimers.delete(call.index);
    this.table.remove(call, cause);
  }

  /** Connect calls before their leg's own call, so "last call gone" is the leg's own. */
  private connectsFirst(calls: ModemCall[]): ModemCall[] {
    return [...calls].sort((a, b) => (a.role === b.role ? 0 : a.role === 'connect' ? -1 : 1));
  }

  close(): void {
    for (const t of this.alertTimers.values()) t.clear();
    this.alertTimers.clear();
  }
}
