/**
 * The Q.921 data link of one PRI D-channel, user side by default:
 *
 *   DChannelTransport (frames) ─► Lapd ─► Q.931 (the `info` events)
 *
 * It runs lapdMachine.ts's pure steps and does what they say: sends frames,
 * runs T200/T203 on the injected clock, and emits typed events. While
 * started it keeps trying to bring the link up, with back-off between
 * rounds of N200 SABMEs (a span whose far end is not there yet).
 */
import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import { silentLogger, type Logger } from '../../../gateway/core/Logger.ts';
import { decodeLapd, encodeLapd, type LapdFrame } from './lapdFrame.ts';
import { initialVars, lapdStep, type LapdAction, type LapdInput, type LapdState, type LapdVars } from './lapdMachine.ts';
import { LAPD_DEFAULTS, type LapdParams } from './lapdParams.ts';

export interface LapdEvents {
  linkUp: [];
  linkDown: [reason: string];
  /** Re-established while up (by the peer's SABME or ours after an error): Q.931 checks its calls (STATUS ENQUIRY). */
  linkReset: [by: 'peer' | 'us', why: string];
  /** A Q.931 message, in sequence. */
  info: [payload: Uint8Array];
}

export interface LapdCounters {
  iTx: number;
  iRx: number;
  rrTx: number;
  rrRx: number;
  rnrTx: number;
  rnrRx: number;
  rejTx: number;
  rejRx: number;
  retransmissions: number;
  t200Expiries: number;
  reestablishments: number;
  /** Frames that were not LAPD, or not for SAPI 0 / TEI 0. */
  discarded: number;
  errors: number;
  /** Milliseconds spent in each state. */
  msIn: Record<LapdState, number>;
}

export interface LapdOptions {
  clock: Clock;
  /** Hand one LAPD frame to the carrier. */
  send: (lapd: Uint8Array) => void;
  side?: 'user' | 'network';
  params?: Partial<LapdParams>;
  logger?: Logger;
}

export class Lapd extends EventEmitter<LapdEvents> {
  private vars: LapdVars;
  private readonly p: LapdParams;
  private readonly log: Logger;
  private t200: Timer | null = null;
  private t203: Timer | null = null;
  private retry: Timer | null = null;
  private retryMs: number;
  private running = false;
  private since: number;
  readonly counters: LapdCounters = {
    iTx: 0, iRx: 0, rrTx: 0, rrRx: 0, rnrTx: 0, rnrRx: 0, rejTx: 0, rejRx: 0,
    retransmissions: 0, t200Expiries: 0, reestablishments: 0, discarded: 0, errors: 0,
    msIn: { down: 0, establishing: 0, releasing: 0, established: 0, timerRecovery: 0 },
  };

  constructor(private readonly o: LapdOptions) {
    super();
    this.vars = initialVars(o.side ?? 'user');
    this.p = { ...LAPD_DEFAULTS, ...o.params };
    this.retryMs = this.p.retryInitialMs;
    this.log = (o.logger ?? silentLogger).child({ component: 'lapd' });
    this.since = o.clock.now();
  }

  get state(): LapdState {
    return this.vars.state;
  }

  get isUp(): boolean {
    return this.vars.state === 'established' || this.vars.state === 'timerRecovery';
  }

  /** Bring the link up and keep it up. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.step({ kind: 'establish' });
  }

  /** Release the link (DISC) and stop retrying. */
  stop(): void {
    this.running = false;
    this.retry?.clear();
    if (this.isUp || this.vars.state === 'establishing') this.step({ kind: 'release' });
  }

  /** Stop every timer without a word on the line (the carrier is gone). */
  halt(): void {
    this.running = false;
    for (const t of [this.t200, this.t203, this.retry]) t?.clear();
    if (this.vars.state !== 'down') this.enter('down');
  }

  /** Queue a Q.931 message; sent in order once the link and the window allow. */
  sendInfo(info: Uint8Array): void {
    if (info.length > this.p.n201) throw new RangeError(`a Q.931 message of ${info.length} octets is over N201 (${this.p.n201})`);
    this.step({ kind: 'send', info });
  }

  /** One frame from the carrier. */
  receive(bytes: Uint8Array): void {
    const r = decodeLapd(bytes);
    if (!r.ok || r.frame.sapi !== 0 || r.frame.tei !== 0) {
      this.counters.discarded++;
      this.log.debug({ err: r.ok ? `SAPI ${r.frame.sapi} TEI ${r.frame.tei}` : r.error }, 'frame ignored');
      return;
    }
    this.countRx(r.frame);
    this.step({ kind: 'frame', frame: r.frame });
  }

  private step(input: LapdInput): void {
    const before = this.vars.state;
    const r = lapdStep(this.vars, input, this.p);
    this.vars = r.vars;
    if (r.vars.state !== before) this.enter(r.vars.state, before);
    for (const a of r.actions) this.run(a);
  }

  private run(a: LapdAction): void {
    const { clock } = this.o;
    switch (a.kind) {
      case 'tx':
        this.countTx(a.frame, a.retransmission === true);
        this.o.send(encodeLapd(a.frame));
        return;
      case 'startT200':
        this.t200?.clear();
        this.t200 = clock.setTimer('lapd-t200', this.p.t200Ms, () => {
          this.counters.t200Expiries++;
          this.step({ kind: 't200' });
        });
        return;
      case 'stopT200':
        this.t200?.clear();
        return;
      case 'startT203':
        this.t203?.clear();
        this.t203 = clock.setTimer('lapd-t203', this.p.t203Ms, () => this.step({ kind: 't203' }));
        return;
      case 'stopT203':
        this.t203?.clear();
        return;
      case 'linkUp':
        this.retryMs = this.p.retryInitialMs;
        this.log.info({}, 'D-channel up');
        this.emit('linkUp');
        return;
      case 'linkDown':
        this.t200?.clear();
        this.t203?.clear();
        this.log.warn({ reason: a.reason }, 'D-channel down');
        this.emit('linkDown', a.reason);
        this.scheduleRetry();
        return;
      case 'linkReset':
        this.counters.reestablishments++;
        this.log.warn({ by: a.by, why: a.why }, 'D-channel re-established');
        this.emit('linkReset', a.by, a.why);
        return;
      case 'deliver':
        this.emit('info', a.info);
        return;
      case 'error':
        this.counters.errors++;
        this.log.warn({ code: a.code, detail: a.detail }, 'LAPD error');
        return;
    }
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.p.retryMaxMs, this.retryMs * 2);
    this.retry?.clear();
    this.retry = this.o.clock.setTimer('lapd-retry', wait, () => {
      if (this.running && this.vars.state === 'down') this.step({ kind: 'establish' });
    });
  }

  private enter(to: LapdState, from: LapdState = this.vars.state): void {
    const now = this.o.clock.now();
    this.counters.msIn[from] += now - this.since;
    this.since = now;
    if (to === 'down') this.vars = { ...this.vars, state: 'down' };
  }

  private countTx(f: LapdFrame, retransmission: boolean): void {
    if (retransmission) this.counters.retransmissions++;
    if (f.format === 'I') this.counters.iTx++;
    else if (f.format === 'S') this.counters[f.type === 'RR' ? 'rrTx' : f.type === 'RNR' ? 'rnrTx' : 'rejTx']++;
  }

  private countRx(f: LapdFrame): void {
    if (f.format === 'I') this.counters.iRx++;
    else if (f.format === 'S') this.counters[f.type === 'RR' ? 'rrRx' : f.type === 'RNR' ? 'rnrRx' : 'rejRx']++;
  }
}
