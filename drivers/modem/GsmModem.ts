/*
 * One GSM/LTE voice modem, layered as every serial driver here:
 *
 *   GsmModem ─ ModemLine façade: calls, DTMF, prompts, SMS, health
 *     ├ ModemSupervisor  init · idle poll · reboot · recovery ladder · registration
 *     ├ CallTracker      RING/CLIP/state URCs + AT+CLCC → one truth about calls
 *     ├ AudioPath        module files · host PCM (+ InBandDtmf: caller's tones → dtmf URCs) · silent
 *     └ SmsService       PDU/text send with the > prompt (at-most-once hook), +CMTI receive, status reports
 *   AtSession  ─ one command in flight, per-class timeouts, resync, URCs typed by messages/
 *   AtLineDecoder ─ bytes → lines | prompt | discarded
 *   ByteTransport ─ SerialTransport (serialport; a PTY pair in tests and the demo)
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../gateway/core/Clock.ts';
import { CcgateError } from '../../gateway/core/errors.ts';
import type { Logger } from '../../gateway/core/Logger.ts';
import type { PromptRef } from '../../gateway/trunk/TrunkPort.ts';
import type { AudioPath } from './audio/AudioPath.ts';
import { CallTracker } from './call/CallTracker.ts';
import { describeModemError } from './messages/modemError.ts';
import { parseClccList } from './messages/clcc.ts';
import { parseUrc, urcShape } from './messages/urcTable.ts';
import type { Urc } from './messages/Urc.ts';
import { audioFor, PlaybackDone, silentAudio, type AudioChoice } from './modem/audioFor.ts';
import { InBandDtmf } from './modem/InBandDtmf.ts';
import { ModemSupervisor } from './modem/ModemSupervisor.ts';
import type { ModemTimings } from './modem/timings.ts';
import { SmsService } from './modem/SmsService.ts';
import { PROFILES } from './profiles/detect.ts';
import { CLCC_POLL_MS, type Family, type ModemProfile } from './profiles/ModemProfile.ts';
import type { AtCommand, AtResponse } from './session/AtCommand.ts';
import { AtSession } from './session/AtSession.ts';
import type { AtTimeouts } from './session/timeouts.ts';
import type { ByteTransport } from '../serial/ByteTransport.ts';
import { NoModemLines, type ModemLines } from './transport/ModemLines.ts';
import type { LineHealth, ModemLine, ModemLineEvents } from './trunk/ModemLine.ts';

export interface GsmModemOptions {
  id: string;
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  family?: Family | 'auto';
  dtmfDetect?: boolean;
  smsMode?: 'pdu' | 'text';
  audio?: AudioChoice;
  lines?: ModemLines;
  /** Rates to hunt through on a baud mismatch, the configured one first (see ModemSupervisor). */
  baudRates?: readonly number[];
  timings?: Partial<ModemTimings>;
  atTimeouts?: Partial<AtTimeouts>;
}

/** A GSM/LTE modem as a ModemLine (see the diagram at the top of this file). */
export class GsmModem extends EventEmitter<ModemLineEvents> implements ModemLine {
  readonly id: string;
  readonly session: AtSession;
  readonly calls: CallTracker;
  readonly supervisor: ModemSupervisor;
  readonly sms: SmsService;
  private profile: ModemProfile = PROFILES.generic;
  private audio: AudioPath;
  private readonly log: Logger;
  private readonly playbackDone = new PlaybackDone();
  private readonly inBand: InBandDtmf;
  private clccQueued = false;
  private lostBy: ModemLine['lastLoss'] = null;

