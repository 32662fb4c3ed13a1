import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { CallerId } from '../../../gateway/events.ts';
import type { DialOutcome, DialRequest, PromptRef, TrunkHealth, TrunkPort, TrunkSignal } from '../../../gateway/trunk/TrunkPort.ts';
import { toCallerId } from './callerId.ts';
import { ConnectFlow, type ConnectMode } from './ConnectFlow.ts';
import { failureReasonOf } from './failureReason.ts';
import type { ModemCallerId } from '../messages/Urc.ts';
import type { LineCallEnd, ModemLine } from './ModemLine.ts';

export interface ModemTrunkOptions {
  id: string;
  line: ModemLine;
  clock: Clock;
  logger: Logger;
  connect: ConnectMode;
  /** Reported as `dialled` on offered calls: the SIM's number if known, else the trunk id. */
  dialled?: string;
}

/**
 * How long an incoming call without caller ID waits for it before it is
 * offered as 'unavailable': the tracker's CLIP grace (200 ms, oFono) plus one
 * AT+CLCC round trip, with room for a slow modem.
 */
export const CALLER_ID_WAIT_MS = 1_500;

/** One call on the modem as the core sees it. */
export interface ModemLeg {
  readonly id: string;
  callId: string | null;
  readonly dir: 'in' | 'out';
  state: 'offered' | 'answering' | 'up' | 'dialing' | 'ended';
  playing: { prompt: string; bargeIn: boolean; abort: AbortController } | null;
  connect: ConnectFlow | null;
  ringTimer: Timer | null;
  /** Inbound: the caller ID the core was offered, and whether a late one was reported since (only one is). */
  offeredCallerId?: CallerId;
  lateCallerIdSent?: boolean;
}

/**
 * A GSM modem as one line of the core's trunk contract (TrunkPort). The
 * modem carries one call to the core; reaching an agent uses the modem's
 * second call (hold, dial, then conference or explicit transfer, see
 * ConnectFlow). Signals are queued and delivered after the command method
 * returned, in the order they happened, as the contract requires.
 */
export class ModemTrunk implements TrunkPort {
  readonly channels = 1;
  private listener: ((s: TrunkSignal) => void) | null = null;
  private readonly legs = new Map<string, ModemLeg>();
  private readonly pending: TrunkSignal[] = [];
  /** Incoming calls whose caller ID is not known yet, waiting (bounded) for it. */
  private readonly unidentified = new Map<string, Timer>();
  private flushing = false;
  private seq = 0;
  /** The operator refused explicit call transfer once: conference from then on. */
  ectRefused = false;

  constructor(private readonly o: ModemTrunkOptions) {
    const line = o.line;
    line.on('incoming', (callId, callerId) => this.onIncoming(callId, callerId));
    line.on('callerIdUpdated', (callId, callerId) => this.onCallerId(callId, callerId));
    line.on('active', (callId) => this.onActive(callId));
    line.on('ended', (callId, why) => this.onEnded(callId, why));
    line.on('dtmf', (callId, digit) => this.onDtmf(callId, digit));
    line.on('health', () => this.onHealth());
  }

  get id(): string {
    return this.o.id;
  }

  setListener(listener: (signal: TrunkSignal) => void): void {
    this.listener = listener;
  }

  health(): TrunkHealth {
    const h = this.o.line.health();
    return { up: h.up, detail: h.detail, busyChannels: this.legs.size, ...(h.stats ? { stats: h.stats } : {}) };
  }

  // --- commands from the core ------------------------------------------------

