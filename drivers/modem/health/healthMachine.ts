import { EventEmitter } from 'node:events';
import type { Logger } from '../../../gateway/core/Logger.ts';
import { fsmStep, type FsmStep, type FsmTable } from '../../common/fsm.ts';
import { isDialableStat } from './registrationStat.ts';

/**
 * Health of one modem (gsm-modems.md §9: `ok → degraded → unresponsive →
 * recovering → ok | dead`, plus `sim_missing`, `not_registered`, `baud_mismatch`).
 * `starting` covers the init sequence, and re-init after a reboot or a
 * successful recovery (echo, CLIP, CNMI, DTMF detect are volatile, §2 P13).
 */
export type HealthState = 'starting' | 'ok' | 'degraded' | 'unresponsive' | 'recovering' | 'dead' | 'simMissing' | 'notRegistered' | 'baudMismatch';

/** What the façade feeds the machine (from the session, the ladder, the registration watch and URCs). */
export type HealthInput =
  /** The init command list completed. */
  | { kind: 'initDone' }
  /** Any command got a final result (resets the consecutive-timeout count upstream). */
  | { kind: 'commandOk' }
  /** A command timed out; `consecutive` counts timeouts since the last success (including this one). */
  | { kind: 'commandTimeout'; consecutive: number }
  /** The resync `AT` probe after a timeout got no answer (§2 P8). */
  | { kind: 'probeFailed' }
  | { kind: 'ladderStarted' }
  | { kind: 'ladderSucceeded' }
  | { kind: 'ladderExhausted' }
  /** `+CME ERROR: 10`, `+CPIN: NOT INSERTED`. */
  | { kind: 'simMissing' }
  | { kind: 'simReady' }
  /** The CS registration stat (27.007 +CREG), solicited or URC. */
  | { kind: 'registration'; stat: number }
  /** Many garbage items and no valid final result (§10 scenario 9). */
  | { kind: 'baudMismatch' }
  /** Boot markers mid-session (`RDY`, `Call Ready`, `+QUSIM: 1`; §2 P13). */
  | { kind: 'rebooted' }
  /** The tty closed under us (EIO: USB modem vanished). */
  | { kind: 'portClosed' }
  /**
   * The modem spoke while marked dead: a URC such as `RING`, `+CLIP` or
   * `+CREG` (not noise, not a reboot marker). `initialised`: an init finished
   * earlier in this process, so its settings are presumed intact.
   */
  | { kind: 'signOfLife'; initialised: boolean };

export type HealthInputKind = HealthInput['kind'];

export interface HealthMachineOptions {
  /** Consecutive command timeouts that make the modem `unresponsive`; default 3 (§10 scenario 5; ModemManager uses 10). */
  unresponsiveAfter: number;
}

export const HEALTH_DEFAULTS: HealthMachineOptions = { unresponsiveAfter: 3 };

type Table = FsmTable<HealthState, HealthInput>;

/**
 * The transition table. Rows not listed keep the state: e.g. while
 * `recovering`, timeouts, reboots and port closes are the ladder's own doing
 * (a soft reset reboots the modem, a reopen closes the port) and are ignored.
 */
export function healthTable(opts: HealthMachineOptions = HEALTH_DEFAULTS): Table {
  const n = Math.max(1, opts.unresponsiveAfter);
  /** One timeout degrades; N in a row mean nobody is listening. */
  const timedOut = (s: HealthState, i: { consecutive: number }): HealthState => (i.consecutive >= n ? 'unresponsive' : s === 'ok' ? 'degraded' : s);
  /** While already unable to dial (no SIM, no network), a single timeout adds nothing; N do. */
  const timedOutKeep = (s: HealthState, i: { consecutive: number }): HealthState => (i.consecutive >= n ? 'unresponsive' : s);
  const registration = (s: HealthState, i: { stat: number }): HealthState => (isDialableStat(i.stat) ? (s === 'notRegistered' ? 'ok' : s) : 'notRegistered');
  const common = {
    probeFailed: () => 'unresponsive',
    ladderStarted: () => 'recovering',
    simMissing: () => 'simMissing',
    baudMismatch: () => 'baudMismatch',
    rebooted: () => 'starting',
    portClosed: () => 'unresponsive',
  } as const satisfies Table['ok'];
  return {
    starting: { ...common, initDone: () => 'ok', commandTimeout: timedOutKeep },
    ok: { ...common, commandTimeout: timedOut, registration },
    degraded: { ...common, commandOk: () => 'ok', commandTimeout: (_s, i) => (i.consecutive >= n ? 'unresponsive' : 'degraded'), registration },
    unresponsive: { commandOk: () => 'ok', ladderStarted: () => 'recovering', rebooted: () => 'starting', baudMismatch: () => 'baudMismatch' },
    // Re-init after any successful step: a soft reset or reopen lost the volatile settings.
    recovering: { ladderSucceeded: () => 'starting', ladderExhausted: () => 'dead' },
    // Retry passes and probes run while the state stays `dead` (no recovering ⇄ dead cycling, issue #9);
    // one that gets an answer ends it. A boot banner, or any URC, is the modem back by itself: a URC
    // may be a caller ringing, so an initialised modem is in service at once (re-init would take the
    // line down under that caller), a modem never initialised starts.
    dead: { ladderSucceeded: () => 'starting', rebooted: () => 'starting', signOfLife: (_s, i) => (i.initialised ? 'ok' : 'starting') },
    // A SIM inserted later needs the SIM-dependent init (CPMS, CNMI) run again.
    simMissing: { ...common, simMissing: undefined, simReady: () => 'starting', commandTimeout: timedOutKeep },
    notRegistered: { ...common, commandTimeout: timedOutKeep, registration },
    baudMismatch: { ...common, baudMismatch: undefined, probeFailed: undefined, commandOk: () => 'ok', initDone: () => 'ok' },
  };
}

export interface HealthMachineEvents {
  /** The state changed (never emitted for a self-transition). */
  changed: [from: HealthState, to: HealthState, input: HealthInput];
}

/** The table plus the current state; logs every change. */
export class HealthMachine extends EventEmitter<HealthMachineEvents> {
  private current: HealthState = 'starting';
  private readonly table: Table;
  private readonly log: Logger;

  constructor(opts: Partial<HealthMachineOptions> & { logger: Logger }) {
    super();
    this.table = healthTable({ ...HEALTH_DEFAULTS, ...opts });
    this.log = opts.logger.child({ component: 'modem.health' });
  }

  get state(): HealthState {
    return this.current;
  }

  /** The modem answers commands (it may still be unable to dial: see RegistrationWatch). */
  get responsive(): boolean {
    return this.current === 'ok' || this.current === 'degraded' || this.current === 'notRegistered' || this.current === 'simMissing';
  }

  send(input: HealthInput): FsmStep<HealthState> {
    const step = fsmStep(this.table, this.current, input);
    if (step.to !== step.from) {
      this.current = step.to;
      this.log.info({ from: step.from, to: step.to, input }, 'modem health changed');
      this.emit('changed', step.from, step.to, input);
    } else if (!step.handled) {
      this.log.debug({ state: step.from, input }, 'health input ignored in this state');
    }
    return step;
  }
}