  constructor(private readonly o: GsmModemOptions) {
    super();
    this.id = o.id;
    this.log = o.logger.child({ component: 'modem', modem: o.id });
    this.session = new AtSession({
      transport: o.transport,
      clock: o.clock,
      logger: this.log,
      urcShape,
      ...(o.atTimeouts ? { timeouts: o.atTimeouts } : {}),
      deviceCodeText: (kind, code) => describeModemError(kind, code, '').text,
    });
    this.calls = new CallTracker({ clock: o.clock, logger: this.log, requestClcc: () => this.requestClcc(), clccPollMs: CLCC_POLL_MS, pushesClcc: () => this.profile.callStateSource === 'clccUrc' });
    this.calls.on('incoming', (e) => this.emit('incoming', e.callId, e.callerId));
    this.calls.on('callerIdUpdated', (e) => this.emit('callerIdUpdated', e.callId, e.callerId));
    this.calls.on('active', (e) => this.emit('active', e.callId));
    this.calls.on('ended', (e) => this.emit('ended', e.callId, e.reason));
    this.calls.on('dtmf', (e) => this.emit('dtmf', e.callId, e.digit));
    this.inBand = new InBandDtmf({ calls: this.calls, logger: this.log, enabled: o.dtmfDetect !== false });
    this.supervisor = new ModemSupervisor({
      session: this.session,
      transport: o.transport,
      clock: o.clock,
      logger: this.log,
      lines: o.lines ?? new NoModemLines(),
      family: o.family ?? 'auto',
      dtmfDetect: o.dtmfDetect ?? true,
      smsMode: o.smsMode ?? 'pdu',
      ...(o.baudRates ? { baudRates: o.baudRates } : {}),
      ...(o.timings ? { timings: o.timings } : {}),
    });
    this.supervisor.on('ready', (facts) => {
      this.profile = facts.profile;
      // After a reboot or recovery the family may differ (a swapped modem): rebuild the audio path, closing the old one.
      void this.audio.end().catch(() => undefined);
      this.audio = this.makeAudio();
    });
    this.supervisor.on('lost', (why) => {
      this.log.warn({ why }, 'modem lost its calls');
      this.lostBy = why;
      this.calls.modemLost();
    });
    this.supervisor.on('health', (h) => this.emit('health', h));
    this.sms = new SmsService({ send: (c) => this.send(c), clock: o.clock, logger: this.log, mode: o.smsMode ?? 'pdu' });
    this.sms.on('received', (m) => this.log.info({ from: m.from, parts: m.parts, chars: m.text.length }, 'SMS received'));
    this.audio = silentAudio(o.clock, this.log);
    this.session.on('urc', (line, trailing, known) => this.onUrcLine(line, trailing, known));
    this.session.on('strayFinal', (line) => this.log.debug({ line }, 'final result with no command waiting'));
  }

  /** Open the port and start the init in the background; health events tell the rest. */
  async start(): Promise<void> {
    try {
      await this.o.transport.open();
    } catch (e) {
      this.log.error({ code: (e as { code?: string }).code, err: (e as Error).message }, 'cannot open the modem port; the recovery ladder will keep trying');
    }
    this.supervisor.start();
  }

  async close(): Promise<void> {
    this.supervisor.stop();
    this.calls.dispose();
    await this.audio.end().catch(() => undefined);
    this.session.abortAll('portClosed');
    await this.o.transport.close();
  }

  health(): LineHealth {
    return this.supervisor.health();
  }

  /** The family in use (generic until identified). */
  get family(): Family {
    return this.profile.family;
  }

  send(cmd: AtCommand): Promise<AtResponse> {
    return this.session.send(cmd);
  }

  // --- ModemLine ---------------------------------------------------------------

  get lastLoss(): ModemLine['lastLoss'] {
    return this.lostBy;
  }

  hasCall(callId: string): boolean {
    return this.calls.calls().some((c) => c.callId === callId);
  }

  async answer(callId: string, signal?: AbortSignal): Promise<void> {
    await this.session.send(this.profile.answer(), signal ? { signal } : {});
    this.calls.answered(callId);
  }

  async hangupAll(): Promise<void> {
    const live = this.calls.calls();
    await this.send(this.profile.hangup());
    for (const c of live) this.calls.localHangup(c.callId);
  }

  async dial(number: string): Promise<string> {
    const second = this.calls.calls().length > 0;
    const callId = second ? this.calls.secondCallStarted(number) : this.calls.dialStarted(number);
    try {
      await this.send(this.profile.dial(number));
      this.calls.dialFinished(callId, 'ok');
    } catch (e) {
      const r = (e as { reason?: string }).reason;
      this.calls.dialFinished(callId, r === 'busy' ? 'busy' : r === 'noAnswer' ? 'noAnswer' : r === 'noCarrier' ? 'noCarrier' : 'failed');
      throw e;
    }
    return callId;
  }

