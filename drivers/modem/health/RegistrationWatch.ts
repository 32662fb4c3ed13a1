import { EventEmitter } from 'node:events';
import type { Clock, Timer } from '../../../gateway/core/Clock.ts';
import type { Logger } from '../../../gateway/core/Logger.ts';
import type { Urc } from '../messages/Urc.ts';
import { isDialableStat, registrationStatText } from './registrationStat.ts';

/** Registration domains: CS (+CREG, voice), PS (+CGREG), EPS (+CEREG, LTE), 5GS (+C5GREG). */
export type RegistrationDomain = Extract<Urc, { kind: 'registration' }>['domain'];
/** What AT+CPIN? told us: READY, NOT INSERTED (or +CME ERROR: 10), SIM PIN/PUK. */
export type SimStatus = 'ready' | 'missing' | 'pin';

/** Timings (ms), gsm-modems.md §7. */
export interface RegistrationTimings {
  /** Unregistered this long → radio cycle (AT+CFUN=0, AT+CFUN=1; LilyGo-Modem-Series#474). Default 120 s. */
  unregisteredPeriodMs: number;
  /** The wait before the next radio cycle doubles up to this ceiling while still unregistered. Default 30 min. */
  radioCycleMaxMs: number;
  /** SIM re-check (AT+CPIN?) while the SIM is missing or locked: slow, never a tight loop (§7). Default 60 s. */
  simRecheckMs: number;
}

export const REGISTRATION_DEFAULTS: RegistrationTimings = { unregisteredPeriodMs: 120_000, radioCycleMaxMs: 30 * 60_000, simRecheckMs: 60_000 };

export interface RegistrationWatchOptions extends Partial<RegistrationTimings> {
  clock: Clock;
  logger: Logger;
  /** AT+CFUN=0 then AT+CFUN=1 through the session. A rejection is logged and counted as a failed cycle. */
  radioCycle(signal: AbortSignal): Promise<void>;
  /** AT+CPIN? through the session, classified. A rejection counts as still missing. */
  checkSim(signal: AbortSignal): Promise<SimStatus>;
  /** Closing the driver stops the timers and aborts a cycle or check in progress. */
  signal?: AbortSignal;
}

export interface RegistrationSnapshot {
  cs: number | null;
  ps: number | null;
  eps: number | null;
  '5gs': number | null;
  /** Human text of the stat that decides dialling. */
  detail: string;
  canDial: boolean;
  sim: SimStatus | 'unknown';
  /** Epoch ms since when the modem has been unable to dial for lack of registration; null when registered or unknown. */
  unregisteredSince: number | null;
  radioCycles: number;
}

export interface RegistrationWatchEvents {
  /** A stat or the SIM status changed. */
  changed: [snapshot: RegistrationSnapshot];
  /** canDial() flipped. */
  dialableChanged: [canDial: boolean];
  /** A radio cycle finished (ok = both commands answered OK). */
  radioCycled: [ok: boolean, count: number];
  simChanged: [status: SimStatus];
}

/**
 * Tracks network registration and SIM presence for one modem (gsm-modems.md
 * §7, scenario 16): decides whether a dial may be placed, radio-cycles after a
 * long unregistered period (with back-off), and re-checks a missing SIM slowly.
 */
export class RegistrationWatch extends EventEmitter<RegistrationWatchEvents> {
  private readonly t: RegistrationTimings;
  private readonly log: Logger;
  private readonly ac = new AbortController();
  private readonly onOuterAbort = (): void => this.stop();
  private readonly stat: Record<RegistrationDomain, number | null> = { cs: null, ps: null, eps: null, '5gs': null };
  private sim: SimStatus | 'unknown' = 'unknown';
  private unregisteredSince: number | null = null;
  private cycleTimer: Timer | null = null;
  private cycling = false;
  private cycleWaitMs: number;
  private radioCycles = 0;
  private simTimer: Timer | null = null;
  private dialable = false;

