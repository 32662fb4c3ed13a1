import type { Timer } from '../../gateway/core/Clock.ts';
import type { MessagingPort, MessagingSignal, SmsReadiness, SmsSendRequest, SmsSendResult } from '../../gateway/trunk/MessagingPort.ts';
import type { DialRequest, PromptRef, TrunkHealth, TrunkPort, TrunkSignal } from '../../gateway/trunk/TrunkPort.ts';
import type { PartyBehaviour } from './behaviours.ts';
import type { SimContext, TrunkSide } from './context.ts';
import { SimLeg } from './SimLeg.ts';
import { SimCallRecord, type SimCaller } from './SimParty.ts';
import { SimSmsError, type SimSmsCenter, type SmsTrunkSide } from './SimSms.ts';

/**
 * A simulated trunk (think: an E1 span or a bank of GSM modems) implementing
 * the {@link TrunkPort} contract on the network's virtual clock.
 *
 * Channels: an inbound leg, an outbound (dial) leg, and each connect() (the
 * bridged agent/customer leg) occupy one channel of this trunk from start to
 * end — except with `bridgeOnLine`, where the bridged party rides on the
 * leg's own channel, as a one-line GSM modem's second call does. Leg ids are `<trunkId>:<n>`.
 *
 * Signals reach the listener `latencyMs` after the event, in the order they
 * happened, never from inside a command method. Commands on legs that have
 * already ended are ignored (the gateway may not have seen `ended` yet);
 * real contract breaches are recorded in `SimNetwork.violations`.
 *
 * SMS (MessagingPort, through the network's SimSmsCenter): each channel is a
 * modem's line, and a modem sends an SMS only with no call on it. So the
 * trunk is SMS-ready when it is up and has a free channel not already
 * sending; a send does not take the channel (a call may still arrive on it,
 * and is offered as usual). On a one-channel trunk that is exactly the
 * modem's rule: no call, not sending.
 */
export class SimTrunk implements TrunkPort, TrunkSide, MessagingPort, SmsTrunkSide {
  private listener: ((signal: TrunkSignal) => void) | null = null;
  private readonly legs = new Map<string, SimLeg>();
  /** Caller IDs still to arrive late, by leg (see CallerScript.lateCallerIdMs). */
  private readonly lateCallerIds = new Map<string, Timer>();
  /** slots[i] is true when channel i+1 is busy. */
  private readonly slots: boolean[];
  private busy = 0;
  private seq = 0;
  private _up = true;
  private detail = 'in service';
  private _delivered = 0;
  private _dropped = 0;
  private messageListener: ((signal: MessagingSignal) => void) | null = null;
  private sending = 0;

  constructor(
    private readonly ctx: SimContext,
    readonly id: string,
    readonly channels: number,
    /** connect() uses the caller's channel (a modem's second call) instead of one of its own. */
    readonly bridgeOnLine = false,
    private readonly sms: SimSmsCenter | null = null,
  ) {
    this.slots = new Array<boolean>(channels).fill(false);
  }

  get up(): boolean {
    return this._up;
  }
  /** Channels not carrying a leg. */
  get freeChannels(): number {
    return this.channels - this.busy;
  }
  /** Signals delivered to the listener. */
  get delivered(): number {
    return this._delivered;
  }
  /** Signals dropped because no listener was installed yet. */
  get dropped(): number {
    return this._dropped;
  }
  /** Live legs (for inspection). */
  liveLegs(): SimLeg[] {
    return [...this.legs.values()];
  }

  setListener(listener: (signal: TrunkSignal) => void): void {
    this.listener = listener;
  }

  health(): TrunkHealth {
    return { up: this._up, detail: this.detail, busyChannels: this.busy };
  }

  /**
   * Script a line failure or recovery. Going down emits `health` first, then
   * ends every leg: bridged legs get bridgeEnded{line} + ended{lineFailed},
   * other legs ended{lineFailed}, legs still dialling dialResult 'failed'.
   */
  setHealth(up: boolean, detail: string): void {
    this._up = up;
    this.detail = detail;
    this.emit({ kind: 'health', health: this.health() });
    if (!up) for (const leg of [...this.legs.values()]) leg.lineDown();
  }

  answer(legId: string): void {
    this.leg(legId, 'answer')?.answer();
  }

  play(legId: string, prompt: PromptRef, opts?: { bargeIn?: boolean }): void {
    const s = this.ctx.settings;
    const ms = s.promptMs(prompt.id) + s.sayMs * (prompt.say?.length ?? 0);
    this.leg(legId, 'play')?.play(prompt, ms, opts?.bargeIn ?? false);
  }

  stopPlay(legId: string): void {
    this.leg(legId, 'stopPlay')?.stopPlay();
  }

  dial(req: DialRequest): string {
    const legId = this.nextId();
    const now = this.ctx.clock.now();
    this.ctx.stats.dialled++;
    const refuse = (outcome: 'failed' | 'noChannel'): string => {
      this.emit({ kind: 'dialResult', legId, outcome });
      return legId;
    };
    if (!this._up) return refuse('failed');
    const endpoint = this.ctx.resolve(req.number);
    if (!endpoint) return refuse('failed');
    const channel = this.takeChannel();
    if (channel === null) {
      this.ctx.stats.dialNoChannel++;
      return refuse('noChannel');
    }
    const record = new SimCallRecord('dialled', endpoint.address, now, this.ctx.settings.keepRecords);
    record.note(now, `dialled by ${this.id}${req.callerId ? ` as ${req.callerId}` : ''}`);
    endpoint.track(record);
    const leg = new SimLeg(this.ctx, this, legId, channel, record, endpoint, 'dialling');
    this.legs.set(legId, leg);
    leg.startDial(endpoint, req.ringTimeoutMs);
    return legId;
  }