  answer(legId: string): void {
    const leg = this.legs.get(legId);
    if (!leg || leg.state !== 'offered' || !leg.callId) return;
    leg.state = 'answering';
    this.o.line.answer(leg.callId).then(
      () => {
        if (leg.state !== 'answering') return;
        leg.state = 'up';
        this.startAudio(leg);
        this.emit({ kind: 'answered', legId });
      },
      (e: unknown) => {
        // The caller gave up between RING and ATA (NO CARRIER), or the modem failed.
        this.o.logger.warn({ trunk: this.id, leg: legId, err: String(e) }, 'answer failed');
        if (leg.state === 'answering') this.endLeg(leg, failureReasonOf(e) === 'noCarrier' ? 'remote' : 'lineFailed');
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
      this.dropLeg(leg);
      this.hangupQuietly();
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
    else if (!leg && this.legs.size === 0) this.hangupQuietly();
  }

  hangup(legId: string): void {
    const leg = this.legs.get(legId);
    if (!leg) return;
    this.hangupQuietly();
    this.endLeg(leg, 'local');
  }

  // --- events from the modem -----------------------------------------------

  private onIncoming(callId: string, callerId: Parameters<typeof toCallerId>[0]): void {
    if (callerId === null) {
      // RING without +CLIP yet: the number decides VIP priority and the
      // agent-callback offer, so wait for it (a late +CLIP or the CLCC answer
      // after the tracker's grace window), but never long.
      this.unidentified.set(
        callId,
        this.o.clock.setTimer('modem-caller-id-wait', CALLER_ID_WAIT_MS, () => {
          this.unidentified.delete(callId);
          this.offer(callId, null);
        }),
      );
      return;
    }
    this.offer(callId, callerId);
  }

  private onCallerId(callId: string, callerId: ModemCallerId): void {
    const wait = this.unidentified.get(callId);
    if (!wait) {
      this.lateCallerId(callId, callerId);
      return;
    }
    wait.clear();
    this.unidentified.delete(callId);
    this.offer(callId, callerId);
  }

  private offer(callId: string, callerId: Parameters<typeof toCallerId>[0]): void {
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
    const wait = this.unidentified.get(callId);
    if (wait) {
      // Rang and went before we knew who it was: never offered, nothing to end.
      wait.clear();
      this.unidentified.delete(callId);
      return;
    }
    for (const leg of this.legs.values()) {
      if (leg.connect?.onEnded(callId, why)) {
        if (leg.connect.finished) leg.connect = null;
        return;
      }
      if (leg.callId !== callId) continue;
      if (leg.state === 'dialing') {
        this.dropLeg(leg);
        this.emit({ kind: 'dialResult', legId: leg.id, outcome: why === 'busy' ? 'busy' : why === 'noAnswer' ? 'noAnswer' : 'failed' });
        return;
      }
      if (leg.connect?.finished) leg.connect = null;
      if (leg.connect?.bridged) this.emit({ kind: 'bridgeEnded', legId: leg.id, by: why === 'lineFailed' ? 'line' : 'caller' });
      if (leg.connect) {
        leg.connect.abandon();
        this.hangupQuietly(); // the agent must not stay on a call nobody is in
      }
      this.endLeg(leg, why === 'lineFailed' ? 'lineFailed' : 'remote');
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
    this.emit({ kind: 'health', health: this.health() });
    if (this.o.line.health().up) return;
    // A dead line: every call on it fails now, not when the modem comes back.
    for (const leg of [...this.legs.values()]) {
      if (leg.state === 'dialing') {
        this.dropLeg(leg);
        this.emit({ kind: 'dialResult', legId: leg.id, outcome: 'failed' });
        continue;
      }
      if (leg.connect) {
        leg.connect.lineFailed();
        leg.connect = null;
      }
      this.endLeg(leg, 'lineFailed');
    }
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
  private endLeg(leg: ModemLeg, cause: 'remote' | 'local' | 'lineFailed'): void {
    this.dropLeg(leg);
    this.emit({ kind: 'ended', legId: leg.id, cause });
  }

  private dropLeg(leg: ModemLeg): void {
    leg.state = 'ended';
    leg.playing?.abort.abort();
    leg.playing = null;
    leg.ringTimer?.clear();
    leg.ringTimer = null;
    this.legs.delete(leg.id);
    if (this.legs.size === 0) this.o.line.endAudio().catch(() => undefined);
  }

  private hangupQuietly(): void {
    this.o.line.hangupAll().catch((e: unknown) => this.o.logger.warn({ trunk: this.id, err: String(e) }, 'hang-up failed'));
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

/** The dial outcome a failed ATD means. */
export function dialOutcomeOf(e: unknown): DialOutcome {
  const reason = failureReasonOf(e);
  return reason === 'busy' ? 'busy' : reason === 'noAnswer' ? 'noAnswer' : 'failed';
}
