import type { Clock } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { MessagingPort, MessagingSignal, SmsReadiness, SmsSendRequest, SmsSendResult } from '../../../gateway/trunk/MessagingPort.ts';
import type { DialOutcome, DialRequest, PromptRef, TrunkHealth, TrunkPort, TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { toCallerId } from './callerId.ts';
import { CallerIdWait } from './CallerIdWait.ts';
import { ConnectFlow, type ConnectMode } from './ConnectFlow.ts';
import { dialOutcomeOf, failureReasonOf } from './failureReason.ts';
import { HealthGrace } from './HealthGrace.ts';
import { LineRelease } from './LineRelease.ts';
import { ModemMessaging } from './ModemMessaging.ts';
import type { ModemLeg, Release } from './ModemLeg.ts';
import type { ModemCallerId } from '../messages/Urc.ts';
import type { LineCallEnd, ModemLine } from './ModemLine.ts';
import { MODEM_TRUNK_TIMINGS, resolveTrunkTimings, type ModemTrunkTimings } from './trunkTimings.ts';

export interface ModemTrunkOptions {
  id: string;
  line: ModemLine;
  clock: Clock;
  logger: Logger;
  connect: ConnectMode;
  /** Reported as `dialled` on offered calls: the SIM's number if known, else the trunk id. */
  dialled?: string;
  /** Overrides of MODEM_TRUNK_TIMINGS (health grace, answer wait, caller-ID wait, release retry). */
  timings?: Partial<ModemTrunkTimings>;
}

/** The default caller-ID wait (see ModemTrunkTimings.callerIdWaitMs). */
export const CALLER_ID_WAIT_MS = MODEM_TRUNK_TIMINGS.callerIdWaitMs;

export type { ModemLeg } from './ModemLeg.ts';

/**
 * A GSM modem as one line of the core's trunk contract (TrunkPort). The
 * modem carries one call to the core; reaching an agent uses the modem's
 * second call (hold, dial, then conference or explicit transfer, see
 * ConnectFlow). Signals are queued and delivered after the command method
 * returned, in the order they happened, as the contract requires.
 *
 * Two rules from issue #9. A health drop (garbage on the line, a slow modem)
 * does not end the calls the modem still lists until it has lasted
 * `healthGraceMs`; meanwhile the trunk still reports itself up (its one
 * channel busy), so a blip is no trunk-down event for the core. And whenever
 * a leg ends towards the core for any reason but the modem reporting its call
 * gone, the call is hung up on the modem (LineRelease), now or when it is back.
 *
 * SMS (MessagingPort) is delegated to ModemMessaging: sent only while the
 * line carries no call at all.
 */
export class ModemTrunk implements TrunkPort, MessagingPort {
  readonly channels = 1;
  private listener: ((s: TrunkSignal) => void) | null = null;
  private readonly legs = new Map<string, ModemLeg>();
  private readonly pending: TrunkSignal[] = [];
  /** Incoming calls whose caller ID is not known yet, waiting (bounded) for it. */
  private readonly unidentified: CallerIdWait;
  private flushing = false;
  private seq = 0;
  private readonly t: ModemTrunkTimings;
  private readonly release: LineRelease;
  /** Running while the modem is down and calls it still lists are kept (healthGraceMs). */
  private readonly grace: HealthGrace;
  /** The operator refused explicit call transfer once: conference from then on. */
  ectRefused = false;
  private readonly messaging: ModemMessaging;

  constructor(private readonly o: ModemTrunkOptions) {
    this.t = resolveTrunkTimings(o.timings);
    const line = o.line;
    this.unidentified = new CallerIdWait({ clock: o.clock, waitMs: this.t.callerIdWaitMs, offer: (callId, callerId) => this.offer(callId, callerId) });
    this.release = new LineRelease({
      trunkId: o.id,
      line,
      clock: o.clock,
      logger: o.logger,
      retryMs: this.t.releaseRetryMs,
      busy: () => this.unidentified.size > 0 || [...this.legs.values()].some((l) => l.state !== 'ended'),
    });
    this.grace = new HealthGrace({ trunkId: o.id, clock: o.clock, logger: o.logger, graceMs: this.t.healthGraceMs, expired: () => this.graceOver() });
    line.on('incoming', (callId, callerId) => this.unidentified.incoming(callId, callerId));
    line.on('callerIdUpdated', (callId, callerId) => {
      if (!this.unidentified.callerId(callId, callerId)) this.lateCallerId(callId, callerId);
    });
    line.on('active', (callId) => this.onActive(callId));
    line.on('ended', (callId, why) => this.onEnded(callId, why));
    line.on('dtmf', (callId, digit) => this.onDtmf(callId, digit));
    line.on('health', () => this.onHealth());
    this.messaging = new ModemMessaging({
      trunkId: o.id,
      sms: line.sms ?? null,
      health: () => line.health(),
      // Ringing (offered or still waiting for its caller ID), up, held or dialling, or a hang-up still owed.
      callInProgress: () => this.unidentified.size > 0 || this.legs.size > 0 || this.release.pending,
      logger: o.logger,
    });
  }

  get id(): string {
    return this.o.id;
  }

  setListener(listener: (signal: TrunkSignal) => void): void {
    this.listener = listener;
  }

  health(): TrunkHealth {
    return this.grace.view(this.o.line.health(), this.legs.size);
  }

  /** A hang-up is owed to the modem for a leg already ended towards the core (it is down, or did not take it). */
  get releasePending(): boolean {
    return this.release.pending;
  }

  // --- SMS (MessagingPort) ---------------------------------------------------

  smsReadiness(): SmsReadiness {
    return this.messaging.smsReadiness();
  }

  sendSms(req: SmsSendRequest): Promise<SmsSendResult> {
    return this.messaging.sendSms(req);
  }

  setMessageListener(listener: (signal: MessagingSignal) => void): void {
    this.messaging.setMessageListener(listener);
  }

  // --- commands from the core ------------------------------------------------

  answer(legId: string): void {
    const leg = this.legs.get(legId);
    if (!leg || leg.state !== 'offered' || !leg.callId) return;
    leg.state = 'answering';
    // Bounded: an ATA queued behind a paused queue (a modem marked dead) must not leave the caller
    // offered for ever. Past the bound the ATA is withdrawn, so it cannot answer a later call.
    const abort = new AbortController();
    const timer = this.o.clock.setTimer('modem-answer-wait', this.t.answerWaitMs, () => {
      if (leg.state !== 'answering') return;
      this.o.logger.warn({ trunk: this.id, leg: legId, waitedMs: this.t.answerWaitMs }, 'answer timed out: the call fails');
      this.endLeg(leg, 'lineFailed', 'call');
    });
    leg.answering = { timer, abort };
    this.o.line.answer(leg.callId, abort.signal).then(
      () => {
        if (leg.state !== 'answering') return;
        this.answerSettled(leg, false);
        leg.state = 'up';
        this.startAudio(leg);
        this.emit({ kind: 'answered', legId });
      },
      (e: unknown) => {
        if (leg.state !== 'answering') return;
        this.answerSettled(leg, false);
        // The caller gave up between RING and ATA (NO CARRIER: nothing left to hang up), or the modem failed.
        this.o.logger.warn({ trunk: this.id, leg: legId, err: String(e) }, 'answer failed');
        if (failureReasonOf(e) === 'noCarrier') this.endLeg(leg, 'remote');
        else this.endLeg(leg, 'lineFailed', 'call');
      },
    );
  }

  play(legId: string, prompt: PromptRef, opts?: { bargeIn?: boolean }): void {
    const leg = this.legs.get(legId);
    if (!leg || leg.state !== 'up') {
      this.emit({ kind: 'playDone', legId, prompt: prompt.id, interrupted: true });
      return;
    }
    this.interruptPlay(leg);
    const abort = new AbortController();
    const entry = { prompt: prompt.id, bargeIn: opts?.bargeIn ?? false, abort };
    leg.playing = entry;
    void this.o.line.play(prompt, abort.signal).then(() => {
      if (leg.playing !== entry) return; // interrupted: its playDone went out then
      leg.playing = null;
      this.emit({ kind: 'playDone', legId, prompt: prompt.id, interrupted: false });
    });
  }

  stopPlay(legId: string): void {
    const leg = this.legs.get(legId);
    if (leg) this.interruptPlay(leg);
  }

  dial(req: DialRequest): string {
    const legId = this.newLegId();
    const fail = (outcome: DialOutcome) => this.emit({ kind: 'dialResult', legId, outcome });
    if (this.legs.size >= this.channels) {
      fail('noChannel');
      return legId;
    }
    if (!this.o.line.health().canDial) {
      this.o.logger.warn({ trunk: this.id, number: req.number, detail: this.o.line.health().detail }, 'dial refused: modem not registered or not up');
      fail('failed');
      return legId;
    }
    const leg: ModemLeg = { id: legId, callId: null, dir: 'out', state: 'dialing', playing: null, connect: null, ringTimer: null };
    this.legs.set(legId, leg);
    leg.ringTimer = this.o.clock.setTimer('modem-ring', req.ringTimeoutMs, () => {
      leg.ringTimer = null;
      if (leg.state !== 'dialing') return;
      this.dropLeg(leg, 'line');
      fail('noAnswer');
    });
    this.o.line.dial(req.number).then(
      (callId) => {
        if (leg.state !== 'dialing') return; // timed out meanwhile: already hung up
        leg.callId = callId;
      },
      (e: unknown) => {
        if (leg.state !== 'dialing') return;
        this.dropLeg(leg);
        fail(dialOutcomeOf(e));
      },
    );
    return legId;
  }

  connect(legId: string, endpoint: string, opts: { ringTimeoutMs: number; callerId?: string }): void {
    const leg = this.legs.get(legId);
    if (!leg || leg.state !== 'up' || (leg.connect && !leg.connect.finished)) {
      this.emit({ kind: 'connectResult', legId, outcome: 'failed' });
      return;
    }
    const mode: ConnectMode = this.o.connect === 'transfer' && !this.ectRefused ? 'transfer' : 'conference';
    leg.connect = new ConnectFlow({
      leg,
      line: this.o.line,
      clock: this.o.clock,
      logger: this.o.logger,
      mode,
      endpoint,
      ringTimeoutMs: opts.ringTimeoutMs,
      emit: (s) => this.emit(s),
      onEctRefused: () => {
        if (!this.ectRefused) this.o.logger.error({ trunk: this.id, code: 'MODEM_UNSUPPORTED' }, 'the operator refused explicit call transfer (AT+CHLD=4): using conference from now on');
        this.ectRefused = true;
      },
      onTransferred: () => this.transferred(leg),
    });
    leg.connect.start();
  }

  cancelConnect(legId: string): void {
    const leg = this.legs.get(legId);
    if (leg?.connect) leg.connect.cancel();
    // The core cancels after the caller left: whatever still rings for that leg
    // goes too — unless the line already carries a new call.
    else if (!leg && this.legs.size === 0) this.release.owe(null);
  }

  hangup(legId: string): void {
    const leg = this.legs.get(legId);
    if (!leg) return;
    // The agent call of a connect goes with the caller's.
    this.endLeg(leg, 'local', leg.connect ? 'line' : 'call');
  }

  // --- events from the modem -----------------------------------------------

  private offer(callId: string, callerId: ModemCallerId | null): void {
    if (this.legs.size >= this.channels) {
      // Call waiting is on for this SIM: one line carries one caller, so the newcomer gets busy.
      this.o.logger.info({ trunk: this.id, callId }, 'a waiting call on a busy line: rejected as busy');
      this.o.line.rejectWaiting().catch((e: unknown) => this.o.logger.warn({ trunk: this.id, err: String(e) }, 'could not reject the waiting call'));
      return;
    }
    const legId = this.newLegId();
    const offeredCallerId = toCallerId(callerId);
    this.legs.set(legId, { id: legId, callId, dir: 'in', state: 'offered', playing: null, connect: null, ringTimer: null, offeredCallerId });
    this.emit({ kind: 'offered', legId, channel: 1, callerId: offeredCallerId, dialled: this.o.dialled ?? this.id });
  }

  /**
   * The number came after the wait for it ran out. The core still decides
   * things from it later (VIP priority on queue entry, the callback offer), so
   * it is reported once; a withheld/unavailable or repeated answer adds
   * nothing and is only logged.
   */
  private lateCallerId(callId: string, modemCallerId: ModemCallerId): void {
    const callerId = toCallerId(modemCallerId);
    const leg = [...this.legs.values()].find((l) => l.dir === 'in' && l.callId === callId);
    const offered = leg?.offeredCallerId;
    const news = callerId.kind === 'number' && !(offered?.kind === 'number' && offered.number === callerId.number);
    if (!leg || leg.lateCallerIdSent || !news) {
      this.o.logger.debug({ trunk: this.id, callId, callerId }, 'late caller ID not reported');
      return;
    }
    leg.lateCallerIdSent = true;
    this.o.logger.info({ trunk: this.id, leg: leg.id, callerId }, 'caller ID arrived after the call was offered');
    this.emit({ kind: 'callerIdUpdated', legId: leg.id, callerId });
  }

  private onActive(callId: string): void {
    for (const leg of this.legs.values()) {
      if (leg.connect?.onActive(callId)) return;
      if (leg.callId === callId && leg.state === 'dialing') {
        leg.state = 'up';
        leg.ringTimer?.clear();
        leg.ringTimer = null;
        this.startAudio(leg);
        this.emit({ kind: 'dialResult', legId: leg.id, outcome: 'answered' });
        return;
      }
    }
  }

  private onEnded(callId: string, why: LineCallEnd): void {
    // Rang and went before we knew who it was: never offered, nothing to end.
    if (this.unidentified.ended(callId)) return;
    for (const leg of this.legs.values()) {
      if (leg.connect?.onEnded(callId, why)) {
        if (leg.connect.finished) leg.connect = null;
        return;
      }
      if (leg.callId !== callId) continue;
      // 'lineFailed' is the driver giving up on the modem: a reboot took the call with it, but after
      // the modem stopped answering (or its port closed) the network may still hold it up.
      const mayBeUp = why === 'lineFailed' && this.o.line.lastLoss !== 'rebooted';
      if (leg.state === 'dialing') {
        this.dropLeg(leg, mayBeUp ? 'call' : 'none');
        this.emit({ kind: 'dialResult', legId: leg.id, outcome: why === 'busy' ? 'busy' : why === 'noAnswer' ? 'noAnswer' : 'failed' });
        return;
      }
      if (leg.connect?.finished) leg.connect = null;
      if (leg.connect?.bridged) this.emit({ kind: 'bridgeEnded', legId: leg.id, by: why === 'lineFailed' ? 'line' : 'caller' });
      let release: Release = mayBeUp ? 'call' : 'none';
      // The agent must not stay on a call nobody is in (unless a reboot already took every call).
      if (leg.connect && (why !== 'lineFailed' || mayBeUp)) release = 'line';
      leg.connect?.abandon();
      this.endLeg(leg, why === 'lineFailed' ? 'lineFailed' : 'remote', release);
      return;
    }
  }

  private onDtmf(callId: string, digit: string): void {
    for (const leg of this.legs.values()) {
      if (leg.callId !== callId || leg.state !== 'up') continue;
      this.emit({ kind: 'dtmf', legId: leg.id, digit });
      // Barge-in: the digit first, then the interrupted playDone (as every trunk does).
      if (leg.playing?.bargeIn) this.interruptPlay(leg);
      return;
    }
  }

  private onHealth(): void {
    if (this.o.line.health().up) {
      this.grace.stop('modem back within the grace: calls kept');
      this.emit({ kind: 'health', health: this.health() });
      this.release.lineChanged();
      return;
    }
    // Down. Calls the modem no longer lists fail now; the others are kept for the grace, since a
    // blip (a burst of line noise, one slow answer) is over long before a caller would notice.
    const lost = this.grace.running ? [] : [...this.legs.values()].filter((l) => !l.callId || !this.o.line.hasCall(l.callId));
    if (lost.length < this.legs.size) this.grace.start(this.legs.size - lost.length);
    this.emit({ kind: 'health', health: this.health() });
    for (const leg of lost) this.failLeg(leg);
  }

  /** Still down after the grace: every call fails now, released on the modem when it is back. */
  private graceOver(): void {
    this.emit({ kind: 'health', health: this.health() });
    for (const leg of [...this.legs.values()]) this.failLeg(leg);
  }

  private failLeg(leg: ModemLeg): void {
    if (leg.state === 'dialing') {
      this.dropLeg(leg, 'call');
      this.emit({ kind: 'dialResult', legId: leg.id, outcome: 'failed' });
      return;
    }
    if (leg.connect) {
      leg.connect.lineFailed();
      leg.connect = null;
    }
    this.endLeg(leg, 'lineFailed', 'call');
  }

  // --- helpers ---------------------------------------------------------------

  private transferred(leg: ModemLeg): void {
    // After AT+CHLD=4 the caller and the agent talk on the network, not through
    // us: the core records a transfer now (no survey, talk time unknown).
    leg.connect = null;
    this.emit({ kind: 'bridgeEnded', legId: leg.id, by: 'transferred' });
    this.endLeg(leg, 'remote');
  }

  private startAudio(leg: ModemLeg): void {
    if (leg.callId) this.o.line.startAudio(leg.callId).catch((e: unknown) => this.o.logger.warn({ trunk: this.id, err: String(e) }, 'could not enable call audio'));
  }

  private interruptPlay(leg: ModemLeg): void {
    const p = leg.playing;
    if (!p) return;
    leg.playing = null;
    p.abort.abort();
    this.emit({ kind: 'playDone', legId: leg.id, prompt: p.prompt, interrupted: true });
  }

  /** The leg is gone: `ended` is its last signal; a prompt stops silently. */
  private endLeg(leg: ModemLeg, cause: 'remote' | 'local' | 'lineFailed', release: Release = 'none'): void {
    this.dropLeg(leg, release);
    this.emit({ kind: 'ended', legId: leg.id, cause });
  }

  /** Forget the leg, after owing the modem its hang-up (AT+CHUP goes before the audio is switched off). */
  private dropLeg(leg: ModemLeg, release: Release = 'none'): void {
    leg.state = 'ended';
    this.answerSettled(leg, true);
    if (release !== 'none') this.release.owe(release === 'call' ? leg.callId : null);
    leg.playing?.abort.abort();
    leg.playing = null;
    leg.ringTimer?.clear();
    leg.ringTimer = null;
    this.legs.delete(leg.id);
    if (this.legs.size > 0) return;
    this.o.line.endAudio().catch(() => undefined);
    // The last kept call ended during the grace: the trunk is as down as its modem now.
    if (this.grace.stop('no call left to keep through the grace')) this.emit({ kind: 'health', health: this.health() });
  }

  /** ATA is over, or no longer wanted (`withdraw`: abort it, queued or in flight, so it answers nothing later). */
  private answerSettled(leg: ModemLeg, withdraw: boolean): void {
    if (!leg.answering) return;
    leg.answering.timer.clear();
    if (withdraw) leg.answering.abort.abort();
    leg.answering = null;
  }

  private newLegId(): string {
    return `${this.id}:${++this.seq}`;
  }

  private emit(signal: TrunkSignal): void {
    this.pending.push(signal);
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => {
      this.flushing = false;
      const batch = this.pending.splice(0);
      for (const s of batch) this.listener?.(s);
    });
  }
}
