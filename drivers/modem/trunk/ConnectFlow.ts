import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { ConnectOutcome, TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { failureReasonOf } from './failureReason.ts';
import type { LineCallEnd, ModemLine } from './ModemLine.ts';

export type ConnectMode = 'conference' | 'transfer';

type Phase = 'holding' | 'dialing' | 'joining' | 'bridged' | 'agentLeaving' | 'restoring' | 'done';

export interface ConnectFlowOptions {
  leg: { readonly id: string; callId: string | null; state: string };
  line: ModemLine;
  clock: Clock;
  logger: Logger;
  mode: ConnectMode;
  endpoint: string;
  ringTimeoutMs: number;
  emit: (s: TrunkSignal) => void;
  onEctRefused: () => void;
  onTransferred: () => void;
}

/**
 * Reaching an agent from a modem call, 3GPP TS 22.084/22.091 style:
 * hold the caller (AT+CHLD=2), dial the agent (the modem's second call), and
 * when the agent answers either join both with the modem still in
 * (AT+CHLD=3, 'conference': the survey can follow when the agent hangs up)
 * or hand both over (AT+CHLD=4, 'transfer': the line is free again).
 * No answer, busy or a failed dial: release the agent call and take the
 * caller back off hold, then report the outcome.
 *
 *   holding ─ok→ dialing ─agent active→ joining ─ok→ bridged ─agent leaves→ done (bridgeEnded agent)
 *      │            │ busy/noAnswer/timeout/failed            └─ ECT refused → conference
 *      └─fail→ restoring ──→ done (connectResult busy|noAnswer|failed)
 */
export class ConnectFlow {
  private phase: Phase = 'holding';
  private agentCallId: string | null = null;
  private timer: Timer | null = null;

  constructor(private readonly o: ConnectFlowOptions) {}

  get bridged(): boolean {
    return this.phase === 'bridged' || this.phase === 'agentLeaving';
  }

  get finished(): boolean {
    return this.phase === 'done';
  }

  start(): void {
    this.timer = this.o.clock.setTimer('modem-connect-ring', this.o.ringTimeoutMs, () => {
      this.timer = null;
      if (this.phase === 'holding' || this.phase === 'dialing') this.giveUp('noAnswer');
    });
    this.o.line.hold().then(
      () => {
        if (this.phase !== 'holding') return;
        this.phase = 'dialing';
        return this.o.line.dial(this.o.endpoint).then(
          (callId) => {
            if (this.phase === 'dialing') this.agentCallId = callId;
            else void this.o.line.release(callId).catch(() => undefined);
          },
          (e: unknown) => {
            if (this.phase !== 'dialing') return;
            const r = failureReasonOf(e);
            this.giveUp(r === 'busy' ? 'busy' : r === 'noAnswer' ? 'noAnswer' : 'failed');
          },
        );
      },
      (e: unknown) => {
        this.o.logger.warn({ leg: this.o.leg.id, err: String(e) }, 'could not put the caller on hold to reach an agent');
        if (this.phase === 'holding') this.finish('failed');
      },
    );
  }

  /** An outgoing call became active: true if it was our agent call. */
  onActive(callId: string): boolean {
    if (callId !== this.agentCallId || this.phase !== 'dialing') return false;
    this.clearTimer();
    this.phase = 'joining';
    if (this.o.mode === 'transfer') this.transfer();
    else this.join();
    return true;
  }

  /** A call ended: true if this flow consumed the event. */
  onEnded(callId: string, why: LineCallEnd): boolean {
    if (callId !== this.agentCallId) return false;
    if (this.phase === 'dialing') {
      this.giveUp(why === 'busy' ? 'busy' : why === 'noAnswer' ? 'noAnswer' : 'failed');
      return true;
    }
    if (this.phase === 'joining') {
      // The agent went between answering and the join: the caller is still on hold, take them back.
      this.agentCallId = null;
      this.giveUp('failed');
      return true;
    }
    if (this.phase === 'bridged') {
      // When the caller hangs up, the network often ends both calls at once and
      // the modem reports the agent's end first. Ask the modem for its calls
      // before telling the core who left: if the caller's call went too, the
      // trunk reports the caller (no survey to an empty line).
      this.phase = 'agentLeaving';
      this.agentCallId = null;
      const by = why === 'lineFailed' ? 'line' : 'agent';
      void this.o.line
        .refreshCalls()
        .catch(() => undefined)
        .then(() => {
          if (this.phase !== 'agentLeaving') return;
          this.phase = 'done';
          this.o.emit({ kind: 'bridgeEnded', legId: this.o.leg.id, by });
        });
      return true;
    }
    return this.phase === 'done' || this.phase === 'restoring';
  }

  /** The core gave up ringing (the caller left). */
  cancel(): void {
    if (this.phase === 'done') return;
    this.clearTimer();
    this.phase = 'done';
    void this.o.line.hangupAll().catch(() => undefined);
  }

  /** The leg's own call ended under us. */
  abandon(): void {
    this.clearTimer();
    this.phase = 'done';
  }

  /** The modem died: report the connect as failed if it was still pending. */
  lineFailed(): void {
    const pending = this.phase === 'holding' || this.phase === 'dialing' || this.phase === 'joining';
    const bridged = this.bridged;
    this.abandon();
    if (pending) this.o.emit({ kind: 'connectResult', legId: this.o.leg.id, outcome: 'failed' });
    if (bridged) this.o.emit({ kind: 'bridgeEnded', legId: this.o.leg.id, by: 'line' });
  }

  private join(): void {
    this.o.line.conference().then(
      () => {
        if (this.phase !== 'joining') return;
        this.phase = 'bridged';
        this.o.emit({ kind: 'connectResult', legId: this.o.leg.id, outcome: 'answered' });
      },
      (e: unknown) => {
        this.o.logger.warn({ leg: this.o.leg.id, err: String(e) }, 'could not join caller and agent (AT+CHLD=3)');
        if (this.phase === 'joining') this.giveUp('failed');
      },
    );
  }

  private transfer(): void {
    this.o.line.transfer().then(
      () => {
        if (this.phase !== 'joining') return;
        this.phase = 'done';
        this.o.emit({ kind: 'connectResult', legId: this.o.leg.id, outcome: 'answered' });
        this.o.onTransferred();
      },
      (e: unknown) => {
        if (this.phase !== 'joining') return;
        // +CME ERROR (operation not allowed/supported): the network or the SIM lacks ECT.
        this.o.onEctRefused();
        this.join();
        void e;
      },
    );
  }

  private giveUp(outcome: ConnectOutcome): void {
    this.clearTimer();
    this.phase = 'restoring';
    const agent = this.agentCallId;
    this.agentCallId = null;
    const release = agent ? this.o.line.release(agent) : Promise.resolve();
    release
      .catch(() => undefined)
      .then(() => this.o.line.retrieve())
      .catch((e: unknown) => {
        // Routine when the caller hung up meanwhile (nothing left to retrieve); a problem otherwise.
        if (this.o.leg.state === 'ended') this.o.logger.info({ leg: this.o.leg.id }, 'caller gone before being taken off hold');
        else this.o.logger.warn({ leg: this.o.leg.id, err: String(e) }, 'could not take the caller off hold');
      })
      .finally(() => {
        if (this.phase === 'restoring') this.finish(outcome);
      });
  }

  private finish(outcome: ConnectOutcome): void {
    this.phase = 'done';
    this.o.emit({ kind: 'connectResult', legId: this.o.leg.id, outcome });
  }

  private clearTimer(): void {
    this.timer?.clear();
    this.timer = null;
  }
}
