import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { isCcgateError } from '../../../gateway/core/errors.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import { HealthCounters } from '../health/HealthCounters.ts';
import { HealthMachine, type HealthInput, type HealthState } from '../health/healthMachine.ts';
import { RecoveryLadder } from '../health/RecoveryLadder.ts';
import { RegistrationWatch } from '../health/RegistrationWatch.ts';
import type { Urc } from '../messages/Urc.ts';
import { parseCpin } from '../messages/network.ts';
import { parseRegistrationResponse } from '../messages/registration.ts';
import { parseCsq } from '../messages/signal.ts';
import { parseUrc } from '../messages/urcTable.ts';
import type { Family } from '../profiles/ModemProfile.ts';
import type { AtSession } from '../session/AtSession.ts';
import type { AtCommand } from '../session/AtCommand.ts';
import { isResyncCommand } from '../session/Job.ts';
import type { ByteTransport } from '../../serial/ByteTransport.ts';
import type { ModemLines } from '../transport/ModemLines.ts';
import { failureReasonOf } from '../trunk/failureReason.ts';
import type { LineHealth } from '../trunk/ModemLine.ts';
import { initModem, type ModemFacts } from './initModem.ts';
import { releaseLeftoverCalls } from './leftoverCalls.ts';
import { RecoveryActions } from './RecoveryActions.ts';
import { MODEM_TIMINGS, type ModemTimings } from './timings.ts';
import { lineHealth, modemStats, type ModemView } from './modemView.ts';

export interface ModemSupervisorOptions {
  session: AtSession;
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  lines: ModemLines;
  family: Family | 'auto';
  dtmfDetect: boolean;
  smsMode: 'pdu' | 'text';
  /**
   * Line speeds to try, in order, when the line carries garbage (a UART modem
   * fixed at another rate with AT+IPR): the configured rate first. One entry
   * or none: no hunting, the mismatch is only reported.
   */
  baudRates?: readonly number[];
  timings?: Partial<ModemTimings>;
}

export interface ModemSupervisorEvents {
  /** Init finished (first time, after a reboot, after a recovery). */
  ready: [facts: ModemFacts];
  /** The modem lost its calls: it rebooted, stopped answering or its port closed. */
  lost: [why: 'rebooted' | 'unresponsive' | 'portClosed'];
  /** LineHealth changed. */
  health: [health: LineHealth];
}

/**
 * Keeps one modem usable (gsm-modems.md §7, §9): runs the init sequence,
 * polls signal and registration while idle, notices reboots (boot markers
 * mid-session, P13), counts timeouts into the health machine and, once the
 * modem is unresponsive or its port closed, runs the recovery ladder (probe,
 * soft reset, reopen, power-cycle, then dead: a lone `AT` every few seconds,
 * full passes after a long back-off). Every loss of the modem is reported
 * once with `lost` so calls fail cleanly. Every way back — a boot banner, any
 * URC, an answered probe — resumes the command queue (issue #9).
 *
 * At process start, the first init also releases calls a previous process
 * left up on the modem (leftoverCalls.ts).
 */
export class ModemSupervisor extends EventEmitter<ModemSupervisorEvents> {
  readonly machine: HealthMachine;
  readonly counters: HealthCounters;
  readonly registration: RegistrationWatch;
  private readonly ladder: RecoveryLadder;
  private readonly t: ModemTimings;
  private readonly log: Logger;
  private readonly ac = new AbortController();
  private facts: ModemFacts | null = null;
  private initRunning = false;
  private pollTimer: Timer | null = null;
  private retryTimer: Timer | null = null;
  private rebootTimer: Timer | null = null;
  private portWatch: Timer | null = null;
  private baudHunt: Timer | null = null;
  private hunting = false;
  private readonly actions: RecoveryActions;
  private lastHealth = '';
  /** A caller rang in (RING, +CRING, +CLIP) in this process: from then on the core may know a call on the modem. */
  private callOffered = false;