  async hold(): Promise<void> {
    await this.send(this.profile.hold());
    this.requestClcc();
  }

  async retrieve(): Promise<void> {
    await this.send(this.profile.hold());
    this.requestClcc();
  }

  async release(callId: string): Promise<void> {
    let call = this.calls.calls().find((c) => c.callId === callId);
    if (call && call.index === null) {
      await this.pollClcc();
      call = this.calls.calls().find((c) => c.callId === callId);
    }
    if (!call) return; // already gone
    if (call.index === null) throw new CcgateError('AT_CALL_FAILED', `call ${callId} has no CLCC index yet; cannot release it alone`, { callId });
    await this.send(this.profile.hangup(call.index));
    this.calls.localHangup(callId);
  }

  async conference(): Promise<void> {
    await this.send(this.profile.conference());
    this.requestClcc();
  }

  async transfer(): Promise<void> {
    await this.send(this.profile.transfer());
    for (const c of this.calls.calls()) this.calls.localHangup(c.callId);
  }

  /** Send DTMF to the far end of a call (AT+VTS, Huawei AT^DTMF), one digit per command. */
  async sendDtmf(callId: string, digits: string): Promise<void> {
    const index = this.calls.calls().find((c) => c.callId === callId)?.index ?? 1;
    for (const d of digits) await this.send(this.profile.sendDtmf(d, index));
  }

  async refreshCalls(): Promise<void> {
    await this.pollClcc();
  }

  async rejectWaiting(): Promise<void> {
    // 27.007 §7.13 / 22.030: CHLD=0 sets User Determined User Busy for a waiting call.
    await this.send({ text: 'AT+CHLD=0', timeout: 'call', priority: 'urgent' });
    this.requestClcc();
  }

  async startAudio(callId: string): Promise<void> {
    const index = this.calls.calls().find((c) => c.callId === callId)?.index ?? 1;
    await this.audio.start(index);
  }

  play(prompt: PromptRef, signal: AbortSignal): Promise<void> {
    return this.audio.play(prompt, signal);
  }

  async endAudio(): Promise<void> {
    await this.audio.end();
  }

  // --- URCs and CLCC -----------------------------------------------------------

  private onUrcLine(line: string, trailing: string[], known: boolean): void {
    const urc = known ? parseUrc(line, trailing) : null;
    if (!urc) {
      this.supervisor.unknownUrc(line);
      this.log.debug({ line }, 'unknown URC');
      return;
    }
    this.dispatch(urc);
  }

  private dispatch(urc: Urc): void {
    switch (urc.kind) {
      case 'ring':
      case 'callerId':
      case 'callListEntry':
      case 'callState':
      case 'callEnded':
      case 'dtmf':
        return this.calls.onUrc(urc);
      case 'smsStored':
      case 'smsDeliver':
      case 'statusReport':
        return this.sms.onUrc(urc);
      case 'playbackDone':
        return this.playbackDone.notify();
      case 'noise':
        return;
      default:
        return this.supervisor.onUrc(urc);
    }
  }

  /** Ask for the call list once; requests while one is queued are merged. */
  private requestClcc(): void {
    if (this.clccQueued) return;
    this.clccQueued = true;
    void this.pollClcc();
  }

  private async pollClcc(): Promise<void> {
    try {
      const r = await this.send(this.profile.clcc());
      this.clccQueued = false;
      const list = parseClccList(r.lines);
      if (list.rejected.length > 0) this.log.warn({ rejected: list.rejected }, 'invalid +CLCC lines ignored');
      this.calls.onClcc(list.entries, list.rejected.length === 0 && !r.discarded);
    } catch (e) {
      this.clccQueued = false;
      this.log.debug({ err: String(e) }, 'AT+CLCC failed');
    }
  }

  private makeAudio(): AudioPath {
    return audioFor(this.profile, this.o.audio, {
      send: (cmd, opts) => this.session.send(cmd, opts),
      onPlaybackDone: (cb) => this.playbackDone.subscribe(cb),
      clock: this.o.clock,
      logger: this.log,
      onPcm: this.inBand.sinkFor(this.profile),
    });
  }
}