  constructor(private readonly opts: RegistrationWatchOptions) {
    super();
    this.t = { ...REGISTRATION_DEFAULTS, ...definedOnly(opts) };
    this.cycleWaitMs = this.t.unregisteredPeriodMs;
    this.log = opts.logger.child({ component: 'modem.registration' });
    if (opts.signal?.aborted) this.ac.abort();
    else opts.signal?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  /**
   * Voice dials allowed: the SIM is not known missing/locked and the CS stat is
   * 1 or 5 (see isDialableStat for 6–11). A modem that reports only +CEREG
   * (no +CREG yet) is judged by its EPS stat, then by +C5GREG.
   */
  canDial(): boolean {
    if (this.sim === 'missing' || this.sim === 'pin') return false;
    return isDialableStat(this.deciding());
  }

  /** The stat that decides dialling: CS (voice without VoLTE goes there), else EPS, else 5GS. */
  private deciding(): number | null {
    return this.stat.cs ?? this.stat.eps ?? this.stat['5gs'];
  }

  snapshot(): RegistrationSnapshot {
    return {
      ...this.stat,
      detail: this.sim === 'missing' ? 'no SIM' : this.sim === 'pin' ? 'SIM locked' : registrationStatText(this.deciding()),
      canDial: this.canDial(),
      sim: this.sim,
      unregisteredSince: this.unregisteredSince,
      radioCycles: this.radioCycles,
    };
  }

  /** A stat from a URC or a query answer (the caller resolved `+CREG: 1,3` by context, §3). */
  update(domain: RegistrationDomain, stat: number): void {
    if (this.stat[domain] === stat) return;
    this.log.info({ domain, stat, text: registrationStatText(stat) }, 'registration changed');
    this.stat[domain] = stat;
    this.changed();
  }

  /** Feed a parsed `+CREG`/`+CGREG`/`+CEREG` URC. */
  applyUrc(urc: Extract<Urc, { kind: 'registration' }>): void {
    this.update(urc.domain, urc.stat);
  }

  /** `+CME ERROR: 10` or `+CPIN: NOT INSERTED`: stop radio cycling, re-check the SIM slowly. */
  simMissing(): void {
    this.setSim('missing');
  }

  /** `+CPIN: READY` seen (URC or query). */
  simReady(): void {
    this.setSim('ready');
  }

  /** Stop timers and abort a cycle or check in progress. Idempotent. */
  stop(): void {
    this.opts.signal?.removeEventListener('abort', this.onOuterAbort);
    this.cycleTimer?.clear();
    this.simTimer?.clear();
    this.cycleTimer = this.simTimer = null;
    this.ac.abort();
  }

  private setSim(status: SimStatus): void {
    if (this.sim === status) return;
    this.log.info({ sim: status }, 'SIM status changed');
    this.sim = status;
    this.emit('simChanged', status);
    if (status === 'ready') {
      this.simTimer?.clear();
      this.simTimer = null;
    } else {
      this.armSimCheck();
    }
    this.changed();
  }

  private changed(): void {
    const now = this.canDial();
    if (now !== this.dialable) {
      this.dialable = now;
      this.emit('dialableChanged', now);
    }
    this.reconsiderCycle();
    this.emit('changed', this.snapshot());
  }

  /** Arm, keep or cancel the radio-cycle timer for the current state. */
  private reconsiderCycle(): void {
    if (this.ac.signal.aborted) return;
    const noSim = this.sim === 'missing' || this.sim === 'pin';
    const known = this.deciding() !== null;
    if (this.canDial() || noSim || !known) {
      // Registered (or no point cycling without a SIM): forget the outage and the back-off.
      this.cycleTimer?.clear();
      this.cycleTimer = null;
      this.unregisteredSince = null;
      if (this.canDial()) this.cycleWaitMs = this.t.unregisteredPeriodMs;
      return;
    }
    this.unregisteredSince ??= this.opts.clock.now();
    if (this.cycleTimer || this.cycling) return;
    this.cycleTimer = this.opts.clock.setTimer('modem.registration.radioCycle', this.cycleWaitMs, () => {
      this.cycleTimer = null;
      // cycleRadio catches the command's failure; only a throwing listener can reject here.
      this.cycleRadio().catch((e: unknown) => this.log.error({ err: String(e) }, 'radio cycle handling failed'));
    });
  }

  private async cycleRadio(): Promise<void> {
    if (this.canDial() || this.ac.signal.aborted) return;
    this.cycling = true;
    const count = ++this.radioCycles;
    this.log.warn({ count, unregisteredSince: this.unregisteredSince, stat: this.stat }, 'still unregistered: radio cycle (AT+CFUN=0, AT+CFUN=1)');
    let ok = true;
    try {
      await this.opts.radioCycle(this.ac.signal);
    } catch (e) {
      ok = false;
      this.log.error({ count, err: e instanceof Error ? e.message : String(e) }, 'radio cycle failed');
    }
    this.cycling = false;
    if (this.ac.signal.aborted) return;
    this.cycleWaitMs = Math.min(this.t.radioCycleMaxMs, this.cycleWaitMs * 2);
    this.emit('radioCycled', ok, count);
    this.reconsiderCycle();
  }

  private armSimCheck(): void {
    if (this.simTimer || this.ac.signal.aborted) return;
    this.simTimer = this.opts.clock.setTimer('modem.registration.simCheck', this.t.simRecheckMs, () => {
      this.checkSim().catch((e: unknown) => this.log.error({ err: String(e) }, 'SIM re-check handling failed'));
    });
  }

  private async checkSim(): Promise<void> {
    let status: SimStatus = 'missing';
    try {
      status = await this.opts.checkSim(this.ac.signal);
    } catch (e) {
      this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'SIM check failed; still treated as missing');
    }
    this.simTimer = null;
    if (this.ac.signal.aborted) return;
    this.setSim(status);
    // Still missing or locked: the next slow check (setSim does not re-arm for an unchanged status).
    if (status !== 'ready') this.armSimCheck();
  }
}

/** Drop keys whose value is undefined, so `{ x: undefined }` does not override a default. */
function definedOnly(o: Partial<RegistrationTimings>): Partial<RegistrationTimings> {
  const out: Partial<RegistrationTimings> = {};
  for (const k of ['unregisteredPeriodMs', 'radioCycleMaxMs', 'simRecheckMs'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