  constructor(private readonly o: ModemSupervisorOptions) {
    super();
    this.t = { ...MODEM_TIMINGS, ...o.timings };
    this.log = o.logger.child({ component: 'modem.supervisor' });
    this.counters = new HealthCounters(o.clock);
    this.machine = new HealthMachine({ logger: o.logger, unresponsiveAfter: this.t.unresponsiveAfter });
    this.machine.on('changed', (from, to, input) => this.onState(from, to, input));
    const signal = this.ac.signal;
    this.registration = new RegistrationWatch({
      clock: o.clock,
      logger: o.logger,
      signal,
      radioCycle: async (s) => {
        await o.session.send({ text: 'AT+CFUN=0', timeout: 'reboot' }, { signal: s });
        await o.session.send({ text: 'AT+CFUN=1', timeout: 'reboot' }, { signal: s });
      },
      checkSim: async (s) => {
        const r = await o.session.send({ text: 'AT+CPIN?', expect: ['+CPIN:'], timeout: 'normal' }, { signal: s });
        const st = r.lines.map(parseCpin).find((x) => x !== null);
        return st?.status === 'ready' ? 'ready' : st?.status === 'pinRequired' || st?.status === 'pukRequired' ? 'pin' : 'missing';
      },
    });
    this.registration.on('changed', () => this.publish());
    this.registration.on('simChanged', (s) => {
      // → starting, which runs the init (onState).
      if (s === 'ready' && this.machine.state === 'simMissing') this.machine.send({ kind: 'simReady' });
    });
    this.actions = new RecoveryActions({ session: o.session, transport: o.transport, lines: o.lines, clock: o.clock, logger: this.log, timings: this.t });
    this.ladder = new RecoveryLadder({
      clock: o.clock,
      logger: o.logger,
      signal,
      canPowerCycle: () => o.lines.canPowerCycle,
      timings: this.t.ladder,
      steps: {
        probe: () => o.session.probe(),
        softReset: (s) => this.actions.softReset(s),
        reopen: (s) => this.actions.reopen(s),
        powerCycle: (s) => this.actions.powerCycle(s),
      },
    });
    // The first pass makes the modem `recovering`; retry passes while dead leave it `dead` (the table
    // ignores ladderStarted/ladderExhausted there) until one succeeds: no health event per pass.
    this.ladder.on('started', () => this.machine.send({ kind: 'ladderStarted' }));
    this.ladder.on('stepStarted', (step) => this.counters.ladderStep(step));
    // → starting: onState resumes the queue and runs the init (a reset or reopen lost the settings).
    this.ladder.on('recovered', () => this.machine.send({ kind: 'ladderSucceeded' }));
    // Nothing was reset: in service at once (a reboot would have shown its banner), as for a URC.
    this.ladder.on('answeredWhileDead', () => this.cameBack('answered a probe'));
    this.ladder.on('dead', () => this.machine.send({ kind: 'ladderExhausted' }));

    o.session.on('commandSucceeded', () => {
      this.counters.commandOk();
      this.machine.send({ kind: 'commandOk' });
    });
    o.session.on('commandFailed', (cmd, reason) => {
      this.counters.commandFailed(reason);
      if (reason === 'timeout') this.machine.send({ kind: 'commandTimeout', consecutive: o.session.consecutiveFailures });
      // The session's resync probe timed out: it pauses its queue until we probe or resume, so no
      // further command can time out and count towards `unresponsiveAfter`. Nobody is listening.
      if (reason === 'timeout' && isResyncCommand(cmd)) this.machine.send({ kind: 'probeFailed' });
    });
    o.session.on('discarded', (f) => this.counters.discarded(f.bytes.length));
    // Registered before the façade's own listener (GsmModem builds us first): a RING that ends a dead
    // spell is acted on before the call tracker offers the call, so no `down` follows the offer.
    o.session.on('urc', (line, trailing, known) => this.heard(line, trailing, known));
    o.session.on('baudMismatch', () => {
      this.machine.send({ kind: 'baudMismatch' });
      // Whatever else is going on (a ladder pass probing into the garbage included): find the rate.
      void this.huntBaud();
    });
    o.session.on('closed', (error) => {
      if (error && !signal.aborted) this.machine.send({ kind: 'portClosed' });
    });
  }