  connect(legId: string, endpoint: string, opts: { ringTimeoutMs: number; callerId?: string }): void {
    const leg = this.leg(legId, 'connect');
    if (!leg) return;
    this.ctx.stats.connects++;
    leg.connect(endpoint, opts.ringTimeoutMs);
  }

  cancelConnect(legId: string): void {
    this.leg(legId, 'cancelConnect')?.cancelConnect();
  }

  hangup(legId: string): void {
    this.leg(legId, 'hangup')?.hangup();
  }

  // --- SMS (MessagingPort) -------------------------------------------------------

  smsReadiness(): SmsReadiness {
    if (!this.sms) return { ready: false, detail: 'no SMS on this trunk' };
    if (!this._up) return { ready: false, detail: `down: ${this.detail}` };
    if (this.freeChannels === 0) return { ready: false, detail: 'call in progress' };
    if (this.sending >= this.freeChannels) return { ready: false, detail: 'sending' };
    return { ready: true, detail: 'ready' };
  }

  async sendSms(req: SmsSendRequest): Promise<SmsSendResult> {
    const readiness = this.smsReadiness();
    if (!readiness.ready || !this.sms) throw new SimSmsError(`SMS refused on ${this.id}: ${readiness.detail}`, false);
    this.sending++;
    try {
      return await this.sms.send(this, req);
    } finally {
      this.sending--;
    }
  }

  setMessageListener(listener: (signal: MessagingSignal) => void): void {
    this.messageListener = listener;
  }

  /** @internal Deliver an SMS signal after the network latency (as every trunk signal). */
  emitMessage(signal: MessagingSignal): void {
    this.ctx.clock.setTimer('sim', this.ctx.settings.latencyMs, () => {
      if (this.messageListener) this.messageListener(signal);
      else this.ctx.log?.warn({ trunk: this.id, kind: signal.kind }, 'sim SMS signal with no listener: dropped');
    });
  }

  /** @internal Offer an inbound call on a free channel; false if none is free or the trunk is down. */
  offer(caller: SimCaller, behaviour: PartyBehaviour): boolean {
    if (!this._up) return false;
    const channel = this.takeChannel();
    if (channel === null) return false;
    const legId = this.nextId();
    const leg = new SimLeg(this.ctx, this, legId, channel, caller, null, 'offered');
    this.legs.set(legId, leg);
    caller.trunkId = this.id;
    caller.note(this.ctx.clock.now(), `offered on ${legId} channel ${channel}`);
    leg.arrive(behaviour, caller.callerId.kind === 'number' ? caller.callerId.number : null);
    const lateMs = caller.callerId.kind === 'number' ? caller.script.lateCallerIdMs : undefined;
    const offered = lateMs === undefined ? caller.callerId : { kind: 'unavailable' as const };
    this.emit({ kind: 'offered', legId, channel, callerId: offered, dialled: caller.dialled });
    if (lateMs !== undefined) this.sendCallerIdLate(legId, caller, lateMs);
    return true;
  }

  private sendCallerIdLate(legId: string, caller: SimCaller, afterMs: number): void {
    const timer = this.ctx.clock.setTimer('sim', afterMs, () => {
      this.lateCallerIds.delete(legId);
      caller.note(this.ctx.clock.now(), 'caller ID sent late');
      this.emit({ kind: 'callerIdUpdated', legId, callerId: caller.callerId });
    });
    this.lateCallerIds.set(legId, timer);
  }

  // --- TrunkSide ------------------------------------------------------------------

  emit(signal: TrunkSignal): void {
    this.ctx.log?.trace({ trunk: this.id, signal }, '← sim signal');
    // A constant latency keeps signals in emission order (the clock breaks ties by creation order).
    this.ctx.clock.setTimer('sim', this.ctx.settings.latencyMs, () => {
      if (this.listener) {
        this._delivered++;
        this.listener(signal);
      } else {
        this._dropped++;
      }
    });
  }

  takeChannel(): number | null {
    const i = this.slots.indexOf(false);
    if (i < 0) return null;
    this.slots[i] = true;
    this.busy++;
    return i + 1;
  }

  freeChannel(channel: number): void {
    if (this.slots[channel - 1] !== true) return;
    this.slots[channel - 1] = false;
    this.busy--;
  }

  forget(legId: string): void {
    this.legs.delete(legId);
    this.lateCallerIds.get(legId)?.clear();
    this.lateCallerIds.delete(legId);
  }

  // --- internals -----------------------------------------------------------------

  private nextId(): string {
    return `${this.id}:${++this.seq}`;
  }

  /** The live leg, or undefined: late commands are counted, unknown ids are violations. */
  private leg(legId: string, command: string): SimLeg | undefined {
    const leg = this.legs.get(legId);
    if (leg) return leg;
    const n = legId.startsWith(`${this.id}:`) ? Number(legId.slice(this.id.length + 1)) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= this.seq) this.ctx.stats.lateCommands++;
    else this.ctx.violation(this.id, `${command}(${legId}): no such leg on this trunk`);
    return undefined;
  }
}