  /** What init learnt (null until the first init finished). */
  get modem(): ModemFacts | null {
    return this.facts;
  }

  /** Start the first init in the background; the health events tell how it goes. */
  start(): void {
    void this.init();
  }

  stop(): void {
    this.ac.abort();
    this.ladder.stop();
    this.registration.stop();
    for (const t of [this.pollTimer, this.retryTimer, this.rebootTimer, this.portWatch, this.baudHunt]) t?.clear();
    this.actions.bootSeen();
  }

  health(): LineHealth {
    return lineHealth(this.view());
  }

  /** Everything a supervisor or the cloud may want to see about this modem, as plain JSON. */
  stats(): Record<string, unknown> {
    return modemStats(this.view());
  }

  private view(): ModemView {
    return { state: this.machine.state, facts: this.facts, registration: this.registration, counters: this.counters.snapshot(), ladder: this.ladder.counters };
  }

  /** URCs the supervisor cares about: boot markers, SIM, registration, signal. */
  onUrc(urc: Urc): void {
    switch (urc.kind) {
      case 'boot':
        return this.onBoot(urc.marker);
      case 'simState':
        if (/NOT INSERTED|REMOVED/i.test(urc.state)) {
          this.registration.simMissing();
          this.machine.send({ kind: 'simMissing' });
        }
        return;
      case 'registration':
        this.counters.registered(urc.domain, urc.stat);
        this.registration.applyUrc(urc);
        if (urc.domain === 'cs') this.machine.send({ kind: 'registration', stat: urc.stat });
        return;
      case 'signal':
        this.counters.signalQuality(urc.rssi, urc.ber);
        return;
      case 'power':
        this.log.warn({ text: urc.text }, 'modem power warning (supply too weak for transmit bursts?)');
        return;
      default:
        return;
    }
  }

  unknownUrc(line: string): void {
    this.counters.unknownUrc(line);
  }

  // --- init -------------------------------------------------------------------

  private async init(): Promise<void> {
    if (this.initRunning || this.ac.signal.aborted) return;
    this.initRunning = true;
    this.pollTimer?.clear();
    const send = (cmd: AtCommand) => this.o.session.send(cmd, { signal: this.ac.signal });
    try {
      const facts = await initModem(send, {
        family: this.o.family,
        dtmfDetect: this.o.dtmfDetect,
        smsMode: this.o.smsMode,
        logger: this.log,
      });
      // The first init of this process only: calls the previous process left up (kill -9) are unknown to
      // the core, whose recovery already closed them. A re-init after a reboot or recovery keeps live calls.
      if (this.facts === null) await releaseLeftoverCalls(send, facts.profile, { logger: this.log, callOffered: this.callOffered });
      this.facts = facts;
      this.emit('ready', facts);
      if (facts.rssi !== null) this.counters.signalQuality(facts.rssi);
      this.counters.operator(facts.operator);
      // Up first, then the registration details: a detail published while still `starting` would be a
      // `down` health event under a call that rang in during the init.
      this.machine.send({ kind: 'initDone' });
      if (facts.registration !== null) this.registration.update('cs', facts.registration);
      this.registration.simReady();
      if (facts.registration !== null) this.machine.send({ kind: 'registration', stat: facts.registration });
      this.schedulePoll();
    } catch (e) {
      if (this.ac.signal.aborted) return;
      if (isCcgateError(e, 'MODEM_SIM')) {
        this.log.error({ err: e.message }, 'modem has no usable SIM: retrying slowly');
        this.registration.simMissing();
        this.machine.send({ kind: 'simMissing' });
      } else if (failureReasonOf(e) === 'rebooted') {
        // Cut short by a reboot: its own settle timer runs the init again.
        this.log.info({}, 'modem init interrupted by a reboot');
      } else {
        this.log.warn({ err: String(e) }, 'modem init failed');
        if (this.machine.state === 'dead') {
          // The ladder's probes and passes (and the port watch) decide the next attempt.
        } else if (!this.machine.responsive || this.o.session.isPaused || !this.o.transport.isOpen) {
          this.startLadder();
        } else {
          // It answers but refused a required step: try the init again shortly.
          this.retryTimer = this.o.clock.setTimer('modem-init-retry', this.t.initRetryMs, () => void this.init());
        }
      }
    } finally {
      this.initRunning = false;
      this.publish();
    }
  }

  private schedulePoll(): void {
    this.pollTimer?.clear();
    this.pollTimer = this.o.clock.setTimer('modem-health-poll', this.t.pollMs, () => void this.poll());
  }

  /** Idle keep-alive and status: signal and registration (the CLCC poll covers calls). */
  private async poll(): Promise<void> {
    const s = this.o.session;
    const opts = { signal: this.ac.signal };
    try {
      const csq = await s.send({ text: 'AT+CSQ', expect: ['+CSQ:'], timeout: 'quick', retryable: true }, opts);
      const q = csq.lines.map(parseCsq).find((x) => x !== null);
      if (q) this.counters.signalQuality(q.rssi, q.ber);
      const creg = await s.send({ text: 'AT+CREG?', expect: ['+CREG:'], timeout: 'quick', retryable: true }, opts);
      const r = creg.lines.map(parseRegistrationResponse).find((x) => x !== null);
      if (r) {
        this.registration.update('cs', r.stat);
        this.counters.registered('cs', r.stat);
        this.machine.send({ kind: 'registration', stat: r.stat });
      }
    } catch (e) {
      this.log.debug({ err: String(e) }, 'health poll failed');
    } finally {
      if (!this.ac.signal.aborted) this.schedulePoll();
      this.publish();
    }
  }

  // --- reboot and recovery ---------------------------------------------------------

  /** Boot markers count as a reboot when the profile says so; before the first init, only while dead. */
  private isReboot(marker: string): boolean {
    const profile = this.facts?.profile;
    // Before the first init finished, boot markers are the modem powering up with us (its banner),
    // not a reboot under live calls; unless we had given up on it: then it is the modem coming back.
    if (!profile) return this.machine.state === 'dead';
    return profile.rebootMarkers.includes(marker);
  }

  private onBoot(marker: string): void {
    this.actions.bootSeen();
    if (!this.isReboot(marker)) return;
    if (this.ladder.running || this.rebootTimer?.pending) return;
    // Boot markers come in a burst (RDY, +CFUN: 1, +CPIN: READY, Call Ready, SMS Ready): one reboot, one re-init.
    this.log.warn({ marker, state: this.machine.state }, 'modem rebooted mid-session');
    this.counters.rebooted();
    this.ladder.reset();
    this.o.session.abortAll('rebooted');
    this.emit('lost', 'rebooted');
    // Armed before the state change: onState leaves the init to this timer.
    this.rebootTimer = this.o.clock.setTimer('modem-reboot-settle', this.t.rebootSettleMs, () => void this.init());
    this.machine.send({ kind: 'rebooted' });
    // Whatever the state was (a dead modem's queue is paused; `starting` again is no change): it answers now.
    this.o.session.resume();
  }

  /**
   * Any known URC while dead (issue #9): the modem is talking, so it is back.
   * A RING is a caller waiting: resume the queue so that ATA reaches the
   * modem. Periodic reports prove nothing — noise (Huawei `^BOOT:`), signal
   * (`^RSSI`, `+CSQN`) and supply warnings keep coming from firmware whose AT
   * interpreter may be wedged, and would bounce the modem in and out of
   * `dead` — the probes find such a modem if it answers. Reboot markers are
   * onBoot's.
   */
  private heard(line: string, trailing: string[], known: boolean): void {
    if (!known) return;
    const urc = parseUrc(line, trailing);
    if (!urc) return;
    if (urc.kind === 'ring' || urc.kind === 'callerId') this.callOffered = true;
    if (this.machine.state !== 'dead' || urc.kind === 'noise' || urc.kind === 'signal' || urc.kind === 'power') return;
    if (urc.kind === 'boot' && this.isReboot(urc.marker)) return;
    // A pass mid-reopen has the port closed or reopening: its own probe follows and will answer.
    if (this.ladder.currentStep === 'reopen') return;
    // A lone probe written while the modem was still silent would time out after we resumed, pause the
    // queue again and count as a fresh failure: let it settle first (≤ one quick-class timeout).
    const probing = this.ladder.deadProbeInFlight;
    if (probing) {
      void probing.then(() => this.cameBack(`sent ${urc.kind}`));
      return;
    }
    this.cameBack(`sent ${urc.kind}`);
  }

  /** The dead modem answers or talks again: in service (initialised before) or starting, queue running. */
  private cameBack(how: string): void {
    if (this.machine.state !== 'dead' || this.ac.signal.aborted) return;
    this.log.info({ how }, 'the dead modem is back');
    this.ladder.reset();
    // A soft reset or power cycle now would drop a caller who just rang.
    this.ladder.interrupt();
    this.machine.send({ kind: 'signOfLife', initialised: this.facts !== null });
  }

  private onState(from: HealthState, to: HealthState, input: HealthInput): void {
    if (to === 'starting') {
      // Every way into starting (reboot, recovery, SIM back, a dead modem heard from) resumes the queue
      // (a dead modem's is paused) and runs the init; after a reboot, onBoot's settle timer does.
      this.o.session.resume();
      if (input.kind !== 'rebooted') void this.init();
    }
    if (from === 'dead' && to === 'ok') this.o.session.resume();
    if (to === 'unresponsive') {
      this.emit('lost', 'unresponsive');
      this.startLadder();
    }
    if (to === 'dead' && !this.o.transport.isOpen) this.watchPort();
    this.publish();
  }

  /**
   * Garbage and no valid answer (gsm-modems.md §10 scenario 9): probe `AT` at
   * each candidate rate until the modem answers, then re-init at that rate;
   * if none answers, stay `baudMismatch` and try again later.
   */
  private async huntBaud(): Promise<void> {
    const rates = this.o.baudRates ?? [];
    if (this.hunting || !this.o.transport.setBaudRate || rates.length < 2 || this.ac.signal.aborted) return;
    this.hunting = true;
    try {
      const rate = await this.actions.findBaudRate(rates, this.ac.signal);
      if (rate !== null) {
        this.log.info({ baudRate: rate }, 'the modem answers at this baud rate');
        this.o.session.resume();
        void this.init();
        return;
      }
      if (this.ac.signal.aborted) return;
      this.log.error({ tried: rates }, 'no baud rate gives a valid answer: check the wiring and the modem (AT+IPR)');
      this.baudHunt = this.o.clock.setTimer('modem-baud-hunt', this.t.baudHuntRetryMs, () => {
        if (!this.machine.responsive) void this.huntBaud();
      });
    } catch (e) {
      this.log.warn({ err: String(e) }, 'baud rate hunt failed');
    } finally {
      this.hunting = false;
    }
  }

  /**
   * A dead modem whose port is gone (USB unplugged, hub power lost): try to
   * open the port every `portWatchMs`, and the moment it is back run a ladder
   * pass at once instead of waiting out the long back-off.
   */
  private watchPort(): void {
    this.portWatch?.clear();
    this.portWatch = this.o.clock.setTimer('modem-port-watch', this.t.portWatchMs, () => {
      this.portWatch = null;
      if (this.ac.signal.aborted || this.machine.state !== 'dead') return;
      this.o.transport.open().then(
        () => {
          this.log.info({}, 'modem port is back: recovering now');
          this.ladder.reset();
          void this.ladder.run();
        },
        () => this.watchPort(),
      );
    });
  }

  private startLadder(): void {
    if (this.ladder.running || this.ac.signal.aborted) return;
    void this.ladder.run();
  }

  private publish(): void {
    const h = this.health();
    const key = `${h.up}|${h.canDial}|${h.detail}`;
    if (key === this.lastHealth) return;
    this.lastHealth = key;
    this.emit('health', h);
  }
}
